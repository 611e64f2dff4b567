using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Lists;

/// <summary>
/// Every list answers one envelope, <c>{"items": [...], "next_cursor": ...}</c>, pages one item at a
/// time through everything exactly once, refuses a bad limit or cursor by name, and never lists
/// another tenant's items.
/// </summary>
public class ListEnvelopeTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The lists an admin reads, each with a way to add three of its items to a tenant.</summary>
    public static TheoryData<string> Lists =>
    [
        "/v1/escalations", "/v1/webhook-endpoints", "/v1/members", "/v1/teams", "/v1/api-keys", "/v1/oauth-clients",
        "/v1/sla-policies", "/v1/channel-connections", "/v1/invitations", "/v1/personal-access-tokens",
        "/v1/routing-rules/versions", "/v1/audit", "deliveries",
    ];

    sealed record Seeded(HttpClient Reader, string Path, string[] Ids);

    async Task<Seeded> SeedAsync(string list, string label)
    {
        var tenant = await _app.NewTenantAsync();
        // Teams, SLA policies and routing rules are a person's to change: an admin's token for those.
        var owner = list is "/v1/teams" or "/v1/sla-policies" or "/v1/routing-rules/versions" or "/v1/audit"
            ? _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token)
            : _app.CreateHttpClient(tenant.ApiKey);
        var ids = new List<string>();
        async Task PostAsync(string path, object body)
        {
            using var response = await owner.PostAsJsonAsync(path, body, Ct);
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Ct));
            if ((await response.JsonAsync()).TryGetProperty("id", out var id)) ids.Add(id.ToString());
        }

        switch (list)
        {
            case "/v1/escalations":
                for (var i = 0; i < 3; i++) ids.Add((await owner.OpenEscalationAsync(EscalationScenarios.SampleRequest())).GetProperty("id").GetString()!);
                return new(owner, list, [.. ids]);
            case "/v1/webhook-endpoints":
                for (var i = 0; i < 3; i++) await PostAsync(list, new { url = $"http://127.0.0.1:9/{label}/{i}", event_types = new[] { "*" } });
                return new(owner, list, [.. ids]);
            case "deliveries":
                await PostAsync("/v1/webhook-endpoints", new { url = $"http://127.0.0.1:9/{label}", event_types = new[] { "*" } });
                var endpoint = ids.Single();
                ids.Clear();
                for (var i = 0; i < 3; i++) await owner.OpenEscalationAsync(EscalationScenarios.SampleRequest());
                var path = $"/v1/webhook-endpoints/{endpoint}/deliveries";
                var deliveries = await Eventually.GetAsync(async () => await owner.ListAllAsync(path) is { Length: >= 3 } found ? found : null, TimeSpan.FromSeconds(20), "three deliveries");
                return new(owner, path, [.. deliveries.Select(d => d.GetProperty("id").GetString()!)]);
            case "/v1/members":
                for (var i = 0; i < 2; i++) ids.Add((await _app.NewMemberAsync(tenant, "operator")).MembershipId.ToString());
                return new(owner, list, [.. ids]);
            case "/v1/teams":
                for (var i = 0; i < 3; i++) await PostAsync(list, new { name = $"{label} team {i}" });
                return new(owner, list, [.. ids]);
            case "/v1/api-keys":
                for (var i = 0; i < 3; i++) await PostAsync(list, new { name = $"{label} key {i}", scopes = new[] { "escalations:read" } });
                return new(owner, list, [.. ids]);
            case "/v1/oauth-clients":
                for (var i = 0; i < 3; i++) await PostAsync(list, new { name = $"{label} client {i}", scopes = new[] { "escalations:read" } });
                return new(owner, list, [.. ids]);
            case "/v1/sla-policies":
                foreach (var name in new[] { "Beta", "alpha", "Gamma" }) await PostAsync(list, new { name = $"{name} {label}", first_response_seconds = 60 });
                return new(owner, list, [.. ids]);
            case "/v1/channel-connections":
                await PostAsync(list, new { provider = "scripted", name = $"{label} line", settings = new Dictionary<string, string> { ["from"] = "+15005550006" }, secrets = new Dictionary<string, string> { ["token"] = "tok_very_secret_123" } });
                return new(owner, list, [.. ids]);
            case "/v1/invitations":
                for (var i = 0; i < 3; i++) await PostAsync("/v1/members", new { email = $"{label}-{i}@{tenant.Slug}.test", role = "operator" });
                return new(owner, list, [.. ids]);
            case "/v1/personal-access-tokens":
                var person = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);
                for (var i = 0; i < 3; i++)
                {
                    using var created = await person.PostAsJsonAsync(list, new { name = $"{label} token {i}" }, Ct);
                    created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
                    ids.Add((await created.JsonAsync()).GetProperty("id").ToString());
                }
                return new(person, list, [.. ids]);
            case "/v1/routing-rules/versions":
                for (var i = 0; i < 3; i++)
                {
                    using var published = await owner.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>(), @default = new { set_priority = "high" } }, Ct);
                    published.StatusCode.ShouldBe(HttpStatusCode.OK, await published.Content.ReadAsStringAsync(Ct));
                }
                return new(owner, list, []);
            case "/v1/audit":
                for (var i = 0; i < 3; i++) await PostAsync("/v1/teams", new { name = $"{label} audited {i}" });
                return new(owner, list, []);
            default:
                throw new ArgumentOutOfRangeException(nameof(list), list, null);
        }
    }

    static string IdOf(JsonElement item) =>
        item.TryGetProperty("id", out var id) ? id.ToString()
        : item.TryGetProperty("version", out var version) ? version.ToString()
        : item.GetProperty("sequence").ToString();

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_list_pages_one_item_at_a_time_through_everything_once(string list)
    {
        var mine = await SeedAsync(list, "mine");
        var theirs = await SeedAsync(list, "theirs");

        var paged = new List<JsonElement>();
        var page = await mine.Reader.PageAsync($"{mine.Path}?limit=1");
        while (true)
        {
            paged.Add(page.Items().ShouldHaveSingleItem());
            if (page.GetProperty("next_cursor").GetString() is not { } cursor) break;
            page = await mine.Reader.PageAsync($"{mine.Path}?limit=1&cursor={Uri.EscapeDataString(cursor)}");
        }

        var pagedIds = paged.Select(IdOf).ToArray();
        pagedIds.Length.ShouldBeGreaterThanOrEqualTo(3);
        pagedIds.ShouldBeUnique();
        pagedIds.ShouldBe((await mine.Reader.ListAllAsync(mine.Path)).Select(IdOf), "one item a page lists what a page of 100 lists, in the same order");
        mine.Ids.ShouldBeSubsetOf(pagedIds);
        pagedIds.Intersect(theirs.Ids).ShouldBeEmpty();
        string.Join("\n", paged.Select(item => item.ToString())).ShouldNotContain("theirs");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_bad_limit_or_cursor_is_refused_by_name(string list)
    {
        var mine = await SeedAsync(list, "mine");
        var separator = mine.Path.Contains('?') ? '&' : '?';

        await (await mine.Reader.GetAsync($"{mine.Path}{separator}limit=0", Ct)).ShouldBeInvalidAsync("limit");
        await (await mine.Reader.GetAsync($"{mine.Path}{separator}limit=101", Ct)).ShouldBeInvalidAsync("limit");
        await (await mine.Reader.GetAsync($"{mine.Path}{separator}cursor=not-a-cursor!", Ct)).ShouldBeInvalidAsync("cursor");
        await (await mine.Reader.GetAsync($"{mine.Path}{separator}cursor=%C3%A9", Ct)).ShouldBeInvalidAsync("cursor");
    }
}
