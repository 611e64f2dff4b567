using System.Net;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class HandoffLifecycleTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_takes_over_and_hands_back_with_only_what_happened_meanwhile()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        var human = _app.CreateHttpClient(operatorMember.Token);

        var opened = await agent.OpenEscalationAsync();
        var id = opened.GetProperty("id").GetString()!;
        opened.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        opened.GetProperty("resume_token").GetString()!.ShouldStartWith("rt_");

        var details = await agent.GetEscalationAsync(id);
        details.GetProperty("owner").GetProperty("type").GetString().ShouldBe("ai");
        details.GetProperty("transcript").GetArrayLength().ShouldBe(2);
        details.GetProperty("agent").GetProperty("trace")[0].GetProperty("tool").GetString().ShouldBe("lookup_order");
        details.GetProperty("metadata").GetProperty("tier").GetString().ShouldBe("gold");

        var claimed = await human.ActOkAsync(id, "claim");
        claimed.GetProperty("status").GetString().ShouldBe("with_human");
        claimed.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(operatorMember.PersonId.ToString());

        // The human owns the conversation: the agent may relay the customer but not speak to them.
        using (var blocked = await agent.ActAsync(id, "messages", new { role = "agent", content = "Anything else?" }))
        {
            var problem = await blocked.ShouldBeProblemAsync(HttpStatusCode.Conflict);
            problem.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(operatorMember.PersonId.ToString());
            problem.GetProperty("detail").GetString()!.ShouldContain("owns this conversation");
        }
        await agent.ActOkAsync(id, "messages", new { role = "customer", content = "Hello? Is someone there?" });
        await human.ActOkAsync(id, "reply", new { content = "Hi Ada, I am refunding the second charge now." });
        await human.ActOkAsync(id, "notes", new { body = "Checked with billing: duplicate capture." });

        var resolved = await human.ActOkAsync(id, "resolve", new
        {
            outcome = "resolved",
            resolution = new { summary = "Refunded the duplicate charge.", instructions_for_agent = "Confirm the refund arrives in 3-5 days.", fields = new { refund_id = "re_123", amount = 49.90 } },
            must_not_claim = new[] { "that the customer was charged only once" },
        });
        resolved.GetProperty("status").GetString().ShouldBe("resolved");
        resolved.GetProperty("owner").GetProperty("type").GetString().ShouldBe("ai");

        var handBack = resolved.GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("resolved");
        handBack.GetProperty("owner").GetString().ShouldBe("ai");
        handBack.GetProperty("resolution").GetProperty("fields").GetProperty("refund_id").GetString().ShouldBe("re_123");
        handBack.GetProperty("resolution").GetProperty("instructions_for_agent").GetString().ShouldBe("Confirm the refund arrives in 3-5 days.");
        handBack.GetProperty("must_not_claim")[0].GetString().ShouldBe("that the customer was charged only once");
        handBack.GetProperty("decided_by").GetProperty("id").GetString().ShouldBe(operatorMember.PersonId.ToString());
        var delta = handBack.GetProperty("transcript_delta").EnumerateArray().Select(line => (line.GetProperty("role").GetString(), line.GetProperty("content").GetString())).ToArray();
        delta.ShouldBe([("customer", "Hello? Is someone there?"), ("operator", "Hi Ada, I am refunding the second charge now.")]);

        // Agents do not see operators' internal notes; people do.
        (await agent.GetEscalationAsync(id)).GetProperty("notes").ValueKind.ShouldBe(JsonValueKind.Null);
        (await human.GetEscalationAsync(id)).GetProperty("notes")[0].GetProperty("body").GetString().ShouldBe("Checked with billing: duplicate capture.");

        using var afterwards = await agent.ActAsync(id, "messages", new { role = "agent", content = "Back to me" });
        (await afterwards.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("resolved");
    }
}
