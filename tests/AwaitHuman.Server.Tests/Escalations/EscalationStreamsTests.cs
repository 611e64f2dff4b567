using System.Collections.Concurrent;
using System.Diagnostics;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Testing;
using JasperFx;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>Fetching an escalation to write to it reads its inbox summary in the same round trip (<see cref="EscalationStreams"/>).</summary>
public class EscalationStreamsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_commit_advances_the_summary_read_with_the_escalation_without_reading_it_again(bool exclusive)
    {
        var (tenantId, id) = await OpenAsync();
        await using var session = _app.Store.LightweightSession(tenantId);
        using var statements = new StatementLog();

        var stream = exclusive ? await session.FetchEscalationForExclusiveWritingAsync(id, Ct) : await session.FetchEscalationForWritingAsync(id, Ct);
        statements.Executed.Count(sql => sql.Contains("mt_doc_escalationsummary", StringComparison.Ordinal)).ShouldBe(1);
        statements.Clear();
        stream.AppendOne(new EscalationPriorityChanged(id, "normal", "urgent", "a test", DateTimeOffset.UtcNow));
        await session.SaveChangesAsync(Ct);

        statements.Executed.ShouldNotContain(sql => sql.Contains("from awaithuman.mt_doc_escalationsummary", StringComparison.Ordinal));
        await using var fresh = _app.Store.QuerySession(tenantId);
        var summary = await fresh.LoadAsync<EscalationSummary>(id, Ct);
        summary!.Priority.ShouldBe("urgent");
        summary.Status.ShouldBe("waiting_for_human");
        (await fresh.LoadAsync<Escalation>(id, Ct))!.Priority.ShouldBe("urgent");
    }

    [Fact]
    public async Task A_write_on_a_summary_another_command_changed_meanwhile_is_refused_whole()
    {
        var (tenantId, id) = await OpenAsync();
        await using var late = _app.Store.LightweightSession(tenantId);
        var stale = await late.FetchEscalationForWritingAsync(id, Ct);

        await using (var first = _app.Store.LightweightSession(tenantId))
        {
            var stream = await first.FetchEscalationForWritingAsync(id, Ct);
            stream.AppendOne(new EscalationPriorityChanged(id, "normal", "urgent", "first", DateTimeOffset.UtcNow));
            await first.SaveChangesAsync(Ct);
        }

        stale.AppendOne(new EscalationPriorityChanged(id, "normal", "low", "second, on what it read before", DateTimeOffset.UtcNow));
        await Should.ThrowAsync<ConcurrencyException>(() => late.SaveChangesAsync(Ct));
        await using var fresh = _app.Store.QuerySession(tenantId);
        (await fresh.LoadAsync<EscalationSummary>(id, Ct))!.Priority.ShouldBe("urgent");
        (await fresh.LoadAsync<Escalation>(id, Ct))!.Priority.ShouldBe("urgent");
    }

    async Task<(string TenantId, Guid Id)> OpenAsync()
    {
        var tenant = await _app.NewTenantAsync();
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetGuid();
        return (tenant.TenantId, id);
    }

    /// <summary>
    /// The SQL of every command Npgsql runs below this log's own activity, so commands of tests running
    /// at the same time are left out.
    /// </summary>
    sealed class StatementLog : IDisposable
    {
        readonly ActivityListener _listener;
        readonly Activity _scope;
        readonly ConcurrentQueue<string> _executed = new();

        public StatementLog()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == _scope!.TraceId) _executed.Enqueue(Statement(activity));
                },
            };
            ActivitySource.AddActivityListener(_listener);
            _scope = new Activity(nameof(StatementLog)).Start();
        }

        public IReadOnlyList<string> Executed => [.. _executed];

        public void Clear() => _executed.Clear();

        static string Statement(Activity activity) =>
            activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;

        public void Dispose()
        {
            _scope.Stop();
            _listener.Dispose();
        }
    }
}
