namespace AwaitHuman.Core.ApiKeys;

/// <summary>
/// When a credential (API key, personal access token) was last used. Kept apart from the
/// credential's event-sourced document so a busy key does not append an event per request.
/// </summary>
public sealed class CredentialUse
{
    public Guid Id { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
}
