using AwaitHuman.Core.Security;

namespace AwaitHuman.Core.Escalations;

/// <summary>How callers appear on an escalation: agents by their credential, operators as people.</summary>
public static class EscalationParticipants
{
    public static Participant Agent(Caller caller) => new(caller.CredentialType, caller.CredentialId, caller.Name);

    /// <summary>The person behind a session, personal token or app token, by the name they show customers; null for machine credentials.</summary>
    public static Participant? Person(Caller caller) =>
        caller.PersonId is { } personId ? new Participant("person", personId.ToString(), caller.DisplayName ?? caller.Name) : null;
}
