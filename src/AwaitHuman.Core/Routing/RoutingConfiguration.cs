using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Marten;

namespace AwaitHuman.Core.Routing;

public static class RoutingConfiguration
{
    public const string Queue = "routing";

    public static void ConfigureRouting(this StoreOptions opts)
    {
        opts.Projections.Snapshot<RoutingRuleSet>(SnapshotLifecycle.Inline);
        opts.Schema.For<AssignmentTurn>();
        AssignmentLoads.Configure(opts);
    }

    public static void ConfigureRouting(this WolverineOptions opts)
    {
        // Routing, assignment and SLA steps share a durable local queue of their own, so a burst of
        // openings never waits behind webhook deliveries and survives a crash between two steps.
        opts.LocalQueue(Queue).UseDurableInbox();
        opts.PublishMessage<RouteEscalation>().ToLocalQueue(Queue);
        opts.PublishMessage<AssignEscalation>().ToLocalQueue(Queue);
        opts.PublishMessage<DrainTeamQueues>().ToLocalQueue(Queue);
        opts.PublishMessage<ReassignWorkOf>().ToLocalQueue(Queue);
        opts.PublishMessage<TakeFromOffline>().ToLocalQueue(Queue);
        opts.PublishMessage<MemberRemoved>().ToLocalQueue(Queue);
        opts.PublishMessage<TakeFromRemovedMember>().ToLocalQueue(Queue);
        opts.PublishMessage<ExpireOffer>().ToLocalQueue(Queue);
        opts.PublishMessage<CheckAssignmentLease>().ToLocalQueue(Queue);
        opts.PublishMessage<CheckPresence>().ToLocalQueue(Queue);
        opts.PublishMessage<SlaCheckpoint>().ToLocalQueue(Queue);
        opts.PublishMessage<CapacityFreed>().ToLocalQueue(Queue);
    }

    public static IServiceCollection AddEscalationRouting(this IServiceCollection services)
    {
        services.AddSingleton<RoutingSetupCache>();
        services.AddSingleton<IOpeningRouter, OpeningRouter>();
        services.AddSingleton<ITeamReferences, RoutingRuleReferences>();
        services.AddSingleton<ISlaPolicyReferences, RoutingRuleReferences>();
        // The routing and SLA pages' changes; SLA policies are what rules apply, so they come with routing.
        services.AddScoped<RoutingRuleAdministration>();
        services.AddScoped<SlaAdministration>();
        services.AddHostedService<RoutingSetupChanges>();
        services.ConfigureMarten((provider, opts) => opts.Listeners.Add(new RoutingSetupNotifier(provider.GetRequiredService<RoutingSetupCache>())));
        services.SubscribeToEvents(new CapacityFeed());
        services.InitializeMartenWith<CapacityFeedStart>();
        return services;
    }
}
