using Marten;

namespace AwaitHuman.Core.Billing;

/// <summary>Opening a tenant's billing stream.</summary>
public static class BillingStreams
{
    /// <summary>Starts billing for a new tenant on the configured plan, in the caller's transaction. Nothing while billing is off.</summary>
    public static void Start(IDocumentSession session, BillingOptions billing, Guid tenantId, DateTimeOffset now)
    {
        if (!billing.Enabled) return;
        session.Events.StartStream<BillingAccount>(BillingAccount.StreamIdOf(tenantId), new BillingStarted(tenantId, billing.DefaultPlan, now));
    }

    /// <summary>
    /// The billing stream's state, its row locked until the session commits (append with
    /// <c>session.Events.Append(stream.Id, ...)</c>). A tenant made before billing was turned on
    /// starts on the configured plan here.
    /// </summary>
    public static async Task<BillingStream> LockAsync(IDocumentSession session, BillingOptions billing, Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var streamId = BillingAccount.StreamIdOf(tenantId);
        var stream = await session.Events.FetchForExclusiveWriting<BillingAccount>(streamId, ct);
        if (stream.Aggregate is { } state) return new BillingStream(streamId, state);
        var started = new BillingStarted(tenantId, billing.DefaultPlan, now);
        session.Events.StartStream<BillingAccount>(streamId, started);
        return new BillingStream(streamId, BillingAccount.Create(started));
    }
}

/// <summary>A locked billing stream: its id to append to, and its state before this transaction.</summary>
public sealed record BillingStream(Guid Id, BillingAccount State);
