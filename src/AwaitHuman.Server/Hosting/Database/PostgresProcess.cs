using System.Diagnostics;

namespace AwaitHuman.Server.Hosting.Database;

/// <summary>
/// Runs PostgreSQL's programs. PostgreSQL refuses to run as root, so a root process runs them as
/// the <c>postgres</c> system user (created by Debian's postgresql package) through runuser.
/// </summary>
sealed class PostgresProcess
{
    const string ServiceUser = "postgres";

    PostgresProcess(string? runAsUser) => RunAsUser = runAsUser;

    public string? RunAsUser { get; }

    public static PostgresProcess ForCurrentUser()
    {
        if (!Environment.IsPrivilegedProcess) return new PostgresProcess(null);

        var probe = Execute("id", ["-u", ServiceUser], TimeSpan.FromSeconds(10));
        if (probe.ExitCode != 0)
            throw new EmbeddedPostgresException(
                "PostgreSQL refuses to run as root and there is no 'postgres' system user to run it as. " +
                "Install Debian's postgresql package (it creates that user) or run as a normal user.");
        return new PostgresProcess(ServiceUser);
    }

    /// <summary>
    /// Fails clearly when the user PostgreSQL runs as cannot reach <paramref name="directory"/>,
    /// as under /root (mode 700), instead of letting initdb fail with a cryptic message.
    /// </summary>
    public void EnsureServiceUserCanReach(string directory)
    {
        if (RunAsUser is null) return;
        if (Run("test", ["-x", directory], TimeSpan.FromSeconds(10)).ExitCode != 0)
            throw new EmbeddedPostgresException(
                $"PostgreSQL runs as the '{RunAsUser}' user here (it refuses root), and that user cannot reach {directory}. " +
                "Set AWAITHUMAN_DATA_DIR to a folder it can reach, e.g. one under /var/lib.");
    }

    /// <summary>Hands a file or folder we created to the user PostgreSQL runs as.</summary>
    public void GiveToServiceUser(string path)
    {
        if (RunAsUser is null) return;
        Execute("chown", ["-R", $"{RunAsUser}:", path], TimeSpan.FromSeconds(30)).ThrowIfFailed("chown");
    }

    public ProcessResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout) =>
        RunAsUser is null
            ? Execute(program, arguments, timeout)
            : Execute("runuser", ["-u", RunAsUser, "--", program, .. arguments], timeout);

    static ProcessResult Execute(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Messages PostgreSQL prints are matched by nobody, but keep them in English for the logs.
        start.Environment["LC_MESSAGES"] = "C";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return new ProcessResult(program, process.ExitCode, output.Result + error.Result);
    }
}

sealed record ProcessResult(string Program, int ExitCode, string Output)
{
    public void ThrowIfFailed(string what)
    {
        if (ExitCode != 0)
            throw new EmbeddedPostgresException($"{what} failed (exit code {ExitCode}): {Output.Trim()}");
    }
}
