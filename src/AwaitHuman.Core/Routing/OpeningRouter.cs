using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Opening;
using Marten;
using Wolverine;

namespace AwaitHuman.Core.Routing;

/// <summary>Routing at the opening of an escalation, on the tenant's setup as <see cref="RoutingSetupCache"/> has it.</summary>
public sealed class OpeningRouter(RoutingSetupCache cache) : IOpeningRouter
{
    public Task<Escalation> StartRoutedAsync(EscalationOpened opened, IDocumentSession session, IMessageBus bus, CancellationToken ct) =>
        RouteEscalationHandler.StartRoutedAsync(opened, session, bus, cache, ct);
}
