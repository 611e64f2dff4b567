using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using AwaitHuman.Server.Hosting;

namespace AwaitHuman.Testing;

/// <summary>
/// A server as a process of its own, for what an in-process host cannot show: a second process on
/// the same cluster, a node killed outright, load from outside the server's process.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(120);
    static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    const int OutputLinesKept = 300;

    readonly Process _process;
    readonly string _workingDirectory;
    readonly Queue<string> _output = new();

    ServerProcess(Process process, string workingDirectory, Uri baseAddress)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.Count == 0 ? "(none)" : string.Join('\n', _output); }
    }

    /// <summary>
    /// Starts <paramref name="assembly"/> with <c>dotnet</c> on a free loopback port and waits for
    /// <c>/health/ready</c>. The working directory is a fresh temporary folder (Wolverine may write
    /// generated code there), and an inherited <c>ConnectionStrings__Postgres</c> is dropped so the
    /// server uses only what <paramref name="environment"/> and <paramref name="arguments"/> say.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(assembly, arguments, environment);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
                return server;
            }
            catch (Exception) when (attempt < 3 && server.LostItsPort())
            {
                // Another program took the free port between our probe and the server's bind.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    static ServerProcess Launch(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var workingDirectory = Directory.CreateTempSubdirectory("awaithuman-server-").FullName;
        var start = StartInfo(assembly, [.. arguments, "--urls", baseAddress.ToString().TrimEnd('/')], environment, workingDirectory);

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start `dotnet`: is the .NET SDK on PATH?");
        var server = new ServerProcess(process, workingDirectory, baseAddress);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    bool LostItsPort() => _process.HasExited && Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Runs a command of the server's command line to its end (two minutes at most) and returns its exit
    /// code, all it wrote (standard output, then standard error) and its standard output alone.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string StandardOutput)> RunCommandAsync(
        string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellationToken = default)
    {
        using var process = Process.Start(StartInfo(assembly, arguments, environment, workingDirectory))!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var error = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await output + await error, await output);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    static ProcessStartInfo StartInfo(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(k => k.Equals("ConnectionStrings__Postgres", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = new Uri(BaseAddress, "/health/ready");
        var deadline = Stopwatch.StartNew();
        HttpStatusCode? lastStatus = null;

        while (deadline.Elapsed < ReadinessTimeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready. Its output:\n{Output}");
            try
            {
                using var response = await probe.GetAsync(ready, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
                lastStatus = response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException(
            $"The server was not ready within {ReadinessTimeout.TotalSeconds:0} s (last /health/ready: {lastStatus?.ToString() ?? "no answer"}). Its output:\n{Output}");
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash, with no chance to hand anything over.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept) _output.Dequeue();
        }
    }

    /// <summary>Stops the server as an orchestrator would (SIGTERM, then SIGKILL if it hangs).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (OperatingSystem.IsWindows()) _process.Kill(entireProcessTree: true);
                else _ = SendSignal(_process.Id, SigTerm);
                using var stop = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_workingDirectory, recursive: true);
        }
    }

    const int SigTerm = 15;

    // .NET can only SIGKILL a process; a graceful stop needs SIGTERM.
    [DllImport("libc", EntryPoint = "kill")]
    static extern int SendSignal(int pid, int signal);
}
