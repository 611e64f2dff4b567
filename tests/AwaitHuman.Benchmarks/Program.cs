using System.Runtime.InteropServices;
using AwaitHuman.Benchmarks;
using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Testing;

// Routing's benchmarks run on their own: `bench rules` (the evaluator) and `bench assignment [rate] [seconds]`.
if (args is ["rules", .. var ruleArgs]) return AwaitHuman.Benchmarks.RuleEvaluationBenchmark.Run(ruleArgs);
if (args is ["assignment", .. var assignmentArgs]) return await AwaitHuman.Benchmarks.AssignmentLatencyBenchmark.RunAsync(assignmentArgs, CancellationToken.None);
// The channel hub's: `bench replies [rate] [seconds]`, durable against in-memory sending in one run.
if (args is ["replies", .. var replyArgs]) return await AwaitHuman.Benchmarks.ReplyPipelineBenchmark.RunAsync(replyArgs, CancellationToken.None);
// The operator console's: `bench console [escalations] [rate]`, from the Agent API's 201 to the row in Chromium.
if (args is ["console", .. var consoleArgs]) return await AwaitHuman.Benchmarks.ConsoleLatencyBenchmark.RunAsync(consoleArgs, CancellationToken.None);
// Failover: `bench projections [runs] [distribution]`, how long projections stop when the node running them is killed, per distribution.
if (args is ["projections", .. var projectionArgs]) return await AwaitHuman.Benchmarks.ProjectionFailoverBenchmark.RunAsync(projectionArgs, CancellationToken.None);

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (!BenchOptions.TryParse(args, out var options, out var problem))
{
    Console.Error.WriteLine($"{problem}\n\n{BenchOptions.Usage}");
    return 2;
}

// Ctrl+C or SIGTERM unwinds through the disposals below, so the server and PostgreSQL stop; a second one ends at once.
using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);

// Progress goes to stderr so stdout holds only the report.
using var logging = LoggerFactory.Create(log => log.AddSimpleConsole(o => o.SingleLine = true)
    .AddFilter("Microsoft", LogLevel.Warning)
    .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

try
{
    var repositoryRoot = RepositoryLayout.Root;
    var serverAssembly = options.ServerAssembly ?? RepositoryLayout.ServerAssembly;
    // The server is pointed at the benches' own cluster, so it attaches to it instead of the embedded default's.
    var dataRoot = BenchCluster.DataRoot;
    using var postgres = BenchCluster.Start(logging.CreateLogger<EmbeddedPostgres>());

    var machine = await MachineFacts.ReadAsync(postgres.ConnectionString, stopping.Token);
    Report.PrintMachine(machine, options);

    await using var twin = await CalibrationTwin.StartAsync(postgres.ConnectionString, stopping.Token);
    Console.Error.WriteLine("Starting the server and waiting for /health/ready...");
    await using var server = await ServerProcess.StartAsync(serverAssembly, [], new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        // No connection string: the server finds this cluster through its own embedded-default path.
        [PostgresHosting.DataDirectorySetting] = dataRoot,
        ["Logging__LogLevel__Default"] = "Warning",
        // The load is one API key of one tenant; the limits would measure the limiter instead.
        ["RateLimits__PerCredentialPerMinute"] = "1000000000",
        ["RateLimits__PerTenantPerMinute"] = "1000000000",
        ["RateLimits__AnonymousPerAddressPerMinute"] = "1000000000",
    }, stopping.Token);
    var credentials = await DemoCredentials.ReadAsync(dataRoot, stopping.Token);
    BenchTarget TargetOf(Uri address) => new(address, credentials.ApiKey, credentials.OperatorToken);

    using var client = LoadDriver.CreateHttpClient(options.Concurrency);
    List<ScenarioResult> results = [];
    foreach (var scenario in Scenarios.Select(options.ScenarioNames))
    {
        var target = TargetOf(scenario.Target == ScenarioTarget.Twin ? twin.BaseAddress : server.BaseAddress);
        results.Add(scenario.AtRate is { } rate
            ? await LoadDriver.RunAtRateAsync(client, scenario, target, rate.Fraction * results.Single(r => r.Scenario.Name == rate.Of).RequestsPerSecond, options, stopping.Token)
            : await LoadDriver.RunAsync(client, scenario, target, options, stopping.Token));
    }

    var resolveToWait = Scenarios.IsChosen(options.ScenarioNames, Scenarios.ResolveToWait)
        ? await ResolveToWaitProbe.RunAsync(TargetOf(server.BaseAddress), stopping.Token)
        : null;

    var rows = Report.CompareWithTwin(results);
    Report.PrintTable(rows);
    if (resolveToWait is not null) Report.PrintResolveToWait(resolveToWait);
    var verdicts = Report.Verdicts(rows, resolveToWait);
    Report.PrintVerdicts(verdicts);
    var file = Report.WriteJson(repositoryRoot, machine, options, rows, resolveToWait, verdicts);
    Console.WriteLine($"\nResults written to {Path.GetRelativePath(repositoryRoot, file)}");
    return 0;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted: the server and PostgreSQL were stopped.");
    return 130;
}
catch (Exception failure) when (failure is BenchFailure or FileNotFoundException or InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"Benchmark failed: {failure.Message}");
    return 1;
}

void StopGracefully(PosixSignalContext context)
{
    context.Cancel = !stopping.IsCancellationRequested;
    stopping.Cancel();
}
