using AwaitHuman.Connectors;
using Marten;

namespace AwaitHuman.Core.Channels.Connections;

/// <summary>Loads connections with their secrets decrypted, as connectors receive them.</summary>
public sealed class ConnectionLookup(IDocumentStore store, ConnectionSecrets secrets, PublicUrls urls)
{
    /// <summary>The enabled connection with this id in any tenant: provider webhooks carry only the id.</summary>
    public async Task<ChannelConnection?> FindAnyTenantAsync(string provider, Guid connectionId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var connection = await session.Query<Connection>()
            .Where(c => c.AnyTenant() && c.Id == connectionId)
            .FirstOrDefaultAsync(ct);
        return connection is { IsEnabled: true } && connection.Provider == provider ? Open(connection) : null;
    }

    /// <summary>The tenant's newest enabled connection serving <paramref name="channel"/>.</summary>
    public static Task<Connection?> ForChannelAsync(IQuerySession session, string channel, CancellationToken ct) =>
        session.Query<Connection>()
            .Where(c => c.DisabledAt == null && c.Channels.Contains(channel))
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(ct);

    public ChannelConnection Open(Connection connection) => new(
        connection.Id, connection.TenantId, connection.Provider, connection.Name, connection.Channels, connection.Settings,
        secrets.Unprotect(connection.TenantId, connection.ProtectedSecrets), urls.BaseUrl);
}
