using System.Diagnostics;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>
/// The console on one node, the agent and the customer on another: changes reach the operator's
/// open pages through PostgreSQL's NOTIFY, with no reload and no polling.
/// </summary>
public sealed class AcrossNodesTests(Chromium chromium)
{
    [Fact]
    public async Task An_escalation_opened_and_answered_on_another_node_appears_live_in_the_console()
    {
        await using var nodes = await TwoNodes.StartAsync("console_across_nodes");
        var tenant = await nodes.First.NewTenantAsync();
        var member = await nodes.First.NewMemberAsync(tenant, "operator");
        var customer = ConsoleScenarios.CustomerName("Ines");

        await ConsoleBrowser.RunAsync(chromium, nodes.First, nameof(An_escalation_opened_and_answered_on_another_node_appears_live_in_the_console), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?view=unassigned$"));

            var id = await nodes.Second.OpenEscalationAsync(tenant, customer);
            var opened = Stopwatch.StartNew();
            var row = page.GetByRole(AriaRole.Table, new() { Name = "Escalations" }).Locator($"tr[data-escalation='{id}']");
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 3_000 });
            opened.Stop();

            // The agent relays a customer message through the other node while the operator has the page open.
            await row.GetByRole(AriaRole.Link, new() { Name = customer }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = customer, Level = 1 })).ToBeVisibleAsync();
            using var agent = nodes.Second.CreateHttpClient(tenant.ApiKey);
            using (var relayed = await agent.PostAsJsonAsync($"/v1/escalations/{id}/messages",
                new { role = "customer", content = "Are you still there? I can wait." }, TestContext.Current.CancellationToken))
                relayed.EnsureSuccessStatusCode();
            var relayedAt = Stopwatch.StartNew();
            await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Transcript" }).GetByText("Are you still there? I can wait.")).ToBeVisibleAsync(new() { Timeout = 3_000 });
            relayedAt.Stop();

            TestContext.Current.SendDiagnosticMessage($"across nodes: row after {opened.ElapsedMilliseconds} ms, message after {relayedAt.ElapsedMilliseconds} ms");
        });
    }
}
