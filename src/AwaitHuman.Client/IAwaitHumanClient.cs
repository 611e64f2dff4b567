using AwaitHuman.Client.Webhooks;

namespace AwaitHuman.Client;

/// <summary>
/// What an agent calls on AwaitHuman; <see cref="AwaitHumanClient"/> implements it and
/// <c>AddAwaitHumanClient</c> registers it. Depend on this interface to give your agent's unit
/// tests a double instead of HTTP.
/// </summary>
public interface IAwaitHumanClient
{
    /// <inheritdoc cref="AwaitHumanClient.EscalateAsync"/>
    Task<CreatedEscalation> EscalateAsync(EscalationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.GetAsync"/>
    Task<Escalation> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.ListAsync"/>
    Task<EscalationPage> ListAsync(EscalationFilter? filter = null, string? cursor = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.ListAllAsync"/>
    IAsyncEnumerable<EscalationSummary> ListAllAsync(EscalationFilter? filter = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.AppendMessageAsync"/>
    Task<Escalation> AppendMessageAsync(Guid id, MessageRole role, string content, DateTimeOffset? at = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.ProposeDraftAsync"/>
    Task<ProposedDraft> ProposeDraftAsync(Guid id, string content, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.CancelAsync"/>
    Task<Escalation> CancelAsync(Guid id, string? reason = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.WaitForHumanAsync(string, TimeSpan?, CancellationToken)"/>
    Task<Escalation> WaitForHumanAsync(string resumeToken, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.WaitForHumanAsync(Guid, TimeSpan?, CancellationToken)"/>
    Task<Escalation> WaitForHumanAsync(Guid id, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.StreamEventsAsync"/>
    IAsyncEnumerable<EscalationEvent> StreamEventsAsync(Guid id, string? lastEventId = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.CreateWebhookEndpointAsync"/>
    Task<WebhookEndpointWithSecret> CreateWebhookEndpointAsync(NewWebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.ListWebhookEndpointsAsync"/>
    Task<ListPage<WebhookEndpoint>> ListWebhookEndpointsAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.ListAllWebhookEndpointsAsync"/>
    IAsyncEnumerable<WebhookEndpoint> ListAllWebhookEndpointsAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.GetWebhookEndpointAsync"/>
    Task<WebhookEndpoint> GetWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.UpdateWebhookEndpointAsync"/>
    Task<WebhookEndpoint> UpdateWebhookEndpointAsync(Guid id, WebhookEndpointChanges changes, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.DeleteWebhookEndpointAsync"/>
    Task DeleteWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.RotateWebhookSecretAsync"/>
    Task<WebhookEndpointWithSecret> RotateWebhookSecretAsync(Guid id, TimeSpan? overlap = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.DisableWebhookEndpointAsync"/>
    Task<WebhookEndpoint> DisableWebhookEndpointAsync(Guid id, string? reason = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.EnableWebhookEndpointAsync"/>
    Task<WebhookEndpoint> EnableWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AwaitHumanClient.SendTestWebhookAsync"/>
    Task<WebhookTestSent> SendTestWebhookAsync(Guid id, CancellationToken cancellationToken = default);
}
