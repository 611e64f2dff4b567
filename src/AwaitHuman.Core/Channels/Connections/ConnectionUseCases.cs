using AwaitHuman.Connectors;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;

namespace AwaitHuman.Core.Channels.Connections;

/// <summary>
/// What the channel connections API and the channels page both do, on a session of the caller's
/// tenant (another tenant's connection is simply not found). The caller saves the session, and only
/// when the use case succeeded.
/// </summary>
public static class ConnectionUseCases
{
    const int MaxValueLength = 4_000;

    public static async Task<IReadOnlyList<ChannelConnectionView>> ListAsync(IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct)
    {
        var connections = await session.Query<Connection>().OrderByDescending(c => c.CreatedAt).ToListAsync(ct);
        var ids = connections.Select(c => c.Id).ToArray();
        var failures = ids.Length == 0 ? [] : (await session.LoadManyAsync<ConnectionFailure>(ct, ids)).ToDictionary(f => f.Id);
        return connections.Select(c => ChannelConnectionView.Of(c, catalog.Find(c.Provider), urls.BaseUrl, failures.GetValueOrDefault(c.Id))).ToArray();
    }

    public static async Task<Outcome<ChannelConnectionView>> GetAsync(Guid id, IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var connectionOf = batch.Load<Connection>(id);
        var failureOf = batch.Load<ConnectionFailure>(id);
        await batch.Execute(ct);
        return await connectionOf is { } connection
            ? ChannelConnectionView.Of(connection, catalog.Find(connection.Provider), urls.BaseUrl, await failureOf)
            : Failure.NotFound.Of("channel connection");
    }

    public static Outcome<ChannelConnectionView> Create(
        CreateChannelConnection request, IDocumentSession session, ConnectorCatalog catalog, ConnectionSecrets secrets, PublicUrls urls, Actor by, TimeProvider clock)
    {
        var connector = request.Provider is null ? null : catalog.Find(request.Provider);
        var errors = new Problems.Errors()
            .Check("provider", connector is null ? $"The provider is one of {string.Join(", ", catalog.Providers.Order())}." : null)
            .Check("name", NameProblem(request.Name));
        if (connector is not null)
        {
            CheckChannels(errors, connector, request.Channels);
            CheckFields(errors, "settings", connector.Schema.Settings, request.Settings, requireAll: true);
            CheckFields(errors, "secrets", connector.Schema.Secrets, request.Secrets, requireAll: true);
        }
        if (errors.Any) return errors.ToFailure();

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var channels = request.Channels is { Length: > 0 } chosen ? chosen.Distinct().ToArray() : connector!.Channels.ToArray();
        var settings = request.Settings ?? [];
        var secretValues = request.Secrets ?? [];
        var candidate = new ChannelConnection(id, session.TenantId, connector!.Provider, request.Name!.Trim(), channels, settings, secretValues, urls.BaseUrl);
        foreach (var (field, problem) in connector.Validate(candidate)) errors.Check(field, problem);
        if (errors.Any) return errors.ToFailure();

        var connected = new ChannelConnected(id, connector.Provider, candidate.Name, channels, settings,
            secrets.Protect(session.TenantId, secretValues), secretValues.Keys.Order().ToArray(), by, now);
        session.Events.StartStream<Connection>(id, connected);
        return ChannelConnectionView.Of(Connection.Create(connected), connector, urls.BaseUrl);
    }

    /// <summary>
    /// Changes the name, channels, settings or secrets; what the request leaves out stays. Settings
    /// given are the whole set (a field left out is cleared); secrets given replace only those named
    /// with a value, so an admin never needs to know the stored ones.
    /// </summary>
    public static async Task<Outcome<ChannelConnectionView>> UpdateAsync(
        Guid id, UpdateChannelConnection request, IDocumentSession session, ConnectorCatalog catalog, ConnectionSecrets secrets, PublicUrls urls,
        Actor by, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Connection>(id, ct);
        if (stream.Aggregate is not { } connection) return Failure.NotFound.Of("channel connection");
        if (catalog.Find(connection.Provider) is not { } connector) return new Failure.CannotBeDone($"This server has no {connection.Provider} connector.");

        var newSecrets = (request.Secrets ?? []).Where(pair => !string.IsNullOrEmpty(pair.Value)).ToDictionary();
        var errors = new Problems.Errors().Check("name", request.Name is null ? null : NameProblem(request.Name));
        CheckChannels(errors, connector, request.Channels);
        if (request.Settings is not null) CheckFields(errors, "settings", connector.Schema.Settings, request.Settings, requireAll: true);
        CheckFields(errors, "secrets", connector.Schema.Secrets, request.Secrets, requireAll: false);
        if (errors.Any) return errors.ToFailure();

        var name = request.Name?.Trim() ?? connection.Name;
        var channels = request.Channels is { Length: > 0 } chosen ? chosen.Distinct().ToArray() : connection.Channels;
        var settings = request.Settings ?? connection.Settings;
        var secretValues = new Dictionary<string, string>(secrets.Unprotect(session.TenantId, connection.ProtectedSecrets));
        foreach (var (secretName, value) in newSecrets) secretValues[secretName] = value;
        var candidate = new ChannelConnection(id, session.TenantId, connection.Provider, name, channels, settings, secretValues, urls.BaseUrl);
        foreach (var (field, problem) in connector.Validate(candidate)) errors.Check(field, problem);
        if (errors.Any) return errors.ToFailure();

        var updated = new ChannelConnectionUpdated(id, name, channels, settings, secrets.Protect(session.TenantId, secretValues),
            secretValues.Keys.Order().ToArray(), newSecrets.Keys.Order().ToArray(), by, clock.GetUtcNow());
        stream.AppendOne(updated);
        connection.Apply(updated);
        return ChannelConnectionView.Of(connection, connector, urls.BaseUrl, await session.LoadAsync<ConnectionFailure>(id, ct));
    }

    public static async Task<Outcome<ChannelConnectionView>> DisableAsync(
        Guid id, DisableChannelConnection request, IDocumentSession session, ConnectorCatalog catalog, PublicUrls urls, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (request.Reason?.Length > 500) return Failure.Invalid.Of("reason", "The reason is at most 500 characters.");
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Failure.NotFound.Of("channel connection");
        if (connection.IsEnabled)
        {
            var disabled = new ChannelConnectionDisabled(id, string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(), by, clock.GetUtcNow());
            session.Events.Append(id, disabled);
            connection.Apply(disabled);
        }
        return ChannelConnectionView.Of(connection, catalog.Find(connection.Provider), urls.BaseUrl, await session.LoadAsync<ConnectionFailure>(id, ct));
    }

    public static async Task<Outcome<ChannelConnectionView>> EnableAsync(
        Guid id, IDocumentSession session, ConnectorCatalog catalog, PublicUrls urls, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Failure.NotFound.Of("channel connection");
        if (!connection.IsEnabled)
        {
            var enabled = new ChannelConnectionEnabled(id, by, clock.GetUtcNow());
            session.Events.Append(id, enabled);
            connection.Apply(enabled);
        }
        return ChannelConnectionView.Of(connection, catalog.Find(connection.Provider), urls.BaseUrl, await session.LoadAsync<ConnectionFailure>(id, ct));
    }

    /// <summary>The snapshot and the last failure go; the stream stays for the audit trail.</summary>
    public static async Task<Outcome<Connection>> DeleteAsync(Guid id, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Failure.NotFound.Of("channel connection");
        session.Events.Append(id, new ChannelConnectionDeleted(id, connection.Name, by, clock.GetUtcNow()));
        session.Delete<ConnectionFailure>(id);
        return connection;
    }

    /// <summary>Sends one message now and reports what the provider said; a refusal is also kept as the connection's last error.</summary>
    public static async Task<Outcome<TestSendResult>> TestSendAsync(
        Guid id, TestSend request, IDocumentSession session, ConnectorCatalog catalog, ConnectionLookup lookup, TimeProvider clock, CancellationToken ct)
    {
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Failure.NotFound.Of("channel connection");
        var connector = catalog.Find(connection.Provider);
        var errors = new Problems.Errors()
            .Check("channel", request.Channel is null || !connection.Channels.Contains(request.Channel) ? $"The connection serves {string.Join(", ", connection.Channels)}." : null)
            .Check("to", request.Channel != ChannelKinds.Agent && string.IsNullOrWhiteSpace(request.To) ? "The address to send to is required." : null)
            .Check("text", string.IsNullOrWhiteSpace(request.Text) ? "The text is required." : null);
        if (errors.Any) return errors.ToFailure();
        if (!connection.IsEnabled) return new Failure.Conflict("The connection is disabled; enable it first.");
        if (connector is null) return new Failure.Conflict($"This server has no {connection.Provider} connector.");

        var now = clock.GetUtcNow();
        var message = new OutboundMessage(Guid.CreateVersion7(now), Guid.Empty, request.Channel!, request.To?.Trim() ?? "", null,
            request.Text, null, new ConversationThread("Test message", [], null), connection.Settings.GetValueOrDefault("from") ?? "");
        var outcome = await connector.SendAsync(message, lookup.Open(connection), ct);
        var result = outcome switch
        {
            SendOutcome.Accepted accepted => new TestSendResult("accepted", accepted.ProviderMessageId, accepted.State, null, null, null),
            SendOutcome.RetryLater later => new TestSendResult("retry_later", null, null, null, later.Error, null),
            SendOutcome.Failed failed => new TestSendResult("failed", null, null, failed.ErrorCode, failed.Error, failed.Suggestion),
            _ => throw new InvalidOperationException($"Unknown send outcome {outcome}."),
        };
        if (result.Error is { } error) session.Store(new ConnectionFailure(id, result.ErrorCode, error, now));
        return result;
    }

    static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A name is required." : name.Trim().Length > 100 ? "The name is at most 100 characters." : null;

    static void CheckChannels(Problems.Errors errors, IChannelConnector connector, string[]? channels)
    {
        var unserved = (channels ?? []).Where(channel => !connector.Channels.Contains(channel)).ToArray();
        errors.Check("channels", unserved.Length > 0 ? $"{connector.Provider} serves {string.Join(", ", connector.Channels)}, not {string.Join(", ", unserved)}." : null);
    }

    /// <param name="requireAll">False for secrets on an update: the stored ones count, only new values are given.</param>
    static void CheckFields(Problems.Errors errors, string group, IReadOnlyList<ConnectionField> fields, Dictionary<string, string>? given, bool requireAll)
    {
        given ??= [];
        if (requireAll)
            foreach (var field in fields.Where(f => f.Required && string.IsNullOrWhiteSpace(given.GetValueOrDefault(f.Name))))
                errors.Check($"{group}.{field.Name}", $"Required: {field.Description}");
        foreach (var name in given.Keys.Where(name => fields.All(f => f.Name != name)))
            errors.Check($"{group}.{name}", $"Unknown; {group} are {(fields.Count == 0 ? "none" : string.Join(", ", fields.Select(f => f.Name)))}.");
        foreach (var (name, value) in given.Where(pair => pair.Value?.Length > MaxValueLength))
            errors.Check($"{group}.{name}", $"At most {MaxValueLength:N0} characters.");
    }
}
