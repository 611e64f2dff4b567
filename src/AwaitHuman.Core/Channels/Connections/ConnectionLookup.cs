using AwaitHuman.Connectors;
using Marten;
using Marten.Services.BatchQuerying;

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
    public static async Task<Connection?> ForChannelAsync(IQuerySession session, string channel, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var connection = ForChannel(batch, channel);
        await batch.Execute(ct);
        return await connection;
    }

    /// <summary>The same, read with the other queries of <paramref name="batch"/>.</summary>
    public static Task<Connection?> ForChannel(IBatchedQuery batch, string channel) =>
        batch.Query<Connection>()
            .Where(c => c.DisabledAt == null && c.Channels.Contains(channel))
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefault();

    public ChannelConnection Open(Connection connection) => new(
        connection.Id, connection.TenantId, connection.Provider, connection.Name, connection.Channels, connection.Settings,
        secrets.Unprotect(connection.TenantId, connection.ProtectedSecrets), urls.BaseUrl);
}
