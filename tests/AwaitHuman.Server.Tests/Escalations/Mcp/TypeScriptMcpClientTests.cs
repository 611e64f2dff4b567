using System.Diagnostics;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations.Mcp;

/// <summary>
/// The MCP endpoint driven by the official TypeScript SDK (<c>@modelcontextprotocol/sdk</c>), which the
/// MCP Inspector and most editors use and which checks schemas more strictly than the C# client:
/// tests/mcp-typescript-client/check.mjs lists and calls every tool and validates each answer.
/// </summary>
public class TypeScriptMcpClientTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string ClientFolder = Path.Combine(RepositoryLayout.Root, "tests", "mcp-typescript-client");

    [Fact]
    public async Task The_typescript_sdk_lists_calls_and_validates_every_tool()
    {
        await InstallOnceAsync();
        var tenant = await _app.NewTenantAsync();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");

        var (exitCode, output) = await RunAsync("node", ["check.mjs"], new Dictionary<string, string>
        {
            ["AWAITHUMAN_URL"] = _app.Address.ToString(),
            ["AWAITHUMAN_API_KEY"] = tenant.ApiKey,
            ["AWAITHUMAN_OPERATOR_TOKEN"] = operatorMember.Token,
        }, TimeSpan.FromMinutes(2));

        exitCode.ShouldBe(0, output);
        output.ShouldContain("checks passed");
    }

    static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>npm ci from the committed lockfile, once per checkout: later runs reuse node_modules.</summary>
    static async Task InstallOnceAsync()
    {
        await Installing.WaitAsync(Ct);
        try
        {
            if (Directory.Exists(Path.Combine(ClientFolder, "node_modules", "@modelcontextprotocol", "sdk"))) return;
            var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], [], TimeSpan.FromMinutes(5));
            exitCode.ShouldBe(0, $"npm ci in {ClientFolder} failed:\n{output}");
        }
        finally
        {
            Installing.Release();
        }
    }

    static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = ClientFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' is missing: install Node.js 18 or later with npm (apt-get install nodejs npm).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran longer than {timeout}:\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, $"{await stdout}\n{await stderr}");
        }
    }
}
