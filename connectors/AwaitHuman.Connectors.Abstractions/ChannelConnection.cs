namespace AwaitHuman.Connectors;

/// <summary>
/// A tenant's connection to one provider as a connector sees it: the secrets already decrypted.
/// Connectors never store it; the core loads it for each send and each webhook.
/// </summary>
/// <param name="Id">Appears in the provider webhook URLs: <c>/connectors/{provider}/{id}/...</c>.</param>
/// <param name="Channels">The channels this connection serves (a subset of the connector's).</param>
/// <param name="PublicBaseUrl">
/// The platform's public address (<c>AwaitHuman:PublicUrl</c>, or the request's), for status
/// callback and reply addresses given to the provider.
/// </param>
public sealed record ChannelConnection(
    Guid Id,
    string TenantId,
    string Provider,
    string Name,
    IReadOnlyList<string> Channels,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Secrets,
    Uri PublicBaseUrl)
{
    public string Setting(string name) => Settings.TryGetValue(name, out var value) ? value : "";
    public string? OptionalSetting(string name) => Settings.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
    public string Secret(string name) => Secrets.TryGetValue(name, out var value) ? value : "";

    /// <summary>The public address of one of this connection's webhooks, e.g. <c>WebhookUrl("status")</c>.</summary>
    public Uri WebhookUrl(string path) => new(PublicBaseUrl, $"connectors/{Provider}/{Id}/{path}");
}
