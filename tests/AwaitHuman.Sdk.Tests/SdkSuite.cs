using System.Diagnostics;
using System.Text;
using AwaitHuman.Testing;

namespace AwaitHuman.Sdk.Tests;

/// <summary>
/// Runs an SDK's own test suite (npm, unittest) as a child process against the shared server, in a
/// fresh tenant: its API key, and an operator's token for the human side of each test.
/// </summary>
public static class SdkSuite
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static async Task<Dictionary<string, string>> EnvironmentForAsync(AwaitHumanApp app)
    {
        var tenant = await app.NewTenantAsync();
        var operatorMember = await app.NewMemberAsync(tenant, "operator");
        return new Dictionary<string, string>
        {
            ["AWAITHUMAN_BASE_URL"] = app.Address.ToString(),
            ["AWAITHUMAN_API_KEY"] = tenant.ApiKey,
            ["AWAITHUMAN_OPERATOR_TOKEN"] = operatorMember.Token,
        };
    }

    /// <summary>Runs the command in <paramref name="folder"/> (under the repository root); fails with its output unless it exits with 0.</summary>
    public static async Task RunAsync(string folder, IReadOnlyDictionary<string, string> environment, string command, params string[] arguments)
    {
        var executable = Find(command)
            ?? throw new InvalidOperationException($"'{command}' is not on PATH: the SDK tests need Node.js 20 or later (with npm) and Python 3.9 or later.");
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.Combine(RepositoryLayout.Root, folder),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (output) output.AppendLine(line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} in {folder} ran past {Limit}:\n{Tail(output)}");
        }
        // The exit came before the last lines of output were read.
        process.WaitForExit();
        TestContext.Current.TestOutputHelper?.WriteLine(Tail(output));
        process.ExitCode.ShouldBe(0, $"{command} {string.Join(' ', arguments)} in {folder} failed:\n{Tail(output)}");
    }

    static string? Find(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);

    // Enough to see every failure without drowning the test report.
    static string Tail(StringBuilder output)
    {
        string text;
        lock (output) text = output.ToString();
        return text.Length <= 60_000 ? text : "...\n" + text[^60_000..];
    }
}
