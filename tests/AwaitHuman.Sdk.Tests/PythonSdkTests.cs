namespace AwaitHuman.Sdk.Tests;

/// <summary>sdks/python: standard library only, so nothing to install.</summary>
public class PythonSdkTests(SdkTestsHost host)
{
    [Fact]
    public async Task The_Python_sdk_passes_its_suite_against_the_server()
    {
        var environment = await SdkSuite.EnvironmentForAsync(host.App);
        await SdkSuite.RunAsync("sdks/python", environment, "python3", "-W", "error::ResourceWarning", "-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v");
    }
}
