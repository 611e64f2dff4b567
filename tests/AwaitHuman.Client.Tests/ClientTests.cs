using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Client.Tests;

public class ClientTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_go_under_the_base_address_with_the_api_key_and_the_clients_name()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.OK, Samples.Escalation());

        await server.Client().GetAsync(Samples.EscalationId, Ct);

        var request = server.Seen.Single();
        request.Uri.ShouldBe(new Uri($"https://awaithuman.test/api/v1/escalations/{Samples.EscalationId}"));
        request.Authorization.ShouldBe("Bearer ah_test_key");
        request.UserAgent!.ShouldStartWith("AwaitHuman.Client/");
    }

    [Fact]
    public async Task A_base_address_without_a_trailing_slash_keeps_its_path()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.OK, Samples.Escalation());

        await server.Client(options => options.BaseAddress = new Uri("https://awaithuman.test/api")).GetAsync(Samples.EscalationId, Ct);

        server.Seen.Single().Uri.AbsolutePath.ShouldBe($"/api/v1/escalations/{Samples.EscalationId}");
    }

    [Fact]
    public async Task The_HttpClients_own_base_address_and_authorization_serve_when_the_options_name_none()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.OK, Samples.Escalation());
        var http = new HttpClient(server) { BaseAddress = new Uri("https://other.test/") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "from-an-oauth-handler");

        await new AwaitHumanClient(http).GetAsync(Samples.EscalationId, Ct);

        server.Seen.Single().Uri.Host.ShouldBe("other.test");
        server.Seen.Single().Authorization.ShouldBe("Bearer from-an-oauth-handler");
    }

    [Fact]
    public void A_client_without_any_address_is_refused()
    {
        Should.Throw<ArgumentException>(() => new AwaitHumanClient(new HttpClient(), new AwaitHumanClientOptions()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void A_long_poll_the_server_cannot_hold_is_refused(int seconds)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AwaitHumanClient(new HttpClient(), ClientFixtures.FastOptions(options => options.WaitPollDuration = TimeSpan.FromSeconds(seconds))));
    }

    [Fact]
    public async Task The_create_sends_the_contracts_snake_case_json()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.Created, Samples.Created);
        var request = new EscalationRequest
        {
            Kind = EscalationKind.Approval,
            Reason = "refund_over_limit",
            Confidence = 0.4,
            Priority = EscalationPriority.Urgent,
            ExternalRef = "conv-42",
            Customer = new Customer { Name = "Ada", Whatsapp = "+41790000000", PreferredChannel = CustomerChannel.Whatsapp },
            Transcript = [new TranscriptEntry { Role = MessageRole.Customer, Content = "Refund me" }],
            Agent = new AgentInfo { Name = "bot", Trace = [new ToolCall { Tool = "lookup", Input = new JsonObject { ["order"] = "A1" }, Output = JsonValue.Create(3) }] },
            Action = new ProposedAction { Name = "refund", Arguments = new JsonObject { ["amount"] = 250 } },
            Metadata = new JsonObject { ["plan"] = "gold" },
            DeadlineSeconds = 900,
        };

        await server.Client().EscalateAsync(request, cancellationToken: Ct);

        var sent = JsonNode.Parse(server.Seen.Single().Body!)!.AsObject();
        JsonNode.DeepEquals(sent, JsonNode.Parse("""
            {
              "kind": "approval", "reason": "refund_over_limit", "confidence": 0.4, "priority": "urgent", "external_ref": "conv-42",
              "customer": { "name": "Ada", "whatsapp": "+41790000000", "preferred_channel": "whatsapp" },
              "transcript": [ { "role": "customer", "content": "Refund me" } ],
              "agent": { "name": "bot", "trace": [ { "tool": "lookup", "input": { "order": "A1" }, "output": 3 } ] },
              "action": { "name": "refund", "arguments": { "amount": 250 } },
              "metadata": { "plan": "gold" },
              "deadline_seconds": 900
            }
            """)).ShouldBeTrue(sent.ToJsonString());
    }

    [Fact]
    public async Task A_400_surfaces_its_problem_with_the_invalid_fields_and_is_not_retried()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.BadRequest, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
             "errors":{"kind":["Kind is required."],"customer.email":["Not an email address."]},"trace_id":"00-abc"}
            """);

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client().EscalateAsync(ClientFixtures.Request, cancellationToken: Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        failure.Problem!.Status.ShouldBe(400);
        failure.Problem.Title.ShouldBe("One or more validation errors occurred.");
        failure.Errors.Keys.ShouldBe(["kind", "customer.email"], ignoreOrder: true);
        failure.Errors["customer.email"].ShouldBe(["Not an email address."]);
        failure.Problem.Extensions!["trace_id"]!.GetValue<string>().ShouldBe("00-abc");
        failure.Message.ShouldContain("customer.email: Not an email address.");
        server.Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_404_surfaces_as_a_problem()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.NotFound, """{"title":"Not Found","status":404,"detail":"No such escalation."}""");

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client().GetAsync(Guid.CreateVersion7(), Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        failure.Problem!.Detail.ShouldBe("No such escalation.");
        failure.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_error_without_a_problem_document_still_says_its_status()
    {
        var server = new ScriptedHandler().Then(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<html>nope</html>", null, "text/html") });

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client().GetAsync(Samples.EscalationId, Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        failure.Problem.ShouldBeNull();
    }

    [Fact]
    public async Task Lists_send_the_filters_as_the_api_names_them_and_follow_the_cursor()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.OK, $$"""{"items":[{"id":"{{Samples.EscalationId}}","kind":"handoff","status":"with_human","priority":"normal","created_at":"2026-03-01T10:00:00Z","updated_at":"2026-03-01T10:00:00Z"}],"next_cursor":"c2"}""")
            .Then(HttpStatusCode.OK, $$"""{"items":[{"id":"{{Guid.Empty}}","kind":"question","status":"with_human","priority":"low","created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-01T09:00:00Z"}],"next_cursor":null}""");
        var filter = new EscalationFilter { Statuses = [EscalationStatus.WithHuman, EscalationStatus.WaitingForHuman], ExternalRef = "conv 42&x", Owner = "human", Channel = CustomerChannel.Whatsapp, Limit = 1 };

        var all = new List<EscalationSummary>();
        await foreach (var item in server.Client().ListAllAsync(filter, Ct)) all.Add(item);

        all.Select(item => item.Kind).ShouldBe([EscalationKind.Handoff, EscalationKind.Question]);
        server.Seen[0].Uri.Query.ShouldBe("?status=with_human%2Cwaiting_for_human&external_ref=conv%2042%26x&owner=human&channel=whatsapp&limit=1");
        server.Seen[1].Uri.Query.ShouldBe("?status=with_human%2Cwaiting_for_human&external_ref=conv%2042%26x&owner=human&channel=whatsapp&limit=1&cursor=c2");
    }

    [Fact]
    public async Task Messages_drafts_and_cancels_post_their_bodies()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.OK, Samples.Escalation())
            .Then(HttpStatusCode.Created, $$"""{"draft_id":"{{Guid.Empty}}","escalation_id":"{{Samples.EscalationId}}"}""")
            .Then(HttpStatusCode.OK, Samples.Escalation(Samples.HandBack.Replace("\"edited\"", "\"cancelled\""), "cancelled"));
        var client = server.Client();
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

        await client.AppendMessageAsync(Samples.EscalationId, MessageRole.Customer, "Still there?", at, Ct);
        var draft = await client.ProposeDraftAsync(Samples.EscalationId, "We are on it.", Ct);
        var cancelled = await client.CancelAsync(Samples.EscalationId, "solved itself", Ct);

        server.Seen.Select(request => request.Uri.AbsolutePath).ShouldBe([
            $"/api/v1/escalations/{Samples.EscalationId}/messages",
            $"/api/v1/escalations/{Samples.EscalationId}/drafts",
            $"/api/v1/escalations/{Samples.EscalationId}/cancel"]);
        JsonNode.DeepEquals(JsonNode.Parse(server.Seen[0].Body!), JsonNode.Parse("""{"role":"customer","content":"Still there?","at":"2026-03-01T10:00:00+00:00"}""")).ShouldBeTrue(server.Seen[0].Body);
        server.Seen[1].Body.ShouldBe("""{"content":"We are on it."}""");
        server.Seen[2].Body.ShouldBe("""{"reason":"solved itself"}""");
        // The server keeps idempotency keys for creates only; these calls are not replayed on doubt instead.
        server.Seen.ShouldAllBe(request => request.IdempotencyKey == null);
        draft.DraftId.ShouldBe(Guid.Empty);
        draft.EscalationId.ShouldBe(Samples.EscalationId);
        cancelled.HandBack!.Outcome.ShouldBe(HandBackOutcome.Cancelled);
    }

    [Fact]
    public async Task AddAwaitHumanClient_makes_a_typed_client_with_the_configured_address_and_key()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.OK, Samples.Escalation());
        var services = new ServiceCollection();
        services.AddAwaitHumanClient(options =>
            {
                options.BaseAddress = new Uri("https://registered.test/");
                options.ApiKey = "ah_live_registered";
            })
            .ConfigurePrimaryHttpMessageHandler(() => server);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<AwaitHumanClient>().GetAsync(Samples.EscalationId, Ct);

        server.Seen.Single().Uri.ShouldBe(new Uri($"https://registered.test/v1/escalations/{Samples.EscalationId}"));
        server.Seen.Single().Authorization.ShouldBe("Bearer ah_live_registered");
    }

    [Fact]
    public void The_registered_HttpClient_leaves_time_limits_to_the_client_so_long_polls_are_not_cut()
    {
        var services = new ServiceCollection();
        services.AddAwaitHumanClient(options => options.BaseAddress = new Uri("https://registered.test/"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AwaitHumanClient)).Timeout.ShouldBe(Timeout.InfiniteTimeSpan);
    }
}
