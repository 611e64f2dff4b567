using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>The operator actions as the console calls them: no HTTP request, the caller passed in.</summary>
public class EscalationActionsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    EscalationActions Actions => _app.Services.GetRequiredService<EscalationActions>();

    static Caller OperatorCaller(TestTenantAccount tenant, TestMember member, string name) =>
        new(tenant.TenantId, tenant.Slug, CredentialTypes.Session, member.MembershipId.ToString(), [], member.Role, member.PersonId, name);

    async Task<Guid> OpenSmsEscalationAsync(TestTenantAccount tenant)
    {
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["phone"] = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        request["customer"]!["preferred_channel"] = "sms";
        var opened = await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync(request);
        return Guid.Parse(opened.GetProperty("id").GetString()!);
    }

    async Task<Escalation?> LoadAsync(string tenantId, Guid id)
    {
        await using var query = _app.Store.QuerySession(tenantId);
        return await query.LoadAsync<Escalation>(id, Ct);
    }

    [Fact]
    public async Task An_operator_claims_and_replies_on_the_sandbox_and_the_reply_is_delivered()
    {
        var tenant = await _app.NewTenantAsync();
        var anna = OperatorCaller(tenant, await _app.NewMemberAsync(tenant, "operator"), "Anna");
        var id = await OpenSmsEscalationAsync(tenant);

        var claimed = await Actions.ClaimAsync(anna, id, Ct);
        claimed.Succeeded.ShouldBeTrue(claimed.Failure?.Message);
        claimed.Value!.Owner.Name.ShouldBe("Anna");

        var replied = await Actions.ReplyAsync(anna, id, new ReplyToCustomer("We refunded the second charge.", null, null), Ct);

        replied.Succeeded.ShouldBeTrue(replied.Failure?.Message);
        var line = replied.Value!.Transcript[^1];
        line.Content.ShouldBe("We refunded the second charge.");
        var stored = await LoadAsync(tenant.TenantId, id);
        stored!.Transcript[^1].Id.ShouldBe(line.Id);
        // The delivery only exists if the outboxed message committed with the event and was sent.
        var delivery = await Eventually.GetAsync(async () =>
            (await LoadAsync(tenant.TenantId, id))!.Deliveries.FirstOrDefault(d => d.MessageId == line.Id && d.State == "delivered"),
            TimeSpan.FromSeconds(10), "the sandbox delivery");
        delivery.Channel.ShouldBe("sms");
    }

    [Fact]
    public async Task A_validation_error_names_the_field_and_stores_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var anna = OperatorCaller(tenant, await _app.NewMemberAsync(tenant, "operator"), "Anna");
        var id = await OpenSmsEscalationAsync(tenant);
        var before = await LoadAsync(tenant.TenantId, id);

        var outcome = await Actions.ReplyAsync(anna, id, new ReplyToCustomer("  ", "pigeon", null), Ct);

        outcome.Succeeded.ShouldBeFalse();
        outcome.Failure.ShouldBeOfType<Failure.Invalid>().Errors.Keys.ShouldBe(["content", "channel"], ignoreOrder: true);
        var after = await LoadAsync(tenant.TenantId, id);
        after!.Version.ShouldBe(before!.Version);
        after.Operator.ShouldBeNull();
    }

    [Fact]
    public async Task Another_tenants_escalation_is_not_found_and_untouched()
    {
        var mine = await _app.NewTenantAsync();
        var theirs = await _app.NewTenantAsync();
        var anna = OperatorCaller(mine, await _app.NewMemberAsync(mine, "operator"), "Anna");
        var theirId = await OpenSmsEscalationAsync(theirs);

        var claim = await Actions.ClaimAsync(anna, theirId, Ct);
        var note = await Actions.NoteAsync(anna, theirId, new AddNote("peek"), Ct);

        claim.Failure.ShouldBeOfType<Failure.NotFound>();
        note.Failure.ShouldBeOfType<Failure.NotFound>();
        claim.Value.ShouldBeNull();
        (await LoadAsync(theirs.TenantId, theirId))!.Operator.ShouldBeNull();
    }

    [Fact]
    public async Task Of_two_operators_claiming_at_once_one_wins_and_the_other_is_told_who()
    {
        var tenant = await _app.NewTenantAsync();
        var anna = OperatorCaller(tenant, await _app.NewMemberAsync(tenant, "operator"), "Anna");
        var ben = OperatorCaller(tenant, await _app.NewMemberAsync(tenant, "operator"), "Ben");
        var id = await OpenSmsEscalationAsync(tenant);

        var outcomes = await Task.WhenAll(Actions.ClaimAsync(anna, id, Ct), Actions.ClaimAsync(ben, id, Ct));

        outcomes.Count(o => o.Succeeded).ShouldBe(1, string.Join(", ", outcomes.Select(o => o.Failure?.ToString())));
        var winner = outcomes.Single(o => o.Succeeded).Value!.Owner.Name!;
        var conflict = outcomes.Single(o => !o.Succeeded).Failure.ShouldBeOfType<Failure.Conflict>();
        conflict.Message.ShouldContain(winner);
        conflict.HeldBy!.Name.ShouldBe(winner);
        (await LoadAsync(tenant.TenantId, id))!.Operator!.Name.ShouldBe(winner);
    }
}
