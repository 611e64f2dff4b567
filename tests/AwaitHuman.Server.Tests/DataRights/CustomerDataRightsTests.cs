using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Core.DataRights;
using AwaitHuman.Server.Tests.Webhooks;
using AwaitHuman.Testing;
using Npgsql;

namespace AwaitHuman.Server.Tests.DataRights;

public class CustomerDataRightsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One customer's words and addresses, unique to the test, so finding any of them anywhere is a leak.</summary>
    sealed record Subject(string Email, string Phone, string Name, string Secret)
    {
        public static Subject New()
        {
            var tag = Guid.NewGuid().ToString("N")[..12];
            return new($"ada-{tag}@Example.com", $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}", $"Ada {tag}", $"my card ends {tag}");
        }

        public string[] Traces => [Email, Email.ToLowerInvariant(), Phone, Name, Secret];

        public JsonObject Request(string? externalRef = null)
        {
            var request = EscalationScenarios.SampleRequest(externalRef: externalRef);
            request["summary"] = $"{Name} says {Secret}";
            request["customer"] = new JsonObject { ["name"] = Name, ["email"] = Email, ["phone"] = Phone, ["preferred_channel"] = "agent", ["locale"] = "en-GB" };
            request["transcript"] = new JsonArray(new JsonObject { ["role"] = "customer", ["content"] = $"Hello, {Secret}. Call me on {Phone}." });
            return request;
        }
    }

    static void ShouldNotReveal(string text, Subject subject, string where)
    {
        foreach (var trace in subject.Traces)
            text.Contains(trace, StringComparison.OrdinalIgnoreCase).ShouldBeFalse($"{where} still shows '{trace}': {text}");
    }

    static async Task<string> TextAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return text;
    }

    /// <summary>What the event stream sends in its first seconds (it stays open for more).</summary>
    static async Task<string> EventStreamAsync(HttpClient client, string id)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        reading.CancelAfter(TimeSpan.FromSeconds(2));
        using var response = await client.GetAsync($"/v1/escalations/{id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, reading.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Every document and event row of the tenant that contains <paramref name="text"/>, by table.</summary>
    async Task<List<string>> RowsContainingAsync(string tenantId, string text)
    {
        await using var connection = _app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(Ct);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            // The tenanted tables; the single-tenanted ones hold people and platform mail, no customer's data.
            "select table_name from information_schema.columns where table_schema = 'awaithuman' and column_name = 'tenant_id' and (table_name like 'mt_doc_%' or table_name = 'mt_events')", connection))
        await using (var reader = await list.ExecuteReaderAsync(Ct))
            while (await reader.ReadAsync(Ct)) tables.Add(reader.GetString(0));

        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand(
                $"select count(*) from awaithuman.{table} where tenant_id = @tenant and data::text ilike @text", connection);
            count.Parameters.AddWithValue("tenant", tenantId);
            count.Parameters.AddWithValue("text", $"%{text}%");
            if ((long)(await count.ExecuteScalarAsync(Ct))! > 0) found.Add(table);
        }
        return found;
    }

    static string[] DeliveryIds(string log) =>
        [.. JsonDocument.Parse(log).RootElement.GetProperty("items").EnumerateArray().Select(delivery => delivery.GetProperty("id").GetString()!)];

    static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    [Fact]
    public async Task After_erasure_nothing_of_the_customer_is_readable_anywhere_while_the_escalations_remain()
    {
        var tenant = await _app.NewTenantAsync();
        var otherTenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        using var stranger = _app.CreateHttpClient(otherTenant.ApiKey);
        using var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        using var webhooks = new FakeAgent();
        using var registered = await agent.PostAsJsonAsync("/v1/webhook-endpoints", new { url = webhooks.Url, event_types = new[] { "*" } }, Ct);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync(Ct));
        var endpointId = (await registered.JsonAsync()).GetProperty("id").GetString()!;

        var ada = Subject.New();
        var reference = $"conv-{Guid.NewGuid():N}";
        var byEmail = (await agent.OpenEscalationAsync(ada.Request())).GetProperty("id").GetString()!;
        // The same customer, found by her phone and the agent's reference: the email differs in case only.
        var byReference = (await agent.OpenEscalationAsync(ada.Request(reference))).GetProperty("id").GetString()!;
        await human.ActOkAsync(byEmail, "claim");
        await human.ActOkAsync(byEmail, "notes", new { body = $"Customer {ada.Name} wrote from {ada.Email}" });
        await human.ActOkAsync(byEmail, "resolve", new { outcome = "resolved", resolution = new { summary = $"Refunded {ada.Name}: {ada.Secret}" } });
        var bob = Subject.New();
        var bobs = (await agent.OpenEscalationAsync(bob.Request())).GetProperty("id").GetString()!;
        // Another tenant's customer with the very same address.
        var strangersAda = ada with { };
        var strangers = (await stranger.OpenEscalationAsync(strangersAda.Request())).GetProperty("id").GetString()!;

        // The webhooks of her escalations are in the delivery log before the erasure.
        await Eventually.HappensAsync(async () =>
            (await TextAsync(agent, $"/v1/webhook-endpoints/{endpointId}/deliveries")) is var log && log.Contains("escalation.resolved") && log.Contains(byReference),
            TimeSpan.FromSeconds(60), "the webhooks of both escalations logged");
        var deliveriesBefore = DeliveryIds(await TextAsync(agent, $"/v1/webhook-endpoints/{endpointId}/deliveries"));
        var listedBefore = JsonDocument.Parse(await TextAsync(agent, "/v1/escalations?limit=100")).RootElement.GetProperty("items").GetArrayLength();
        var eventsBefore = await _app.Store.QuerySession(tenant.TenantId).Events.FetchStreamAsync(Guid.Parse(byEmail), token: Ct);

        var export = await PostOkAsync(agent, "/v1/customer-data/export", new { email = ada.Email.ToUpperInvariant() });
        export.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldBe([byEmail, byReference], ignoreOrder: true);
        export.GetRawText().ShouldContain(ada.Secret);
        export.GetRawText().ShouldContain(ada.Name);
        export.GetProperty("webhook_deliveries").GetArrayLength().ShouldBeGreaterThan(0);
        export.GetRawText().ShouldNotContain(bob.Secret);

        var erased = await PostOkAsync(agent, "/v1/customer-data/erase", new { phone = ada.Phone, external_ref = reference });
        erased.GetProperty("escalations").GetInt32().ShouldBe(2);
        erased.GetProperty("webhook_deliveries_masked").GetInt32().ShouldBeGreaterThan(0);

        foreach (var id in new[] { byEmail, byReference })
        {
            var details = await TextAsync(agent, $"/v1/escalations/{id}");
            ShouldNotReveal(details, ada, $"GET escalation {id}");
            details.ShouldContain(CustomerDataMasking.Erased);
            ShouldNotReveal(await EventStreamAsync(agent, id), ada, $"the event stream of {id}");
        }
        var resolved = await human.GetEscalationAsync(byEmail);
        resolved.GetProperty("status").GetString().ShouldBe("resolved");
        resolved.GetProperty("notes").GetArrayLength().ShouldBe(1);
        resolved.GetProperty("transcript").GetArrayLength().ShouldBe(1);
        (await _app.Store.QuerySession(tenant.TenantId).Events.FetchStreamAsync(Guid.Parse(byEmail), token: Ct))
            .Select(e => e.EventTypeName).ShouldBe(eventsBefore.Select(e => e.EventTypeName));

        var list = await TextAsync(agent, "/v1/escalations?limit=100");
        ShouldNotReveal(list, ada, "the escalation list");
        JsonDocument.Parse(list).RootElement.GetProperty("items").GetArrayLength().ShouldBe(listedBefore);
        ShouldNotReveal(await TextAsync(agent, $"/v1/escalations?limit=100&external_ref={reference}"), ada, "the list filtered by reference");
        var deliveries = await TextAsync(agent, $"/v1/webhook-endpoints/{endpointId}/deliveries");
        ShouldNotReveal(deliveries, ada, "the webhook delivery log");
        // Masked, not deleted (Bob's later webhooks may have joined them meanwhile).
        deliveriesBefore.ShouldBeSubsetOf(DeliveryIds(deliveries));
        foreach (var trace in ada.Traces)
            (await RowsContainingAsync(tenant.TenantId, trace)).ShouldBeEmpty($"'{trace}' is still stored");

        // Bob, in the same tenant, and the other tenant's Ada keep everything.
        (await TextAsync(agent, $"/v1/escalations/{bobs}")).ShouldContain(bob.Secret);
        var strangersView = await TextAsync(stranger, $"/v1/escalations/{strangers}");
        strangersView.ShouldContain(ada.Secret);
        strangersView.ShouldContain(ada.Email);

        // Nothing is found any more, so a second erasure or an export says so.
        using var again = await agent.PostAsJsonAsync("/v1/customer-data/export", new { email = ada.Email }, Ct);
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var audit = await TextAsync(agent, "/v1/audit?limit=20");
        audit.ShouldContain("customer_data.exported");
        audit.ShouldContain("customer_data.erased");
        ShouldNotReveal(audit, ada, "the audit trail");
    }

    [Fact]
    public async Task Bad_requests_are_refused_and_change_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var otherTenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        var ada = Subject.New();
        var id = (await agent.OpenEscalationAsync(ada.Request())).GetProperty("id").GetString()!;

        using (var none = await agent.PostAsJsonAsync("/v1/customer-data/erase", new { }, Ct))
        {
            none.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await none.JsonAsync()).GetProperty("errors").GetProperty("email")[0].GetString()!.ShouldContain("email, phone or external reference");
        }
        using (var malformed = await agent.PostAsJsonAsync("/v1/customer-data/export", new { email = "not-an-address" }, Ct))
            malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using (var unknown = await agent.PostAsJsonAsync("/v1/customer-data/erase", new { email = $"nobody-{Guid.NewGuid():N}@example.com" }, Ct))
            unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Another tenant cannot find (or erase) this tenant's customer.
        using (var stranger = _app.CreateHttpClient(otherTenant.ApiKey))
        using (var foreign = await stranger.PostAsJsonAsync("/v1/customer-data/erase", new { email = ada.Email }, Ct))
            foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Supervisors and operators may not; a key without the scope may not, and the refusal names it.
        using (var supervisor = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "supervisor")).Token))
        using (var refused = await supervisor.PostAsJsonAsync("/v1/customer-data/export", new { email = ada.Email }, Ct))
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var issued = await agent.PostAsJsonAsync("/v1/api-keys", new { name = "reader", scopes = new[] { "customer_data:read" } }, Ct);
        issued.StatusCode.ShouldBe(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync(Ct));
        using var reader = _app.CreateHttpClient((await issued.JsonAsync()).GetProperty("key").GetString()!);
        (await PostOkAsync(reader, "/v1/customer-data/export", new { email = ada.Email })).GetProperty("escalations").GetArrayLength().ShouldBe(1);
        using (var cannotErase = await reader.PostAsJsonAsync("/v1/customer-data/erase", new { email = ada.Email }, Ct))
            cannotErase.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using (var cannotSet = await reader.PutAsJsonAsync("/v1/customer-data/retention", new { transcript_retention_days = 30 }, Ct))
            cannotSet.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using (var tooLong = await agent.PutAsJsonAsync("/v1/customer-data/retention", new { transcript_retention_days = 0 }, Ct))
        {
            tooLong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await tooLong.JsonAsync()).GetProperty("errors").TryGetProperty("transcript_retention_days", out _).ShouldBeTrue();
        }
        (await TextAsync(agent, "/v1/customer-data/retention")).ShouldContain("\"transcript_retention_days\":null");
        (await TextAsync(agent, $"/v1/escalations/{id}")).ShouldContain(ada.Secret);
    }

    [Fact]
    public async Task The_retention_job_masks_transcripts_of_escalations_that_ended_before_the_period()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        using var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var ended = Subject.New();
        var open = Subject.New();
        var endedId = (await agent.OpenEscalationAsync(ended.Request())).GetProperty("id").GetString()!;
        var openId = (await agent.OpenEscalationAsync(open.Request())).GetProperty("id").GetString()!;
        await human.ActOkAsync(endedId, "claim");
        await human.ActOkAsync(endedId, "resolve", new { outcome = "resolved", resolution = new { summary = $"Done for {ended.Name}" } });

        using (var set = await agent.PutAsJsonAsync("/v1/customer-data/retention", new { transcript_retention_days = 30 }, Ct))
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
        (await TextAsync(agent, "/v1/customer-data/retention")).ShouldContain("\"transcript_retention_days\":30");

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var job = new TranscriptRetention(_app.Store, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<TranscriptRetention>.Instance);
        clock.Advance(TimeSpan.FromDays(29));
        await job.MaskExpiredAsync(Ct);
        (await TextAsync(agent, $"/v1/escalations/{endedId}")).ShouldContain(ended.Secret);

        clock.Advance(TimeSpan.FromDays(2));
        (await job.MaskExpiredAsync(Ct)).ShouldBeGreaterThanOrEqualTo(1);
        var masked = await TextAsync(agent, $"/v1/escalations/{endedId}");
        ShouldNotReveal(masked, ended, "the expired escalation");
        JsonDocument.Parse(masked).RootElement.GetProperty("status").GetString().ShouldBe("resolved");
        foreach (var trace in ended.Traces)
            (await RowsContainingAsync(tenant.TenantId, trace)).ShouldBeEmpty($"'{trace}' is still stored");
        // An escalation still open keeps its transcript, however old.
        (await TextAsync(agent, $"/v1/escalations/{openId}")).ShouldContain(open.Secret);
        (await TextAsync(agent, "/v1/audit?limit=20")).ShouldContain("customer_data.transcripts_expired");

        // Masked once, it is not masked again on the next run.
        await using var query = _app.Store.QuerySession(tenant.TenantId);
        var before = (await query.LoadAsync<MaskedEscalation>(Guid.Parse(endedId), Ct))!.MaskedAt;
        clock.Advance(TimeSpan.FromHours(1));
        await job.MaskExpiredAsync(Ct);
        await using var again = _app.Store.QuerySession(tenant.TenantId);
        (await again.LoadAsync<MaskedEscalation>(Guid.Parse(endedId), Ct))!.MaskedAt.ShouldBe(before);
    }
}
