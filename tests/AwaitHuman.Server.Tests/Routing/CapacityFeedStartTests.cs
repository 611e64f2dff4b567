using System.Text.Json;
using AwaitHuman.Core.Assignment;
using AwaitHuman.Testing;
using JasperFx.Events;

namespace AwaitHuman.Server.Tests.Routing;

/// <summary>
/// The feed that offers released work again (<see cref="CapacityFeed"/>) is started by the elected
/// leader some seconds after a node starts; what happens in between must not be skipped.
/// </summary>
public class CapacityFeedStartTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_release_in_a_new_databases_first_seconds_goes_to_the_other_operator()
    {
        await using var app = await AwaitHumanApp.StartAsync(await TestPostgres.CreateDatabaseAsync("capacity_feed_start"));
        var database = (IEventDatabase)app.Store.Storage.Database;
        (await database.FetchProjectionFloorAsync(CapacityFeed.Name, null, Ct)).ShouldBe(0, "pinned at the empty store's head when the node started");

        var routed = await RoutedTenant.StartAsync(app, operators: 2);
        await routed.OnlineAsync(0);
        await routed.OnlineAsync(1);
        var id = await routed.OpenAsync();
        var owner = (await routed.WhenAsync(id, "assigned")).GetProperty("owner").GetProperty("person_id").GetString();
        var releaser = routed.Operators.FindIndex(o => o.PersonId.ToString() == owner);
        var taker = routed.Operators[1 - releaser].PersonId.ToString();
        await routed.OperatorClient(releaser).ActOkAsync(id, "release");

        await Eventually.HappensAsync(async () => (await routed.Admin.GetEscalationAsync(id)).GetProperty("owner") is { ValueKind: JsonValueKind.Object } o
            && o.GetProperty("person_id").GetString() == taker, TimeSpan.FromSeconds(20), "the released escalation given to the other operator");
    }

    [Fact]
    public async Task A_later_start_keeps_the_first_starts_pin()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("capacity_feed_restart");
        await using (var first = await AwaitHumanApp.StartAsync(connectionString))
        {
            var routed = await RoutedTenant.StartAsync(first, operators: 1);
            await routed.OpenAsync();
        }

        await using var second = await AwaitHumanApp.StartAsync(connectionString);
        var database = (IEventDatabase)second.Store.Storage.Database;
        (await database.FetchHighestEventSequenceNumber(Ct)).ShouldBeGreaterThan(0);
        (await database.FetchProjectionFloorAsync(CapacityFeed.Name, null, Ct)).ShouldBe(0, "the second start does not move it past what the first saw");
    }
}
