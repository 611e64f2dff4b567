using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Testing;
using Microsoft.Playwright;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// <c>./awaithuman bench console [escalations] [rate]</c>: from the Agent API's 201 to the escalation's
/// row in a signed-in console in Chromium (the Unassigned view), over 200 escalations opened at 20 per
/// second. Both ends are timed in the page, on one clock: the page itself POSTs each escalation with
/// the agent's API key (no cookies) and a MutationObserver notes when each row's
/// <c>data-escalation</c> enters the DOM. The 201's moment is the response's first byte as the
/// browser's network stack saw it (Resource Timing), so a busy main thread does not shorten the figure.
/// A second operator claims each escalation once its row is seen, as a team would, so the view
/// stays short (it shows at most 100 rows).
/// </summary>
public static class ConsoleLatencyBenchmark
{
    const double TargetP99Ms = 250;
    const int WarmUp = 20;

    /// <summary>The page's half of the measurement, installed once the inbox is live.</summary>
    const string Probe = """
        ({ apiKey, pickerToken, body }) => {
          performance.setResourceTimingBufferSize(100000);
          const seen = new Map();
          const claim = id => fetch(`/v1/escalations/${id}/claim`, { method: "POST", credentials: "omit",
            headers: { "Authorization": `Bearer ${pickerToken}`, "Content-Type": "application/json" }, body: "{}" });
          const note = () => {
            const now = performance.now();
            for (const row of document.querySelectorAll("tr[data-escalation]")) {
              const id = row.getAttribute("data-escalation");
              if (!seen.has(id)) { seen.set(id, now); claim(id); }
            }
          };
          new MutationObserver(note).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-escalation"] });
          note();
          // The network's view of when the 201 began to arrive: the entry of this fetch, matched by its start.
          const firstByteOf = sentAt => {
            let best = null;
            for (const entry of performance.getEntriesByType("resource"))
              if (entry.initiatorType === "fetch" && entry.name.endsWith("/v1/escalations") && Math.abs(entry.startTime - sentAt) < 5
                  && (best === null || Math.abs(entry.startTime - sentAt) < Math.abs(best.startTime - sentAt))) best = entry;
            return best && best.responseStart > 0 ? best.responseStart : null;
          };
          const open = async () => {
            const sentAt = performance.now();
            try {
              const response = await fetch("/v1/escalations", { method: "POST", credentials: "omit",
                headers: { "Authorization": `Bearer ${apiKey}`, "Content-Type": "application/json" }, body });
              const answeredAt = performance.now();
              if (response.status !== 201) return { error: `HTTP ${response.status}` };
              const { id } = await response.json();
              return { id, answeredAt, firstByteAt: firstByteOf(sentAt) };
            } catch (failure) {
              return { error: String(failure) };
            }
          };
          window.consoleBench = {
            run: (count, rate) => Promise.all(Array.from({ length: count }, (_, i) =>
              new Promise(resolve => setTimeout(() => open().then(resolve), i * 1000 / rate)))),
            allSeen: ids => ids.every(id => seen.has(id)),
            seenAt: ids => ids.map(id => seen.get(id) ?? null),
          };
        }
        """;

    sealed record Opened(string? Id, double AnsweredAt, double? FirstByteAt, string? Error);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 200;
        var rate = args.Length > 1 ? int.Parse(args[1]) : 20;

        Console.Error.WriteLine("Console: starting a server on a database of its own...");
        using var postgres = BenchCluster.Start();
        var connectionString = await BenchCluster.CreateDatabaseAsync(postgres, "console");
        var machine = await MachineFacts.ReadAsync(connectionString, ct);
        await using var app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["RateLimits:PerCredentialPerMinute"] = "1000000000",
            ["RateLimits:PerTenantPerMinute"] = "1000000000",
            ["Logging:LogLevel:Default"] = "Error",
        });
        var tenant = await app.NewTenantAsync();
        var watcher = await app.NewMemberAsync(tenant, "operator");
        var picker = await app.NewMemberAsync(tenant, "operator");

        await using var chromium = new Chromium();
        await chromium.InitializeAsync();
        await using var context = await chromium.NewPersonAsync(app);
        var page = await context.NewPageAsync();
        Console.Error.WriteLine("Signing the operator in with Chromium, on the Unassigned view...");
        await ConsolePages.SignInAsync(page, watcher.Email, watcher.Password);
        await ConsolePages.GoToAsync(page, "/?view=unassigned");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }))
            .ToHaveAttributeAsync("aria-current", "page");

        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["name"] = "Bench customer";
        await page.EvaluateAsync(Probe, new { apiKey = tenant.ApiKey, pickerToken = picker.Token, body = request.ToJsonString() });

        Console.Error.WriteLine($"Warming up with {WarmUp} escalations...");
        await OpenAsync(page, WarmUp, rate);
        Console.Error.WriteLine($"Opening {count} escalations at {rate}/s...");
        var opened = await OpenAsync(page, count, rate);

        var latencies = opened.Where(o => o.Latency is not null).Select(o => o.Latency!.Value).Order().ToList();
        var errors = opened.Count(o => o.Error is not null);
        var unseen = opened.Count(o => o.Error is null && o.Latency is null);
        var byNetwork = opened.Count(o => o.FromFirstByte);
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(q * latencies.Count) - 1, 0, latencies.Count - 1)];
        var met = P(0.99) < TargetP99Ms && errors == 0 && unseen == 0;

        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.OperatingSystem}{(machine.LoadAverage is { } load ? $", load average {load} at the start" : "")}; server, PostgreSQL and Chromium share them");
        Console.WriteLine($"Console: {count} escalations at {rate}/s, from the Agent API's 201 to the row in the signed-in inbox (Chromium)");
        Console.WriteLine($"  rendered {latencies.Count} of {count}, {errors} opens failed, {unseen} never shown; 201 timed by the network's first byte for {byNetwork}, by the fetch's answer for the rest");
        Console.WriteLine($"  min {P(0):N1} ms, p50 {P(0.5):N1} ms, p90 {P(0.9):N1} ms, p99 {P(0.99):N1} ms, max {P(1):N1} ms");
        Console.WriteLine($"Target p99 under {TargetP99Ms:N0} ms: {(met ? "met" : "MISSED")}");
        foreach (var (error, times) in opened.Where(o => o.Error is not null).CountBy(o => o.Error!)) Console.WriteLine($"  errors: {times} x {error}");

        var file = WriteJson(machine, count, rate, latencies, errors, unseen, P, met);
        Console.WriteLine($"\nResults written to {Path.GetRelativePath(RepositoryLayout.Root, file)}");
        return 0;
    }

    sealed record Measured(string? Error, double? Latency, bool FromFirstByte);

    /// <summary>Opens <paramref name="count"/> escalations from the page and waits (up to 30 s) for their rows.</summary>
    static async Task<List<Measured>> OpenAsync(IPage page, int count, int rate)
    {
        var opened = (await page.EvaluateAsync<JsonElement>("([count, rate]) => consoleBench.run(count, rate)", new[] { count, rate }))
            .EnumerateArray()
            .Select(o => new Opened(
                o.TryGetProperty("id", out var id) ? id.GetString() : null,
                o.TryGetProperty("answeredAt", out var answered) ? answered.GetDouble() : 0,
                o.TryGetProperty("firstByteAt", out var firstByte) && firstByte.ValueKind == JsonValueKind.Number ? firstByte.GetDouble() : null,
                o.TryGetProperty("error", out var error) ? error.GetString() : null))
            .ToList();
        var ids = opened.Where(o => o.Id is not null).Select(o => o.Id!).ToArray();
        try
        {
            await page.WaitForFunctionAsync("ids => consoleBench.allSeen(ids)", ids, new() { Timeout = 30_000, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("Some rows never appeared within 30 s.");
        }
        var seen = (await page.EvaluateAsync<JsonElement>("ids => consoleBench.seenAt(ids)", ids)).EnumerateArray()
            .Select((at, i) => (Id: ids[i], At: at.ValueKind == JsonValueKind.Number ? at.GetDouble() : (double?)null))
            .ToDictionary(pair => pair.Id, pair => pair.At);
        return opened.Select(o => o.Error is not null || o.Id is null
                ? new Measured(o.Error ?? "no id", null, false)
                : new Measured(null, seen[o.Id] - (o.FirstByteAt ?? o.AnsweredAt), o.FirstByteAt is not null))
            .ToList();
    }

    static string WriteJson(MachineFacts machine, int count, int rate, List<double> latencies, int errors, int unseen, Func<double, double> p, bool met)
    {
        var finishedAt = DateTimeOffset.UtcNow;
        var folder = Directory.CreateDirectory(Path.Combine(RepositoryLayout.Root, "BenchmarkResults")).FullName;
        var file = Path.Combine(folder, $"bench-console-{finishedAt:yyyyMMdd'T'HHmmss'Z'}.json");
        var document = new JsonObject
        {
            ["finishedAt"] = finishedAt,
            ["machine"] = JsonSerializer.SerializeToNode(machine),
            ["benchmark"] = "console: Agent API 201 to the row in the signed-in console (Chromium)",
            ["escalations"] = count,
            ["ratePerSecond"] = rate,
            ["rendered"] = latencies.Count,
            ["errors"] = errors,
            ["neverShown"] = unseen,
            ["latencyMs"] = new JsonObject { ["min"] = p(0), ["p50"] = p(0.5), ["p90"] = p(0.9), ["p99"] = p(0.99), ["max"] = p(1) },
            ["target"] = new JsonObject { ["p99UnderMs"] = TargetP99Ms, ["met"] = met },
            ["latenciesMs"] = new JsonArray([.. latencies.Select(l => (JsonNode)Math.Round(l, 2))]),
        };
        File.WriteAllText(file, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }
}
