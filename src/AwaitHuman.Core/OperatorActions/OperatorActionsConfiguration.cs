using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Core.OperatorActions;

public static class OperatorActionsConfiguration
{
    public static IServiceCollection AddOperatorActions(this IServiceCollection services)
    {
        // Each action opens its own session and message context, so one instance serves every circuit.
        services.AddSingleton<EscalationActions>();
        services.AddSingleton<PresenceActions>();
        return services;
    }
}
