using System.Diagnostics.CodeAnalysis;
using Marten.Metadata;

namespace AwaitHuman.Core.Billing.Usage;

/// <summary>
/// An escalation a human handled (claimed it, replied, decided or resolved), recorded once, when
/// the first of those happened: what the tenant's usage counts and what the meter is told about.
/// Its id is the escalation's.
/// </summary>
public sealed class HandledEscalation : ITenanted
{
    public Guid Id { get; set; }
    /// <summary>When a human first handled it.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>When Stripe's meter accepted it; null while not sent, or when there was nothing to meter (no current subscription).</summary>
    public DateTimeOffset? ReportedAt { get; set; }

    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";
}

/// <summary>Tells Stripe's meter about one handled escalation; sent through the durable outbox.</summary>
public sealed record ReportHandledEscalation(Guid EscalationId);
