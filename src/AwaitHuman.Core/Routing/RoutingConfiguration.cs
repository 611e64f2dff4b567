using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Core.Routing;

public static class RoutingConfiguration
{
    public static void ConfigureRouting(this StoreOptions opts) =>
        opts.Projections.Snapshot<RoutingRuleSet>(SnapshotLifecycle.Inline);

    public static IServiceCollection AddEscalationRouting(this IServiceCollection services) =>
        services.AddSingleton<RoutingRuleCache>();
}
