using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>
/// Marten stores an event under its class name alone (<c>delivery_failed</c>), so an event class may
/// move to another namespace: the delivery events did, from Channels.Sending to Escalations.
/// </summary>
public class StoredEventNamesTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivery_event_stored_before_the_move_loads_as_the_moved_class()
    {
        var tenant = await _app.NewTenantAsync();
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetGuid();
        var events = $"{_app.Store.Options.Events.DatabaseSchemaName}.mt_events";
        await using (var session = _app.Store.LightweightSession(tenant.TenantId))
        {
            var stream = await session.FetchEscalationForExclusiveWritingAsync(id, Ct);
            stream.AppendOne(new DeliveryFailed(id, Guid.NewGuid(), "connection_unavailable", "gone", null, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync(Ct);

            (await session.AdvancedSql.QueryAsync<string>($"select type from {events} where stream_id = ? order by version", Ct, id))
                .ShouldContain("delivery_failed");
            // As the class's old home wrote it.
            session.QueueSqlCommand($"update {events} set mt_dotnet_type = ? where stream_id = ? and type = 'delivery_failed'",
                "AwaitHuman.Core.Channels.Sending.DeliveryFailed, AwaitHuman.Core", id);
            await session.SaveChangesAsync(Ct);
        }

        await using var query = _app.Store.QuerySession(tenant.TenantId);
        (await query.AdvancedSql.QueryAsync<string>($"select mt_dotnet_type from {events} where stream_id = ? and type = 'delivery_failed'", Ct, id))
            .ShouldBe(["AwaitHuman.Core.Channels.Sending.DeliveryFailed, AwaitHuman.Core"]);
        var stored = await query.Events.FetchStreamAsync(id, token: Ct);
        stored.Last().Data.ShouldBeOfType<DeliveryFailed>().ErrorCode.ShouldBe("connection_unavailable");
    }
}
