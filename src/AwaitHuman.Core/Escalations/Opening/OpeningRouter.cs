using Marten;
using Wolverine;

namespace AwaitHuman.Core.Escalations.Opening;

/// <summary>
/// Routes an escalation in the transaction that opens it, so the right person holds it the moment it
/// exists. Routing implements it: opening, a floor below Routing, knows nothing of rules and teams.
/// </summary>
public interface IOpeningRouter
{
    /// <returns>The escalation as it will be stored.</returns>
    Task<Escalation> StartRoutedAsync(EscalationOpened opened, IDocumentSession session, IMessageBus bus, CancellationToken ct);
}
