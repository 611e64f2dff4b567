namespace AwaitHuman.Core.Escalations.Opening;

/// <summary>
/// Marks an endpoint that honours an <c>Idempotency-Key</c> header, so the OpenAPI document names the
/// header on that operation and generated clients can send it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsIdempotencyKeyAttribute : Attribute
{
    public const string Description =
        "Makes a retry safe: the same key with the same request returns the first answer again (with `Idempotent-Replayed: true`), " +
        "with another request it is refused with 422. 1 to 255 printable characters, kept for at least 24 hours.";
}
