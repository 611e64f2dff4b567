using System.Net.Http.Json;
using AwaitHuman.Portal.Tests.Inbox;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Shell;

/// <summary>
/// The availability switch in the top bar: signing in to the console makes an operator available to
/// routing, the switch and idleness change it, and closing the last console takes them offline.
/// </summary>
public sealed class AvailabilityTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Shortens the console's idle time in this browser, so a test can wait it out.</summary>
    const string ShortIdle = """
        (() => {
          let console_;
          Object.defineProperty(window, "awaitHumanConsole", {
            configurable: true,
            get: () => console_,
            set: value => {
              const watch = value.watchIdle;
              value.watchIdle = (dotnet, _) => watch(dotnet, 1500);
              console_ = value;
            },
          });
        })();
        """;

    static ILocator Switch(IPage page) => page.GetByRole(AriaRole.Combobox, new() { Name = "Availability" });

    async Task<string> PresenceOfAsync(TestMember member)
    {
        using var person = _app.CreateHttpClient(member.Token);
        var presence = await person.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/operators/me/presence", Ct);
        return presence.GetProperty("effective").GetString()!;
    }

    Task PresenceBecomesAsync(TestMember member, string status) =>
        Eventually.HappensAsync(async () => await PresenceOfAsync(member) == status, TimeSpan.FromSeconds(15), $"presence {status}");

    [Fact]
    public async Task An_operator_who_only_signs_in_to_the_console_gets_an_escalation_assigned()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var operator_ = await tenant.MemberAsync("operator");
        var team = await tenant.TeamAsync("Billing", [operator_]);
        await tenant.RoutesAsync(("billing_question", team, null));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_who_only_signs_in_to_the_console_gets_an_escalation_assigned), async browser =>
        {
            var page = await browser.SignInAsync(operator_);
            await Expect(Switch(page)).ToHaveValueAsync("online");
            await Expect(Switch(page)).ToBeEnabledAsync();
            (await PresenceOfAsync(operator_)).ShouldBe("online");

            var id = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Nora"), r => r["reason"] = "billing_question");

            await Eventually.HappensAsync(async () =>
                (await tenant.Admin.GetEscalationAsync(id)).GetProperty("owner") is { ValueKind: System.Text.Json.JsonValueKind.Object } owner
                && owner.GetProperty("person_id").GetString() == operator_.PersonId.ToString(),
                TimeSpan.FromSeconds(20), "the escalation assigned to the console's operator");
            await Expect(page.Row(id)).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "availability-online");
        });
    }

    [Fact]
    public async Task The_switch_sets_away_and_offline_and_closing_the_last_console_takes_the_operator_offline()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var operator_ = await tenant.MemberAsync("operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_switch_sets_away_and_offline_and_closing_the_last_console_takes_the_operator_offline), async browser =>
        {
            var page = await browser.SignInAsync(operator_);
            await Expect(Switch(page)).ToBeEnabledAsync();
            await PresenceBecomesAsync(operator_, "online");

            await Switch(page).SelectOptionAsync("away");
            await PresenceBecomesAsync(operator_, "away");

            // The choice holds across a reload of the tab.
            await page.ReloadAsync();
            await Expect(Switch(page)).ToBeEnabledAsync();
            await Expect(Switch(page)).ToHaveValueAsync("away");
            await PresenceBecomesAsync(operator_, "away");

            await Switch(page).SelectOptionAsync("online");
            await PresenceBecomesAsync(operator_, "online");

            // A second tab keeps the person online when the first closes; the last one takes them offline.
            var second = await page.Context.NewPageAsync();
            await ConsolePages.GoToAsync(second, "/");
            await Expect(Switch(second)).ToBeEnabledAsync();
            await page.CloseAsync(new() { RunBeforeUnload = true });
            await Task.Delay(1500, Ct);
            (await PresenceOfAsync(operator_)).ShouldBe("online", "another console is still open");
            await second.CloseAsync(new() { RunBeforeUnload = true });
            await PresenceBecomesAsync(operator_, "offline");
        });
    }

    [Fact]
    public async Task An_idle_operator_turns_away_and_online_again_on_return()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var operator_ = await tenant.MemberAsync("operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_idle_operator_turns_away_and_online_again_on_return), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.AddInitScriptAsync(ShortIdle);
            await ConsolePages.SignInAsync(page, operator_.Email, operator_.Password);
            await Expect(Switch(page)).ToBeEnabledAsync();

            await Expect(Switch(page)).ToHaveValueAsync("away");
            await PresenceBecomesAsync(operator_, "away");

            await page.Mouse.MoveAsync(200, 300);
            await page.Mouse.MoveAsync(220, 320);
            await Expect(Switch(page)).ToHaveValueAsync("online");
            await PresenceBecomesAsync(operator_, "online");
        });
    }
}
