using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Escalations.Waiting;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Core.Escalations;

public static class EscalationsConfiguration
{
    public static void ConfigureEscalations(this StoreOptions opts)
    {
        // Both read models commit with the events: a caller reads its own writes, on any node.
        opts.Projections.Snapshot<Escalation>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<EscalationSummary>(SnapshotLifecycle.Inline);
        opts.Schema.For<EscalationSummary>()
            .Duplicate(s => s.Status)
            .Duplicate(s => s.ExternalRef)
            .Duplicate(s => s.OperatorId)
            .Duplicate(s => s.OfferedToId)
            .Duplicate(s => s.TeamId)
            .Duplicate(s => s.SlaDueAt);
        // A column of its own, so the hourly purge is one indexed delete.
        opts.Schema.For<IdempotentResponse>().Duplicate(response => response.CreatedAt);
        opts.Listeners.Add(new EscalationChangeNotifier());
    }

    public static IServiceCollection AddEscalations(this IServiceCollection services)
    {
        services.AddSingleton<ResumeTokens>();
        services.AddSingleton<ConsolePresence>();
        services.AddSingleton<EscalationSignals>();
        services.AddHostedService(provider => provider.GetRequiredService<EscalationSignals>());
        services.AddSingleton<IdempotencyKeyRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyKeyRetention>());
        return services;
    }
}
