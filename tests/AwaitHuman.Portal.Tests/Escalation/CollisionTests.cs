using System.Text.RegularExpressions;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>Two operators on one escalation: each is warned of the other, and only one of them gets it.</summary>
public sealed class CollisionTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task Two_operators_on_one_escalation_see_each_other_and_only_one_claim_succeeds()
    {
        var tenant = await _app.NewTenantAsync();
        var ann = await _app.NewMemberAsync(tenant, "operator", $"ann-{Guid.NewGuid():N}@{tenant.Slug}.test");
        var ben = await _app.NewMemberAsync(tenant, "operator", $"ben-{Guid.NewGuid():N}@{tenant.Slug}.test");
        var customer = ConsoleScenarios.CustomerName("Linus");
        var id = await _app.OpenEscalationAsync(tenant, customer);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Two_operators_on_one_escalation_see_each_other_and_only_one_claim_succeeds), async browser =>
        {
            var annPage = await browser.SignInAsync(ann);
            var benPage = await browser.SignInAsync(ben);
            await ConsolePages.GoToAsync(annPage, $"/escalations/{id}");
            await ConsolePages.GoToAsync(benPage, $"/escalations/{id}");

            var annSeesBen = annPage.GetByRole(AriaRole.Status).Filter(new() { HasText = "is also viewing" });
            var benSeesAnn = benPage.GetByRole(AriaRole.Status).Filter(new() { HasText = "is also viewing" });
            await Expect(annSeesBen).ToBeVisibleAsync();
            await Expect(benSeesAnn).ToBeVisibleAsync();
            await Expect(annSeesBen).ToContainTextAsync(NameOf(ben));
            await Expect(benSeesAnn).ToContainTextAsync(NameOf(ann));
            await Screenshots.KeepAsync(annPage, "escalation-collision-warning");

            // Both reach for it at the same moment.
            await Task.WhenAll(
                annPage.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync(),
                benPage.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync());

            var owner = await Eventually.GetAsync(async () =>
            {
                await using var session = _app.Store.QuerySession(tenant.TenantId);
                return (await session.LoadAsync<Core.Escalations.Escalation>(Guid.Parse(id)))?.Operator?.Id;
            }, TimeSpan.FromSeconds(10), "an owner");
            var (winner, loser) = owner == ann.PersonId.ToString() ? (annPage, benPage) : (benPage, annPage);
            var winnerMember = owner == ann.PersonId.ToString() ? ann : ben;
            await Expect(winner.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("You own this escalation");
            await Expect(loser.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync(new Regex($"{Regex.Escape(NameOf(winnerMember))}.* owns this escalation"));
            await Screenshots.KeepAsync(loser, "escalation-claimed-by-another");

            await using var events = _app.Store.QuerySession(tenant.TenantId);
            var claims = (await events.Events.FetchStreamAsync(Guid.Parse(id))).Count(e => e.Data is EscalationClaimed);
            claims.ShouldBe(1, "one claim succeeded; the other was refused");
        });
    }

    /// <summary>How the console names a person: members added by the tests go by their address.</summary>
    static string NameOf(TestMember member) => member.Email;
}
