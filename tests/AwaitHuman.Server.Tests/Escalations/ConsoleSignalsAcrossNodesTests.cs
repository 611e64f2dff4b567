using AwaitHuman.Core.Escalations.Waiting;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>Two nodes on one database of their own, shared by the class: what the console sees live on one node happens on the other.</summary>
public sealed class ConsoleSignalsNodes : IAsyncLifetime
{
    public TwoNodes Nodes { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Nodes = await TwoNodes.StartAsync("console_signal_nodes");
        await Nodes.First.Services.GetRequiredService<EscalationSignals>().Listening;
        await Nodes.Second.Services.GetRequiredService<EscalationSignals>().Listening;
    }

    public ValueTask DisposeAsync() => Nodes.DisposeAsync();
}

public sealed class ConsoleSignalsAcrossNodesTests(ConsoleSignalsNodes fixture) : IClassFixture<ConsoleSignalsNodes>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    AwaitHumanApp NodeA => fixture.Nodes.First;
    AwaitHumanApp NodeB => fixture.Nodes.Second;

    static T On<T>(AwaitHumanApp node) where T : notnull => node.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_presence_announced_on_one_node_is_seen_on_the_other_within_a_second_and_wakes_its_watches()
    {
        var tenant = await NodeA.NewTenantAsync();
        var id = Guid.Parse((await NodeA.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetString()!);
        var anna = Guid.NewGuid();
        using var watch = On<EscalationSignals>(NodeB).Watch(tenant.TenantId, id);
        await Eventually.HappensAsync(async () => !await watch.ChangedAsync(TimeSpan.FromMilliseconds(300), Ct), TimeSpan.FromSeconds(10), "the opening's own wakes to pass");

        await On<ConsolePresence>(NodeA).AnnounceAsync(tenant.TenantId, id, anna, "Anna | Support", ConsolePresence.Typing, Ct);

        (await watch.ChangedAsync(TimeSpan.FromSeconds(1), Ct)).ShouldBeTrue("the watch on node B woke");
        var present = On<ConsolePresence>(NodeB).Of(tenant.TenantId, id).ShouldHaveSingleItem();
        present.PersonId.ShouldBe(anna);
        present.Name.ShouldBe("Anna | Support");
        present.Activity.ShouldBe(ConsolePresence.Typing);
        On<ConsolePresence>(NodeB).Of(tenant.TenantId, Guid.NewGuid()).ShouldBeEmpty();

        await On<ConsolePresence>(NodeB).LeaveAsync(tenant.TenantId, id, anna, Ct);

        (await watch.ChangedAsync(TimeSpan.FromSeconds(1), Ct)).ShouldBeTrue("leaving woke the watch");
        await Eventually.HappensAsync(() => Task.FromResult(On<ConsolePresence>(NodeA).Of(tenant.TenantId, id).Count == 0), TimeSpan.FromSeconds(1), "node A to hear the leave");
    }

    [Fact]
    public async Task A_tenant_watch_wakes_for_its_tenants_changes_on_another_node_and_not_for_others()
    {
        var mine = await NodeA.NewTenantAsync();
        var other = await NodeA.NewTenantAsync();
        var operatorOfMine = await NodeA.NewMemberAsync(mine, "operator");
        var id = (await NodeA.CreateHttpClient(mine.ApiKey).OpenEscalationAsync()).GetProperty("id").GetString()!;
        using var watch = On<EscalationSignals>(NodeB).WatchTenant(mine.TenantId);
        await Eventually.HappensAsync(async () => !await watch.ChangedAsync(TimeSpan.FromMilliseconds(300), Ct), TimeSpan.FromSeconds(10), "the opening's own wakes to pass");

        await NodeA.CreateHttpClient(other.ApiKey).OpenEscalationAsync();
        (await watch.ChangedAsync(TimeSpan.FromMilliseconds(700), Ct)).ShouldBeFalse("another tenant's escalation woke the watch");

        await NodeA.CreateHttpClient(operatorOfMine.Token).ActOkAsync(id, "claim");
        (await watch.ChangedAsync(TimeSpan.FromSeconds(1), Ct)).ShouldBeTrue("the claim on node A woke the tenant watch on node B");
    }
}
