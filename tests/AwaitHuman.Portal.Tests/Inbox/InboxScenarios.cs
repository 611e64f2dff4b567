using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>
/// A tenant for the inbox's tests: its admin sets up teams, SLA policies and routing rules over HTTP,
/// its agent opens escalations, the way docs/routing.md describes them.
/// </summary>
public sealed class InboxTenant : IDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public required AwaitHumanApp App { get; init; }
    public required TestTenantAccount Tenant { get; init; }
    public required HttpClient Admin { get; init; }
    public required HttpClient Agent { get; init; }

    public static async Task<InboxTenant> StartAsync(AwaitHumanApp app)
    {
        var tenant = await app.NewTenantAsync();
        return new InboxTenant
        {
            App = app, Tenant = tenant,
            Admin = app.CreateHttpClient((await app.NewMemberAsync(tenant, "admin")).Token),
            Agent = app.CreateHttpClient(tenant.ApiKey),
        };
    }

    public Task<TestMember> MemberAsync(string role) => App.NewMemberAsync(Tenant, role);

    /// <summary>A team with these people in it; returns its id.</summary>
    public async Task<string> TeamAsync(string name, IEnumerable<TestMember> members, string assignment = "direct") =>
        (await SendOkAsync(HttpMethod.Post, "/v1/teams", new
        {
            name, assignment, offer_seconds = 600,
            members = members.Select(m => new { person_id = m.PersonId, capacity = 5 }),
        })).GetProperty("id").GetString()!;

    /// <summary>An SLA policy with this first-response target; returns its id.</summary>
    public async Task<string> SlaPolicyAsync(string name, int firstResponseSeconds) =>
        (await SendOkAsync(HttpMethod.Post, "/v1/sla-policies", new { name, first_response_seconds = firstResponseSeconds, resolution_seconds = 7200 }))
            .GetProperty("id").GetString()!;

    /// <summary>Publishes rules sending escalations of a reason to a team (and an SLA policy); the others stay unrouted.</summary>
    public Task RoutesAsync(params (string Reason, string TeamId, string? PolicyId)[] routes) =>
        SendOkAsync(HttpMethod.Put, "/v1/routing-rules", new
        {
            rules = routes.Select(route => new
            {
                name = route.Reason,
                when = new object[] { new { field = "reason", op = "equals", value = route.Reason } },
                then = new { route_to_team = route.TeamId, apply_sla_policy = route.PolicyId },
            }),
        });

    /// <summary>One rule: escalations of <paramref name="reason"/> go to the team and <paramref name="person"/> is told.</summary>
    public Task RoutesAndNotifiesAsync(string reason, string teamId, TestMember person) =>
        SendOkAsync(HttpMethod.Put, "/v1/routing-rules", new
        {
            rules = new object[]
            {
                new { name = reason, when = new object[] { new { field = "reason", op = "equals", value = reason } }, then = new { route_to_team = teamId, notify = new[] { person.PersonId } } },
            },
        });

    public async Task OnlineAsync(TestMember member)
    {
        using var person = App.CreateHttpClient(member.Token);
        (await person.PutAsJsonAsync("/v1/operators/me/presence", new { status = "online" }, Ct)).EnsureSuccessStatusCode();
    }

    /// <summary>Opens an escalation for <paramref name="customer"/> as the agent; <paramref name="change"/> sets what the test compares.</summary>
    public async Task<string> OpenAsync(string customer, Action<JsonObject>? change = null)
    {
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["name"] = customer;
        change?.Invoke(request);
        return (await Agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
    }

    /// <summary>Waits until routing recorded <paramref name="what"/> (routed, offered, queued, ...) on the escalation.</summary>
    public async Task WhenAsync(string id, string what) =>
        await Eventually.HappensAsync(async () =>
            (await Admin.GetEscalationAsync(id)).GetProperty("routing").GetProperty("decisions").EnumerateArray().Any(d => d.GetProperty("what").GetString() == what),
            TimeSpan.FromSeconds(20), $"'{what}' on {id}");

    /// <summary>The agent relays what the customer wrote on its own channel.</summary>
    public async Task CustomerWritesAsync(string id, string content)
    {
        using var relayed = await Agent.PostAsJsonAsync($"/v1/escalations/{id}/messages", new { role = "customer", content }, Ct);
        relayed.EnsureSuccessStatusCode();
    }

    async Task<JsonElement> SendOkAsync(HttpMethod method, string path, object body)
    {
        using var response = await Admin.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) }, Ct);
        var json = await response.JsonAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{method} {path}: {json}");
        return json;
    }

    public void Dispose()
    {
        Admin.Dispose();
        Agent.Dispose();
    }
}

/// <summary>The inbox page as the tests read it.</summary>
public static class InboxPageParts
{
    public static ILocator Rows(this IPage page) => page.GetByRole(AriaRole.Table, new() { Name = "Escalations" }).Locator("tbody tr");

    public static ILocator Row(this IPage page, string id) => page.Locator($"tr[data-escalation='{id}']");

    /// <summary>A view's tab, named by its title and the count it shows ("Mine 2 escalations").</summary>
    public static ILocator ViewButton(this IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(name)} \\d+ escalations$") });

    public static async Task ShowViewAsync(this IPage page, string name)
    {
        await page.ViewButton(name).ClickAsync();
        await Expect(page.ViewButton(name)).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).Locator("[aria-current='page']")).ToHaveCountAsync(1);
    }

    /// <summary>Waits until the list shows exactly these escalations, in this order (none: "Nothing here.").</summary>
    public static async Task ShowsExactlyAsync(this IPage page, params string[] ids)
    {
        const string Shown = "() => [...document.querySelectorAll('table.inbox-list tbody tr')].map(row => row.dataset.escalation)";
        try
        {
            await page.WaitForFunctionAsync($"expected => JSON.stringify(({Shown})()) === JSON.stringify(expected)", ids, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            (await page.EvaluateAsync<string[]>(Shown)).ShouldBe(ids, "the inbox's rows, top to bottom");
        }
        if (ids.Length == 0) await Expect(page.GetByText("Nothing here.")).ToBeVisibleAsync();
    }
}
