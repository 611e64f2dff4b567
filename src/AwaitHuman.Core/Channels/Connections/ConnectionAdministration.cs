using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AwaitHuman.Core.Channels.Connections;

/// <summary>
/// The channels page's side of <see cref="ConnectionUseCases"/> (a Blazor circuit has no request):
/// each change in a session of the caller's tenant, saved only when the use case succeeded.
/// </summary>
public sealed class ConnectionAdministration(
    IDocumentStore store, ConnectorCatalog catalog, ConnectionSecrets secrets, ConnectionLookup lookup, PublicUrls urls, TimeProvider clock)
{
    /// <summary>How long the page's preview of the web chat widget may talk to the widget's API.</summary>
    static readonly TimeSpan PreviewLifetime = TimeSpan.FromMinutes(30);

    public IReadOnlyCollection<string> Providers => catalog.Providers;

    public Connectors.IChannelConnector? Connector(string provider) => catalog.Find(provider);

    public Uri PublicBaseUrl => urls.BaseUrl;

    public async Task<IReadOnlyList<ChannelConnectionView>> ListAsync(Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        return await ConnectionUseCases.ListAsync(session, catalog, urls, ct);
    }

    public Task<Outcome<ChannelConnectionView>> CreateAsync(Caller caller, Actor by, CreateChannelConnection request, CancellationToken ct) =>
        RunAsync(caller, session => Task.FromResult(ConnectionUseCases.Create(request, session, catalog, secrets, urls, by, clock)), ct);

    public Task<Outcome<ChannelConnectionView>> UpdateAsync(Caller caller, Actor by, Guid id, UpdateChannelConnection request, CancellationToken ct) =>
        RunAsync(caller, session => ConnectionUseCases.UpdateAsync(id, request, session, catalog, secrets, urls, by, clock, ct), ct);

    public Task<Outcome<ChannelConnectionView>> DisableAsync(Caller caller, Actor by, Guid id, string? reason, CancellationToken ct) =>
        RunAsync(caller, session => ConnectionUseCases.DisableAsync(id, new DisableChannelConnection(reason), session, catalog, urls, by, clock, ct), ct);

    public Task<Outcome<ChannelConnectionView>> EnableAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunAsync(caller, session => ConnectionUseCases.EnableAsync(id, session, catalog, urls, by, clock, ct), ct);

    public Task<Outcome<Connection>> DeleteAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunAsync(caller, session => ConnectionUseCases.DeleteAsync(id, session, by, clock, ct), ct);

    /// <summary>A test send's last error is stored also when the provider refused, so the session is saved whenever the send ran.</summary>
    public Task<Outcome<TestSendResult>> TestSendAsync(Caller caller, Guid id, TestSend request, CancellationToken ct) =>
        RunAsync(caller, session => ConnectionUseCases.TestSendAsync(id, request, session, catalog, lookup, clock, ct), ct);

    /// <summary>
    /// A session token for the widget preview on the channels page, signed with the connection's own
    /// secret as the tenant's backend would sign one: a visitor of its own, a conversation no agent
    /// escalated, so the preview shows the widget exactly as a customer sees it before the hand-over.
    /// </summary>
    public async Task<Outcome<string>> WebChatPreviewTokenAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        if (await session.LoadAsync<Connection>(id, ct) is not { Provider: "webchat" } connection) return Failure.NotFound.Of("web chat connection");
        if (!connection.IsEnabled) return new Failure.Conflict("The connection is disabled; enable it to preview the widget.");
        var secret = lookup.Open(connection).Secret("signing_secret");
        var now = clock.GetUtcNow();
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Audience = id.ToString(),
            Subject = new ClaimsIdentity([new Claim("sub", $"preview-{caller.PersonId}"), new Claim("name", caller.Name),
                new Claim("conversation", $"preview-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}")]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + PreviewLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
        return token;
    }

    /// <summary>A signing secret for a new web chat connection: 48 random bytes, well above HS256's 256 bits.</summary>
    public static string NewSigningSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(48));

    async Task<Outcome<T>> RunAsync<T>(Caller caller, Func<IDocumentSession, Task<Outcome<T>>> change, CancellationToken ct) where T : notnull
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var outcome = await change(session);
        if (!outcome.Succeeded) return outcome;
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
        {
            return new Failure.Conflict("Someone else changed this connection at the same moment; nothing of yours was saved. Look again and retry.");
        }
        return outcome;
    }
}
