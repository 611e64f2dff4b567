using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AwaitHuman.Server.Tests.Escalations.Mcp;

/// <summary>The MCP endpoint driven by the SDK's own client over Streamable HTTP, as an MCP-speaking agent would.</summary>
public class EscalationToolsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] AllTools = ["escalate_to_human", "ask_human", "request_approval", "get_escalation", "wait_for_human"];

    [Fact]
    public async Task An_agent_sees_the_five_tools_with_typed_input_schemas()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);

        agent.ServerInfo.ShouldNotBeNull().Name.ShouldBe("awaithuman");
        agent.ServerInstructions.ShouldNotBeNullOrWhiteSpace();
        var tools = (await agent.ListToolsAsync(cancellationToken: Ct)).ToDictionary(tool => tool.Name, tool => tool.ProtocolTool);
        tools.Keys.ShouldBe(AllTools, ignoreOrder: true);
        foreach (var tool in tools.Values)
        {
            tool.Description.ShouldNotBeNullOrWhiteSpace();
            tool.OutputSchema.ShouldNotBeNull(tool.Name);
            // The caller and the cancellation token are bound by the server, never asked of the model.
            Properties(tool).ShouldNotContain("user");
            Properties(tool).ShouldNotContain("ct");
        }

        var escalate = tools["escalate_to_human"];
        Properties(escalate).ShouldBe(["reason", "summary", "confidence", "priority", "external_ref", "customer", "transcript", "deadline_seconds", "idempotency_key"], ignoreOrder: true);
        Required(escalate).ShouldBe(["reason"]);
        var customer = escalate.InputSchema.GetProperty("properties").GetProperty("customer");
        customer.ToString().ShouldContain("preferred_channel");
        customer.ToString().ShouldContain("whatsapp");
        escalate.InputSchema.GetProperty("properties").GetProperty("transcript").GetProperty("items").ToString().ShouldContain("content");
        escalate.InputSchema.GetProperty("properties").GetProperty("deadline_seconds").GetProperty("description").GetString()!.ShouldContain("timed_out");

        Required(tools["ask_human"]).ShouldBe(["question", "reason"], ignoreOrder: true);
        Properties(tools["ask_human"]).ShouldContain("wait_seconds");
        Required(tools["request_approval"]).ShouldBe(["action", "reason"], ignoreOrder: true);
        Properties(tools["request_approval"]).ShouldContain("arguments");
        Required(tools["get_escalation"]).ShouldBe(["id"]);
        Properties(tools["wait_for_human"]).ShouldBe(["id", "resume_token", "timeout_seconds"], ignoreOrder: true);
        tools["wait_for_human"].Annotations!.ReadOnlyHint.ShouldBe(true);
        tools["escalate_to_human"].OutputSchema!.Value.GetProperty("properties").TryGetProperty("resume_token", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Escalate_to_human_opens_a_handoff_that_the_api_shows()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);
        var externalRef = $"conv-{Guid.NewGuid():N}";

        var result = await agent.CallToolAsync("escalate_to_human", new Dictionary<string, object?>
        {
            ["reason"] = "refund_dispute",
            ["summary"] = "Customer disputes a double charge on order 1042.",
            ["confidence"] = 0.3,
            ["priority"] = "high",
            ["external_ref"] = externalRef,
            ["customer"] = new { name = "Ada Lovelace", email = "ada@example.com", preferred_channel = "agent" },
            ["transcript"] = new[]
            {
                new { role = "customer", content = "I was charged twice for order 1042." },
                new { role = "agent", content = "Let me get a colleague." },
            },
            ["deadline_seconds"] = 3600,
        }, cancellationToken: Ct);

        var answer = await AnswerAsync(agent, "escalate_to_human", result);
        answer.GetProperty("kind").GetString().ShouldBe("handoff");
        answer.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        answer.GetProperty("resume_token").GetString()!.ShouldStartWith("rt_");
        answer.GetProperty("next_step").GetString()!.ShouldContain("wait_for_human");
        // The text carries the same JSON for clients that read only text.
        JsonDocument.Parse(Text(result)).RootElement.GetProperty("id").GetString().ShouldBe(answer.GetProperty("id").GetString());

        var id = answer.GetProperty("id").GetString()!;
        var details = await _app.CreateHttpClient(tenant.ApiKey).GetEscalationAsync(id);
        details.GetProperty("kind").GetString().ShouldBe("handoff");
        details.GetProperty("reason").GetString().ShouldBe("refund_dispute");
        details.GetProperty("priority").GetString().ShouldBe("high");
        details.GetProperty("external_ref").GetString().ShouldBe(externalRef);
        details.GetProperty("customer").GetProperty("email").GetString().ShouldBe("ada@example.com");
        details.GetProperty("transcript").EnumerateArray().Select(line => line.GetProperty("role").GetString()).ShouldBe(["customer", "agent"]);
        details.GetProperty("deadline_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(59));

        var shown = await CallAsync(agent, "get_escalation", new Dictionary<string, object?> { ["id"] = id });
        shown.GetProperty("owner").GetProperty("type").GetString().ShouldBe("ai");
        shown.GetProperty("summary").GetString().ShouldBe("Customer disputes a double charge on order 1042.");
    }

    [Fact]
    public async Task An_operator_answers_a_question_and_wait_for_human_returns_the_hand_back()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);
        var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);

        var asked = await CallAsync(agent, "ask_human", new Dictionary<string, object?>
        {
            ["question"] = "May we waive the late fee for this customer?",
            ["reason"] = "policy_exception",
            ["context"] = "Gold customer, first late payment in six years.",
        });
        var id = asked.GetProperty("id").GetString()!;
        asked.GetProperty("kind").GetString().ShouldBe("question");
        asked.GetProperty("hand_back").ValueKind.ShouldBe(JsonValueKind.Null);

        var stillWaiting = await CallAsync(agent, "wait_for_human", new Dictionary<string, object?> { ["id"] = id, ["timeout_seconds"] = 0 });
        stillWaiting.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        stillWaiting.GetProperty("hand_back").ValueKind.ShouldBe(JsonValueKind.Null);

        var question = await human.GetEscalationAsync(id);
        question.GetProperty("question").GetString().ShouldBe("May we waive the late fee for this customer?");
        question.GetProperty("summary").GetString().ShouldBe("Gold customer, first late payment in six years.");

        var waiting = agent.CallToolAsync("wait_for_human", new Dictionary<string, object?>
        {
            ["resume_token"] = asked.GetProperty("resume_token").GetString(),
            ["timeout_seconds"] = 30,
        }, cancellationToken: Ct).AsTask();
        await human.ActOkAsync(id, "resolve", new { outcome = "answered", resolution = new { summary = "Yes, waive it once.", instructions_for_agent = "Tell them it is a one-time courtesy." } });

        var answered = await AnswerAsync(agent, "wait_for_human", await waiting);
        answered.GetProperty("status").GetString().ShouldBe("resolved");
        answered.GetProperty("owner").GetString().ShouldBe("ai");
        var handBack = answered.GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("answered");
        handBack.GetProperty("resolution").GetProperty("summary").GetString().ShouldBe("Yes, waive it once.");
        handBack.GetProperty("resolution").GetProperty("instructions_for_agent").GetString().ShouldBe("Tell them it is a one-time courtesy.");
        answered.GetProperty("next_step").GetString()!.ShouldContain("must_not_claim");
    }

    [Fact]
    public async Task Ask_human_with_wait_seconds_returns_the_answer_in_the_same_call()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);
        var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var externalRef = $"conv-{Guid.NewGuid():N}";

        var asking = agent.CallToolAsync("ask_human", new Dictionary<string, object?>
        {
            ["question"] = "Is order 1042 eligible for express shipping?",
            ["reason"] = "missing_facts",
            ["external_ref"] = externalRef,
            ["wait_seconds"] = 45,
        }, cancellationToken: Ct).AsTask();

        var id = await Eventually.GetAsync(async () =>
        {
            using var response = await human.GetAsync($"/v1/escalations?external_ref={externalRef}", Ct);
            var items = (await response.JsonAsync()).GetProperty("items");
            return items.GetArrayLength() == 1 ? items[0].GetProperty("id").GetString() : null;
        }, TimeSpan.FromSeconds(20), "the question in the operator's inbox");
        asking.IsCompleted.ShouldBeFalse();
        await human.ActOkAsync(id, "resolve", new { outcome = "answered", resolution = new { summary = "Yes, it is." } });

        var answered = await AnswerAsync(agent, "ask_human", await asking);
        answered.GetProperty("id").GetString().ShouldBe(id);
        answered.GetProperty("resume_token").GetString()!.ShouldStartWith("rt_");
        answered.GetProperty("hand_back").GetProperty("outcome").GetString().ShouldBe("answered");
        answered.GetProperty("hand_back").GetProperty("resolution").GetProperty("summary").GetString().ShouldBe("Yes, it is.");
    }

    [Fact]
    public async Task A_denied_approval_comes_back_as_denied_with_what_not_to_claim()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);
        var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);

        var requested = await CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["action"] = "issue_refund",
            ["arguments"] = new { order = 1042, amount = 49.90 },
            ["reason"] = "refund_over_limit",
            ["summary"] = "Refund of a duplicate charge above the agent's limit.",
        });
        var id = requested.GetProperty("id").GetString()!;
        requested.GetProperty("kind").GetString().ShouldBe("approval");
        requested.GetProperty("next_step").GetString()!.ShouldContain("do not run the action");

        var action = (await human.GetEscalationAsync(id)).GetProperty("action");
        action.GetProperty("name").GetString().ShouldBe("issue_refund");
        action.GetProperty("arguments").GetProperty("amount").GetDouble().ShouldBe(49.90);

        await human.ActOkAsync(id, "decision", new { decision = "deny", reason = "The charge was already refunded by the bank." });

        var decided = await CallAsync(agent, "wait_for_human", new Dictionary<string, object?> { ["id"] = id, ["timeout_seconds"] = 10 });
        var handBack = decided.GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("denied");
        handBack.GetProperty("decision").GetProperty("decision").GetString().ShouldBe("deny");
        handBack.GetProperty("resolution").GetProperty("summary").GetString().ShouldBe("The charge was already refunded by the bank.");
        handBack.GetProperty("must_not_claim").EnumerateArray().Select(claim => claim.GetString()).ShouldContain("that 'issue_refund' was carried out");
        decided.GetProperty("next_step").GetString()!.ShouldStartWith("Denied");
        // The text a model reads is plain JSON, without HTML escapes such as \u0027.
        Text(await agent.CallToolAsync("wait_for_human", new Dictionary<string, object?> { ["id"] = id, ["timeout_seconds"] = 0 }, cancellationToken: Ct))
            .ShouldContain("that 'issue_refund' was carried out");

        // Models often send an object as a JSON string: it is stored as the object it holds.
        var fromString = await CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["action"] = "cancel_order",
            ["arguments"] = """{"order": 1042}""",
            ["reason"] = "irreversible_action",
        });
        (await human.GetEscalationAsync(fromString.GetProperty("id").GetString()!)).GetProperty("action").GetProperty("arguments").GetProperty("order").GetInt32().ShouldBe(1042);
    }

    [Fact]
    public async Task A_deadline_set_through_mcp_times_the_question_out()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);

        var asked = await CallAsync(agent, "ask_human", new Dictionary<string, object?>
        {
            ["question"] = "Can we ship to a P.O. box?",
            ["reason"] = "missing_facts",
            ["deadline_seconds"] = 10,
        });

        // The timeout was scheduled in Wolverine's outbox, in the same transaction as the escalation.
        var handBack = await Eventually.GetAsync(async () =>
        {
            var answer = await CallAsync(agent, "wait_for_human", new Dictionary<string, object?> { ["id"] = asked.GetProperty("id").GetString(), ["timeout_seconds"] = 20 });
            return answer.GetProperty("hand_back") is { ValueKind: JsonValueKind.Object } found ? found.GetRawText() : null;
        }, TimeSpan.FromSeconds(60), "the deadline to pass");
        var timedOut = JsonDocument.Parse(handBack).RootElement;
        timedOut.GetProperty("outcome").GetString().ShouldBe("timed_out");
        timedOut.GetProperty("must_not_claim").EnumerateArray().Select(claim => claim.GetString()).ShouldContain("that a human reviewed or approved this request");
    }

    [Fact]
    public async Task Without_a_credential_the_endpoint_answers_401()
    {
        using var anonymous = _app.CreateHttpClient();
        using var response = await anonymous.PostAsJsonAsync("/mcp", new
        {
            jsonrpc = "2.0",
            id = 1,
            method = "tools/list",
        }, Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("Bearer");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");

        // The SDK's client gets no further with a key that does not exist.
        var refused = await Should.ThrowAsync<HttpRequestException>(async () => await ConnectAsync("ah_live_notakey"));
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_arguments_are_tool_errors_naming_the_fields_and_store_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);
        var externalRef = $"conv-{Guid.NewGuid():N}";

        var text = await ErrorAsync(agent, "escalate_to_human", new Dictionary<string, object?>
        {
            ["reason"] = "Refund Dispute",
            ["external_ref"] = externalRef,
            ["customer"] = new { email = "not-an-address" },
            ["transcript"] = new[] { new { role = "operator", content = "I am a human, honest." } },
            ["deadline_seconds"] = 5,
        });
        foreach (var field in new[] { "reason", "customer.email", "transcript[0].role", "deadline_seconds" })
            text.ShouldContain($"- {field}: ");
        text.ShouldNotContain("   at ");
        using (var inbox = await _app.CreateHttpClient(tenant.ApiKey).GetAsync($"/v1/escalations?external_ref={externalRef}", Ct))
            (await inbox.JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);

        // Fields are named as the tool names them, not as the HTTP API does.
        (await ErrorAsync(agent, "ask_human", new Dictionary<string, object?>
        {
            ["question"] = "Why?",
            ["reason"] = "policy_exception",
            ["context"] = new string('x', 4_001),
            ["wait_seconds"] = 0,
        })).ShouldContain("- context: ");
        (await ErrorAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["action"] = " ",
            ["arguments"] = new[] { 1, 2 },
            ["reason"] = "refund_over_limit",
        })).ShouldSatisfyAllConditions(
            error => error.ShouldContain("- action: "),
            error => error.ShouldContain("- arguments: "));
        (await ErrorAsync(agent, "ask_human", new Dictionary<string, object?>
        {
            ["question"] = "Why?",
            ["reason"] = "policy_exception",
            ["wait_seconds"] = 61,
        })).ShouldContain("- wait_seconds: ");

        // A missing required argument or a wrong type fails before the tool runs, and still says which.
        (await ErrorAsync(agent, "ask_human", new Dictionary<string, object?> { ["reason"] = "policy_exception" })).ShouldContain("- question: ");
        // Every wrong type at once, named as the other errors name fields, without .NET's type names.
        var wrongTypes = await ErrorAsync(agent, "escalate_to_human", new Dictionary<string, object?>
        {
            ["reason"] = "refund_dispute",
            ["confidence"] = "very",
            ["deadline_seconds"] = 1.5,
            ["customer"] = new { email = 42 },
            ["transcript"] = new object[] { new { role = "customer", content = "hi" }, new { role = "agent", content = false } },
        });
        wrongTypes.ShouldStartWith("Invalid arguments");
        foreach (var field in new[] { "confidence", "deadline_seconds", "customer.email", "transcript[1].content" })
            wrongTypes.ShouldContain($"- {field}: ");
        wrongTypes.ShouldNotContain("System.");

        (await ErrorAsync(agent, "wait_for_human", new Dictionary<string, object?> { ["timeout_seconds"] = 61 })).ShouldSatisfyAllConditions(
            error => error.ShouldContain("- id: "),
            error => error.ShouldContain("- timeout_seconds: "));
        (await ErrorAsync(agent, "get_escalation", new Dictionary<string, object?> { ["id"] = "1042" })).ShouldContain("- id: ");
    }

    [Fact]
    public async Task Another_tenants_escalation_is_not_found()
    {
        var owner = await _app.NewTenantAsync();
        await using var ownerAgent = await ConnectAsync(owner.ApiKey);
        var opened = await CallAsync(ownerAgent, "ask_human", new Dictionary<string, object?> { ["question"] = "Secret?", ["reason"] = "policy_exception" });
        var id = opened.GetProperty("id").GetString();

        await using var stranger = await ConnectAsync((await _app.NewTenantAsync()).ApiKey);
        (await ErrorAsync(stranger, "get_escalation", new Dictionary<string, object?> { ["id"] = id })).ShouldStartWith("Not found");
        (await ErrorAsync(stranger, "wait_for_human", new Dictionary<string, object?> { ["id"] = id, ["timeout_seconds"] = 0 })).ShouldStartWith("Not found");
        (await ErrorAsync(stranger, "wait_for_human", new Dictionary<string, object?> { ["resume_token"] = opened.GetProperty("resume_token").GetString(), ["timeout_seconds"] = 0 }))
            .ShouldStartWith("Not found");

        // The owner still sees it, so the refusals above were about the tenant.
        (await CallAsync(ownerAgent, "get_escalation", new Dictionary<string, object?> { ["id"] = id })).GetProperty("question").GetString().ShouldBe("Secret?");
    }

    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_first_escalation()
    {
        var tenant = await _app.NewTenantAsync();
        await using var agent = await ConnectAsync(tenant.ApiKey);
        var call = new Dictionary<string, object?> { ["reason"] = "angry_customer", ["summary"] = "Wants a manager.", ["idempotency_key"] = $"k-{Guid.NewGuid():N}" };

        var first = await CallAsync(agent, "escalate_to_human", call);
        var again = await CallAsync(agent, "escalate_to_human", call);
        again.GetProperty("id").GetString().ShouldBe(first.GetProperty("id").GetString());

        call["summary"] = "Something else entirely.";
        (await ErrorAsync(agent, "escalate_to_human", call)).ShouldContain("idempotency_key");
    }

    [Fact]
    public async Task A_key_without_the_read_scope_sees_only_the_tools_that_open()
    {
        var tenant = await _app.NewTenantAsync();
        using var admin = _app.CreateHttpClient(tenant.ApiKey);
        using var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "write-only agent", mode = "live", scopes = new[] { "escalations:write" } }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var writeOnlyKey = (await created.JsonAsync()).GetProperty("key").GetString()!;

        await using var agent = await ConnectAsync(writeOnlyKey);
        (await agent.ListToolsAsync(cancellationToken: Ct)).Select(tool => tool.Name).ShouldBe(["escalate_to_human", "ask_human", "request_approval"], ignoreOrder: true);
        var opened = await CallAsync(agent, "escalate_to_human", new Dictionary<string, object?> { ["reason"] = "low_confidence" });
        await Should.ThrowAsync<McpException>(async () =>
            await agent.CallToolAsync("get_escalation", new Dictionary<string, object?> { ["id"] = opened.GetProperty("id").GetString() }, cancellationToken: Ct));

        // A key without escalations:write does not get in at all.
        using var readOnly = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "read-only", mode = "live", scopes = new[] { "escalations:read" } }, Ct);
        var readOnlyKey = (await readOnly.JsonAsync()).GetProperty("key").GetString()!;
        using var forbidden = await _app.CreateHttpClient(readOnlyKey).PostAsJsonAsync("/mcp", new { jsonrpc = "2.0", id = 1, method = "tools/list" }, Ct);
        (await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("escalations:write");
    }

    async Task<McpClient> ConnectAsync(string bearer) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_app.Address, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" },
        }), cancellationToken: Ct);

    static async Task<JsonElement> CallAsync(McpClient agent, string tool, Dictionary<string, object?> arguments) =>
        await AnswerAsync(agent, tool, await agent.CallToolAsync(tool, arguments, cancellationToken: Ct));

    /// <summary>The structured answer, checked against the output schema the tool publishes (strict clients validate it).</summary>
    static async Task<JsonElement> AnswerAsync(McpClient agent, string tool, CallToolResult result)
    {
        result.IsError.ShouldNotBe(true, Text(result));
        var answer = result.StructuredContent.ShouldNotBeNull().Deserialize<JsonElement>();
        var schema = (await agent.ListToolsAsync(cancellationToken: Ct)).Single(t => t.Name == tool).ProtocolTool.OutputSchema.ShouldNotBeNull();
        ShouldConform(answer, schema, tool);
        return answer;
    }

    static async Task<string> ErrorAsync(McpClient agent, string tool, Dictionary<string, object?> arguments)
    {
        var result = await agent.CallToolAsync(tool, arguments, cancellationToken: Ct);
        result.IsError.ShouldBe(true, Text(result));
        return Text(result);
    }

    /// <summary>The parts of JSON Schema the generated schemas use: type, required, properties, items.</summary>
    static void ShouldConform(JsonElement value, JsonElement schema, string path)
    {
        if (schema.ValueKind == JsonValueKind.True) return;
        if (schema.TryGetProperty("type", out var type))
        {
            string[] allowed = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
            var actual = value.ValueKind switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            };
            (allowed.Contains(actual) || (actual == "integer" && allowed.Contains("number"))).ShouldBeTrue($"{path} is {actual}, the schema allows {string.Join(", ", allowed)}");
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
                    value.TryGetProperty(name, out _).ShouldBeTrue($"{path}.{name} is required by the output schema");
            if (schema.TryGetProperty("properties", out var properties))
                foreach (var property in value.EnumerateObject())
                    if (properties.TryGetProperty(property.Name, out var propertySchema)) ShouldConform(property.Value, propertySchema, $"{path}.{property.Name}");
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
            foreach (var (item, i) in value.EnumerateArray().Select((item, i) => (item, i)))
                ShouldConform(item, items, $"{path}[{i}]");
    }

    static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    static string[] Properties(Tool tool) => [.. tool.InputSchema.GetProperty("properties").EnumerateObject().Select(property => property.Name)];

    static string[] Required(Tool tool) =>
        tool.InputSchema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(name => name.GetString()!)] : [];
}
