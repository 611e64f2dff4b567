using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Core.OperatorActions;

public static class OperatorActionsConfiguration
{
    public static void ConfigureOperatorActions(this StoreOptions opts) =>
        // A column of its own, so the hourly purge is one indexed delete.
        opts.Schema.For<OperatorActionResponse>().Duplicate(response => response.CreatedAt);

    public static IServiceCollection AddOperatorActions(this IServiceCollection services)
    {
        // Each action opens its own session and message context, so one instance serves every circuit.
        services.AddSingleton<EscalationActions>();
        services.AddSingleton<OperatorActionKeyRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<OperatorActionKeyRetention>());
        services.AddSingleton<PresenceActions>();
        return services;
    }
}
