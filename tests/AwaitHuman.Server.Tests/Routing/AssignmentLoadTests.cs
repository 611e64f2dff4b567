using System.Text.Json;
using AwaitHuman.Core.Assignment;
using AwaitHuman.Testing;
using Marten;
using Npgsql;
using Weasel.Core.Migrations;

namespace AwaitHuman.Server.Tests.Routing;

/// <summary>The per-person counts PostgreSQL keeps for assignment (<see cref="AssignmentLoads"/>) against the escalations themselves.</summary>
public class AssignmentLoadTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_counts_follow_assignments_resolves_releases_and_transfers()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        await routed.OnlineAsync(0);
        await routed.OnlineAsync(1);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await routed.OpenAsync(channel: i == 2 ? "sms" : null));
            await routed.WhenAsync(ids[^1], "assigned");
        }
        (await HeldAsync(routed)).ShouldBe(await CountedAsync(routed));
        (await HeldAsync(routed)).Sum(h => h.Held).ShouldBe(3);

        await routed.OperatorClient(await OwnerAsync(routed, ids[0])).ActOkAsync(ids[0], "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded." } });
        var owner = await OwnerAsync(routed, ids[1]);
        var transferee = routed.Operators[1 - owner].PersonId.ToString();
        await routed.OperatorClient(owner).ActOkAsync(ids[1], "transfer", new { operator_id = transferee });
        var releaser = await OwnerAsync(routed, ids[2]);
        var taker = routed.Operators[1 - releaser].PersonId.ToString();
        await routed.OperatorClient(releaser).ActOkAsync(ids[2], "release");
        await Eventually.HappensAsync(async () => (await routed.Admin.GetEscalationAsync(ids[2])).GetProperty("owner") is { ValueKind: JsonValueKind.Object } o
            && o.GetProperty("person_id").GetString() == taker, TimeSpan.FromSeconds(20), "the released escalation given to the other operator");

        var held = await HeldAsync(routed);
        held.ShouldBe(await CountedAsync(routed));
        held.ShouldBe(Sorted([(transferee, "agent", 1), (taker, "sms", 1)]));
    }

    [Fact]
    public async Task An_open_offer_counts_for_its_operator_until_it_is_declined()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2, team: new { name = "Billing", assignment = "offer", offer_seconds = 60 });
        await routed.OnlineAsync(0);
        await routed.OnlineAsync(1);
        var id = await routed.OpenAsync();
        var to = (await routed.WhenAsync(id, "offered")).GetProperty("routing").GetProperty("offer").GetProperty("operator").GetProperty("id").GetString()!;
        (await HeldAsync(routed)).ShouldBe([(to, "agent", 1)]);

        var first = routed.Operators.FindIndex(o => o.PersonId.ToString() == to);
        await routed.OperatorClient(first).ActOkAsync(id, "decline");
        var other = routed.Operators[1 - first].PersonId.ToString();
        await Eventually.HappensAsync(async () => (await HeldAsync(routed)) is [(var person, "agent", 1)] && person == other,
            TimeSpan.FromSeconds(20), "the offer to the other operator counted for them alone");
        (await HeldAsync(routed)).ShouldBe(await CountedAsync(routed));
    }

    [Fact]
    public async Task Creating_the_trigger_counts_the_work_that_was_held_before()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        await routed.OnlineAsync(0);
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "assigned");
        await ExecuteAsync($"delete from {Table} where tenant_id = @tenant", routed.Tenant.TenantId);
        (await HeldAsync(routed)).ShouldBeEmpty();

        // What a migration runs when the trigger is new or changed: dropped and created again, then counted.
        var options = (StoreOptions)_app.Store.Options;
        var trigger = ((IFeatureSchema)new AssignmentLoads(options)).Objects.OfType<Weasel.Postgresql.Triggers.Trigger>().First(t => t.Identifier.Name == "track_assignment_load_update");
        var script = new StringWriter();
        trigger.WriteCreateStatement(options.Advanced.Migrator, script);
        await ExecuteAsync(script.ToString(), null);

        (await HeldAsync(routed)).ShouldBe([(routed.Operators[0].PersonId.ToString(), "agent", 1)]);
    }

    [Fact]
    public async Task A_start_after_the_first_finds_the_counting_schema_unchanged_and_does_not_count_again()
    {
        // The host has migrated on start. A difference Weasel saw here would drop, create and count on every start.
        await using var connection = _app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(Ct);
        var differences = new List<string>();
        foreach (var schemaObject in ((IFeatureSchema)new AssignmentLoads((StoreOptions)_app.Store.Options)).Objects.Cast<Weasel.Core.SchemaObjectBase>())
            if ((await schemaObject.FindDeltaAsync(connection, Ct)).Difference is not Weasel.Core.SchemaPatchDifference.None and var difference)
                differences.Add($"{schemaObject.Identifier.QualifiedName}: {difference}");
        differences.ShouldBeEmpty();
    }

    string Table => $"{_app.Store.Options.DatabaseSchemaName}.{AssignmentLoads.TableName}";

    async Task<int> OwnerAsync(RoutedTenant routed, string id)
    {
        var owner = (await routed.Admin.GetEscalationAsync(id)).GetProperty("owner").GetProperty("person_id").GetString();
        return routed.Operators.FindIndex(o => o.PersonId.ToString() == owner);
    }

    /// <summary>The kept counts of the tenant, people with nothing left out.</summary>
    Task<List<(string Person, string Channel, long Held)>> HeldAsync(RoutedTenant routed) => RowsAsync(
        $"select person_id, channel, held::bigint from {Table} where tenant_id = @tenant and held <> 0 ", routed.Tenant.TenantId);

    /// <summary>The same counted from the inbox summaries, as assignment did before the counts were kept.</summary>
    Task<List<(string Person, string Channel, long Held)>> CountedAsync(RoutedTenant routed) => RowsAsync($"""
        select holder, channel, count(*) from (
            select case status when 'with_human' then operator_id when 'waiting_for_human' then offered_to_id end as holder, data ->> 'Channel' as channel
            from {_app.Store.Options.DatabaseSchemaName}.mt_doc_escalationsummary where tenant_id = @tenant) s
        where holder is not null group by holder, channel
        """, routed.Tenant.TenantId);

    static List<(string Person, string Channel, long Held)> Sorted(IEnumerable<(string Person, string Channel, long Held)> rows) =>
        [.. rows.OrderBy(r => r.Person, StringComparer.Ordinal).ThenBy(r => r.Channel, StringComparer.Ordinal)];

    async Task<List<(string Person, string Channel, long Held)>> RowsAsync(string sql, string tenant)
    {
        await using var connection = _app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenant);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, string, long)>();
        while (await reader.ReadAsync(Ct)) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return Sorted(rows);
    }

    async Task ExecuteAsync(string sql, string? tenant)
    {
        await using var connection = _app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        if (tenant is not null) command.Parameters.AddWithValue("tenant", tenant);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
