using AwaitHuman.Connectors;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Channels.AgentRelay;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Channels.Sandbox;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Escalations.Waiting;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Onboarding.Invitations;
using AwaitHuman.Core.Routing;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using Marten;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace AwaitHuman.Core.Onboarding.GettingStarted;

/// <summary>
/// Where a new tenant stands on its first steps, each read from what exists (keys and their use,
/// escalations, connections, invitations and members, teams and rules): nobody ticks a step by hand.
/// </summary>
/// <param name="KeysUsed">Unrevoked API keys that have made at least one request: an agent is connected.</param>
/// <param name="RealChannels">Enabled connections to a provider (neither the sandbox nor the agent relay).</param>
/// <param name="AnsweredThroughSandbox">An operator has answered a customer while no provider was connected: the sandbox was tried.</param>
public sealed record GettingStartedProgress(
    int Keys,
    int KeysUsed,
    long Escalations,
    IReadOnlyList<string> RealChannels,
    bool AnsweredThroughSandbox,
    long Invitations,
    long Members,
    long Teams,
    int Rules,
    GettingStartedDismissal? Dismissal,
    SentTestEscalation? TestEscalation)
{
    public bool AgentConnected => KeysUsed > 0;
    public bool EscalationSent => Escalations > 0;
    public bool ChannelReady => RealChannels.Count > 0 || AnsweredThroughSandbox;
    public bool TeammatesInvited => Invitations > 0 || Members > 1;
    public bool TeamAndRule => Teams > 0 && Rules > 0;

    public int Done => new[] { AgentConnected, EscalationSent, ChannelReady, TeammatesInvited, TeamAndRule }.Count(done => done);
    public const int Steps = 5;
    public bool Complete => Done == Steps;
    public bool Dismissed => Dismissal is not null;
}

/// <summary>The tenant chose to hide the checklist; one per tenant, deleted to show it again.</summary>
public sealed class GettingStartedDismissal
{
    public const string SingleId = "getting-started";

    public string Id { get; set; } = SingleId;
    public DateTimeOffset DismissedAt { get; set; }
    public string DismissedBy { get; set; } = "";
}

/// <summary>The test escalation: where the console shows it and where its customer's simulated device is.</summary>
/// <param name="Device">Null once its channel no longer goes through the sandbox.</param>
public sealed record SentTestEscalation(Guid Id, string Channel, string Status, Uri? Device);

public sealed record CreateAgentKey(string? Name);

/// <summary>
/// The getting-started checklist's reads and actions for admins and owners in the console. Each
/// action is the API's own use case: the key is <see cref="ApiKeyIssuer"/>'s, the test escalation
/// is opened by <see cref="EscalationOpening"/> with its routing, outbox and notification.
/// </summary>
public sealed class GettingStarted(
    IDocumentStore store, OutboxedSessionFactory outbox, IWolverineRuntime runtime, IOpeningRouter routing,
    ResumeTokens resumeTokens, SandboxDevice device, TimeProvider clock)
{
    /// <summary>What an agent needs and nothing more: it opens escalations and reads their answers.</summary>
    public static readonly string[] AgentScopes = [Scopes.EscalationsWrite, Scopes.EscalationsRead];

    /// <summary>Channels the test customer may write on, the chat-like first.</summary>
    static readonly string[] TestChannels = [ChannelKinds.WebChat, ChannelKinds.Email, ChannelKinds.Sms, ChannelKinds.WhatsApp];

    public const string TestReason = "getting_started_test";

    public async Task<GettingStartedProgress> ProgressAsync(string tenantId, CancellationToken ct)
    {
        await using var query = store.QuerySession(tenantId);
        var batch = query.CreateBatchQuery();
        var keys = batch.Query<ApiKey>().Where(key => key.RevokedAt == null).Select(key => key.Id).ToList();
        var escalations = batch.Query<EscalationSummary>().Count();
        var connections = batch.Query<Connection>().Where(c => c.DisabledAt == null).ToList();
        var answered = batch.Query<EscalationSummary>().Where(s => s.FirstResponded && s.Channel != ChannelKinds.Agent).Any();
        var invitations = batch.Query<Invitation>().Count();
        var members = batch.Query<Membership>().Count();
        var teams = batch.Query<Team>().Count();
        var rules = batch.Query<RoutingRuleSet>().ToList();
        var dismissal = batch.Load<GettingStartedDismissal>(GettingStartedDismissal.SingleId);
        var test = batch.Query<EscalationSummary>().Where(s => s.Reason == TestReason).OrderByDescending(s => s.CreatedAt).FirstOrDefault();
        await batch.Execute(ct);

        var keyIds = (await keys).ToArray();
        var used = keyIds.Length == 0 ? 0 : (await query.LoadManyAsync<CredentialUse>(ct, keyIds)).Count;
        var realChannels = (await connections)
            .Where(c => c.Provider is not (SandboxConnector.Name or AgentRelayConnector.Name))
            .SelectMany(c => c.Channels).Distinct().Order().ToList();
        return new GettingStartedProgress(keyIds.Length, used, await escalations, realChannels,
            realChannels.Count == 0 && await answered, await invitations, await members, await teams,
            (await rules).Sum(set => set.Rules.Length), await dismissal,
            await test is { } latest ? await TestEscalationOf(query, latest.Id, ct) : null);
    }

    /// <summary>The test escalation with the link to its customer's simulated device, while its channel still goes through the sandbox.</summary>
    async Task<SentTestEscalation?> TestEscalationOf(IQuerySession query, Guid id, CancellationToken ct)
    {
        var escalation = await query.LoadAsync<Escalation>(id, ct);
        if (escalation is null) return null;
        var address = Channels.CustomerChannel.AddressOf(escalation.Customer, escalation.Channel, escalation.ExternalRef);
        var connection = await ConnectionLookup.ForChannelAsync(query, escalation.Channel, ct);
        return new SentTestEscalation(id, escalation.Channel, escalation.Status,
            address is not null && connection?.Provider == SandboxConnector.Name ? device.UrlFor(query.TenantId, connection.Id, escalation.Channel, address) : null);
    }

    /// <summary>Creates a key for the agent with the scopes it needs, as <c>POST /v1/api-keys</c> does; the secret is in the answer only.</summary>
    public async Task<Outcome<CreatedApiKey>> CreateAgentKeyAsync(Caller caller, Actor by, CreateAgentKey request, CancellationToken ct)
    {
        if (!caller.Has(Scopes.ApiKeysManage)) return new Failure.Forbidden("Only admins and owners create API keys.");
        var asApi = new CreateApiKey(request.Name?.Trim(), "live", AgentScopes);
        var errors = ApiKeyIssuer.Validate(asApi);
        if (errors.Any) return errors.ToFailure();
        var beyond = AgentScopes.Where(scope => !caller.Has(scope)).ToArray();
        if (beyond.Length > 0) return new Failure.Forbidden($"You cannot grant scopes you do not hold: {string.Join(", ", beyond)}.");

        await using var session = store.LightweightSession(caller.TenantId);
        var created = ApiKeyIssuer.Issue(session, asApi.Name!, "live", AgentScopes, by, clock.GetUtcNow());
        await session.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>
    /// Opens an escalation as an agent of this tenant would, from a test customer on a channel that
    /// goes through the tenant's sandbox, so it can be answered on the simulated device and no real
    /// customer is ever written to.
    /// </summary>
    public async Task<Outcome<SentTestEscalation>> SendTestEscalationAsync(Caller caller, CancellationToken ct)
    {
        if (!Roles.IsAtLeast(caller.Role, Roles.Admin) || !caller.Has(Scopes.EscalationsWrite)) return AdminsOnly;
        string? channel = null;
        Connection? sandbox = null;
        await using (var query = store.QuerySession(caller.TenantId))
            foreach (var candidate in TestChannels)
                if (await ConnectionLookup.ForChannelAsync(query, candidate, ct) is { Provider: SandboxConnector.Name } connection)
                {
                    (channel, sandbox) = (candidate, connection);
                    break;
                }
        if (channel is null || sandbox is null)
            return new Failure.CannotBeDone("No customer channel goes through the sandbox any more: every one is connected to a provider, so a test would reach a real customer.");

        var now = clock.GetUtcNow();
        var reference = $"getting-started-{Guid.CreateVersion7(now):N}"[..34];
        var request = new OpenEscalation(
            Kind: "handoff", Reason: TestReason,
            Summary: "A test escalation from the getting-started checklist: answer the customer on the simulated device.",
            Confidence: 0.4, Priority: "normal", ExternalRef: reference,
            Customer: new CustomerInput(Name: "Ada Test", Email: "ada.test@sandbox.awaithuman.invalid", Phone: "+15550100100", PreferredChannel: channel),
            Transcript:
            [
                new TranscriptInput("customer", "Hi! I was charged twice for my order. Can a person look at it?", now.AddMinutes(-2)),
                new TranscriptInput("agent", "I can see two charges, but I cannot refund on my own. Let me bring in a colleague.", now.AddMinutes(-1)),
            ],
            Agent: new AgentInput("Getting-started test", null, null), Question: null, Action: null, Metadata: null, DeadlineSeconds: null);

        var bus = new MessageContext(runtime, caller.TenantId);
        await using var session = outbox.OpenSession(bus);
        // The escalation is the agent's, not the admin's: it shows as opened by the test agent.
        var agent = caller with { Name = "Getting-started test" };
        var attempt = await EscalationOpening.TryOpenAsync(request, null, session, bus, routing, agent, resumeTokens, now, ct);
        if (attempt.Errors is { } errors) return errors.ToFailure();
        attempt = await EscalationOpening.CommitAsync(attempt, null, session, bus, ct);
        var customer = request.Customer!;
        var address = Channels.CustomerChannel.AddressOf(new(customer.Name, customer.Email, customer.Phone, null, channel, null), channel, reference)!;
        return new SentTestEscalation(attempt.Opened!.Id, channel, attempt.Opened.Status, device.UrlFor(caller.TenantId, sandbox.Id, channel, address));
    }

    public async Task<Outcome<GettingStartedDismissal>> DismissAsync(Caller caller, CancellationToken ct)
    {
        if (!Roles.IsAtLeast(caller.Role, Roles.Admin)) return AdminsOnly;
        var dismissal = new GettingStartedDismissal { DismissedAt = clock.GetUtcNow(), DismissedBy = caller.Name };
        await using var session = store.LightweightSession(caller.TenantId);
        session.Store(dismissal);
        await session.SaveChangesAsync(ct);
        return dismissal;
    }

    public async Task<Outcome<GettingStartedDismissal>> ShowAgainAsync(Caller caller, CancellationToken ct)
    {
        if (!Roles.IsAtLeast(caller.Role, Roles.Admin)) return AdminsOnly;
        await using var session = store.LightweightSession(caller.TenantId);
        session.Delete<GettingStartedDismissal>(GettingStartedDismissal.SingleId);
        await session.SaveChangesAsync(ct);
        return new GettingStartedDismissal();
    }

    static Failure.Forbidden AdminsOnly => new("Only admins and owners change the getting-started checklist.");
}

public static class GettingStartedConfiguration
{
    public static void ConfigureGettingStarted(this StoreOptions opts) => opts.Schema.For<GettingStartedDismissal>();
}
