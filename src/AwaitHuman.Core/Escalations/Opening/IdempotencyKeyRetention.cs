using AwaitHuman.Core.Retention;
using Marten;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.Escalations.Opening;

/// <summary>Forgets idempotency keys a week after their first use: agents retry within minutes, and the promise is at least 24 hours.</summary>
public sealed class IdempotencyKeyRetention(IDocumentStore store, TimeProvider clock, ILogger<IdempotencyKeyRetention> logger)
    : HourlyPurge<IdempotentResponse>(store, clock, logger, "created_at")
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    protected override TimeSpan KeptFor => Kept;
}
