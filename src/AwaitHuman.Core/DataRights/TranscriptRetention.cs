using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.DataRights;

/// <summary>
/// Every hour, masks the transcripts of escalations that ended longer ago than their tenant's
/// retention period, with the same masking as an erasure. Each node runs it; masking twice is harmless.
/// </summary>
public sealed class TranscriptRetention(IDocumentStore store, TimeProvider clock, ILogger<TranscriptRetention> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromHours(1);
    /// <summary>Escalations masked per tenant and run: a first run over years of history is spread over hours.</summary>
    const int BatchSize = 200;
    static readonly string[] Ended = [EscalationStatuses.Resolved, EscalationStatuses.Cancelled, EscalationStatuses.TimedOut];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await MaskExpiredAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Masking expired transcripts failed; trying again in {Every}", Every);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>How many escalations were masked, over every tenant.</returns>
    public async Task<int> MaskExpiredAsync(CancellationToken ct)
    {
        IReadOnlyList<Tenant> tenants;
        await using (var query = store.QuerySession())
            tenants = await query.Query<Tenant>().Where(t => t.AnyTenant() && t.TranscriptRetentionDays != null).ToListAsync(ct);

        var masked = 0;
        foreach (var tenant in tenants)
        {
            var now = clock.GetUtcNow();
            var days = tenant.TranscriptRetentionDays!.Value;
            var expired = await ExpiredAsync(tenant.TenantId, now - TimeSpan.FromDays(days), ct);
            if (expired.Length == 0) continue;
            await EscalationMasking.MaskAsync(store, tenant.TenantId, expired, EscalationMasking.BecauseRetention, now, ct,
                session => session.Events.Append(tenant.Id, new TranscriptsExpired(expired.Length, days, Actor.System("retention"), now)));
            masked += expired.Length;
        }
        return masked;
    }

    async Task<Guid[]> ExpiredAsync(string tenantId, DateTimeOffset endedBefore, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        var candidates = await session.Query<EscalationSummary>()
            .Where(s => s.Status.IsOneOf(Ended) && s.UpdatedAt < endedBefore)
            .OrderBy(s => s.UpdatedAt)
            .ToListAsync(ct);
        if (candidates.Count == 0) return [];
        var ids = candidates.Select(s => s.Id).ToArray();
        var maskedAt = (await session.Query<MaskedEscalation>().Where(m => m.Id.IsOneOf(ids)).ToListAsync(ct)).ToDictionary(m => m.Id, m => m.MaskedAt);
        // Masked once and not changed since (a reopened escalation's new lines are masked when it ends again).
        return [.. candidates.Where(s => !maskedAt.TryGetValue(s.Id, out var at) || at < s.UpdatedAt).Take(BatchSize).Select(s => s.Id)];
    }
}
