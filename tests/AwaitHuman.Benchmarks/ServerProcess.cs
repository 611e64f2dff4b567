using System.Diagnostics;
using System.Net;
using AwaitHuman.Server.Hosting;
using AwaitHuman.Server.Hosting.Database;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// The real server as a child process, started the way production starts it, attached to the
/// benchmark's PostgreSQL through its own embedded-cluster code path.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(120);
    const int OutputLinesKept = 200;

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

    /// <summary>
    /// The given server assembly, or else the copy the ProjectReference puts beside this benchmark:
    /// it comes with the server's own runtimeconfig and deps files and is rebuilt with the benchmark,
    /// so it never lags behind it.
    /// </summary>
    public static string LocateAssembly(string? given)
    {
        var assembly = given ?? Path.Combine(AppContext.BaseDirectory, "AwaitHuman.Server.dll");
        if (!File.Exists(assembly) || !File.Exists(Path.ChangeExtension(assembly, ".runtimeconfig.json")))
            throw new BenchFailure(
                $"No runnable server at {assembly} (the dll and its .runtimeconfig.json). " +
                "Build it with `dotnet build -c Release tests/AwaitHuman.Benchmarks`, or pass --server <path to AwaitHuman.Server.dll>.");
        return assembly;
    }

    public static async Task<ServerProcess> StartAsync(string serverAssembly, string dataRoot, CancellationToken cancellationToken)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        // Wolverine may write generated code under ./Internal/Generated: keep it out of the repository.
        var workingDirectory = Directory.CreateTempSubdirectory("awaithuman-bench-").FullName;

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment[PostgresHosting.DataDirectorySetting] = dataRoot;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // An inherited connection string would send the server to another database than the twin's.
        foreach (var key in start.Environment.Keys.Where(k => k.EndsWith("ConnectionStrings__Postgres", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);

        var process = Process.Start(start) ?? throw new BenchFailure("Could not start `dotnet`: is the .NET SDK on PATH?");
        var server = new ServerProcess(process, workingDirectory, baseAddress);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"Starting the server on {BaseAddress} and waiting for /health/ready...");
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var ready = new Uri(BaseAddress, "/health/ready");
        var deadline = Stopwatch.StartNew();
        HttpStatusCode? lastStatus = null;

        while (deadline.Elapsed < ReadinessTimeout)
        {
            if (_process.HasExited)
                throw new BenchFailure($"The server exited with code {_process.ExitCode} before it was ready. Its output:\n{CapturedOutput()}");
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

        throw new BenchFailure(
            $"The server was not ready within {ReadinessTimeout.TotalSeconds:0} s (last /health/ready status: {lastStatus?.ToString() ?? "no answer"}). Its output:\n{CapturedOutput()}");
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

    string CapturedOutput()
    {
        lock (_output) return _output.Count == 0 ? "(none)" : string.Join('\n', _output);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"The server (pid {_process.Id}) did not stop: {e.Message}");
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_workingDirectory, recursive: true);
        }
    }
}
