using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using JasperFx;
using JasperFx.Events;

namespace AwaitHuman.Portal.Components.Pages.Console.Escalation;

/// <summary>
/// The escalation a console page has open, shared with its panels: the state they show and the one
/// way they act on it, so every action's problem shows in one place and its result replaces the state.
/// </summary>
public sealed class EscalationPageState(Caller caller, EscalationActions actions, Func<Task> changed)
{
    public Caller Caller { get; } = caller;
    public required Core.Escalations.Escalation Escalation { get; set; }

    /// <summary>The last action's problem, shown at the top of the page.</summary>
    public Failure? Problem { get; private set; }

    public bool IsMine => Escalation.Status == EscalationStatuses.WithHuman && Escalation.Operator?.Id == Caller.PersonId?.ToString();
    public bool Supervises => Roles.IsAtLeast(Caller.Role, Roles.Supervisor);

    /// <summary>Runs an action; true when it succeeded. The page reloads the escalation on the change signal too.</summary>
    public async Task<bool> ActAsync(Func<EscalationActions, Caller, CancellationToken, Task<Outcome<EscalationView>>> action)
    {
        Outcome<EscalationView> outcome;
        try
        {
            outcome = await action(actions, Caller, CancellationToken.None);
        }
        catch (Exception conflict) when (conflict is EventStreamUnexpectedMaxEventIdException or ConcurrencyException)
        {
            // The HTTP API answers 409 here; the console says the same and shows the state that won.
            outcome = new Failure.Conflict("Someone changed this escalation at the same moment; look at it again and retry.");
        }
        Problem = outcome.Failure;
        await changed();
        return outcome.Succeeded;
    }

    public void Dismiss() => Problem = null;

    /// <summary>One sentence for the alert: what went wrong and, for invalid fields, each field's message.</summary>
    public static string Explain(Failure failure) => failure switch
    {
        Failure.Invalid invalid => string.Join(" ", invalid.Errors.SelectMany(error => error.Value).Prepend(invalid.Message)),
        _ => failure.Message,
    };
}
