namespace AwaitHuman.Sdk.Tests;

/// <summary>sdks/typescript: the SDK and its framework adapters, with the packages its lockfile pins.</summary>
public class TypeScriptSdkTests(SdkTestsHost host)
{
    [Fact]
    public async Task The_TypeScript_sdk_passes_its_suite_against_the_server()
    {
        var environment = await SdkSuite.EnvironmentForAsync(host.App);
        await SdkSuite.RunAsync("sdks/typescript", environment, "npm", "ci", "--no-audit", "--no-fund");
        await SdkSuite.RunAsync("sdks/typescript", environment, "npm", "test");
    }
}
