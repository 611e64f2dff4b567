namespace AwaitHuman.Connectors;

/// <summary>
/// The customer's side of an escalation, for connectors that host the conversation themselves
/// (web chat): what the customer may see, and a signal when it changes, also when the change
/// happened on another server node.
/// </summary>
public interface IConversationFeed
{
    /// <summary>The escalation the customer's conversation <paramref name="externalRef"/> is in: the newest one not finished, else the newest.</summary>
    Task<Guid?> FindByExternalRefAsync(string tenantId, string externalRef, CancellationToken cancellationToken);

    /// <summary>The messages the customer may see (theirs, the agent's and the operators'; never notes or tool calls), after <paramref name="afterPosition"/>.</summary>
    Task<Conversation?> ReadAsync(string tenantId, Guid escalationId, int afterPosition, CancellationToken cancellationToken);

    /// <summary>Changes and typing notices on one escalation, from now until <paramref name="cancellationToken"/> ends.</summary>
    IAsyncEnumerable<ConversationSignal> WatchAsync(string tenantId, Guid escalationId, CancellationToken cancellationToken);

    /// <summary>Tells everyone watching (operators, the customer) that <paramref name="party"/> is typing; not stored.</summary>
    Task NotifyTypingAsync(string tenantId, Guid escalationId, string party, string? name, CancellationToken cancellationToken);
}

/// <param name="Status">The escalation's status (<c>waiting_for_human</c>, <c>with_human</c>, <c>resolved</c>, ...).</param>
public sealed record Conversation(Guid EscalationId, string Status, string? OperatorName, IReadOnlyList<ConversationMessage> Messages);

/// <param name="Position">1-based place in the conversation; a client resumes after the last it saw.</param>
/// <param name="From"><see cref="ConversationParties"/>.</param>
/// <param name="DeliveryState">For messages to the customer: the latest <see cref="DeliveryStates"/> value.</param>
public sealed record ConversationMessage(Guid Id, int Position, string From, string? AuthorName, string Text, DateTimeOffset At, string? DeliveryState);

public static class ConversationParties
{
    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Operator = "operator";
}

/// <summary>What happened on a watched escalation.</summary>
public abstract record ConversationSignal
{
    /// <summary>Something was appended: read again after the last position seen.</summary>
    public sealed record Changed : ConversationSignal;

    /// <summary><paramref name="Party"/> (customer or operator) is typing.</summary>
    public sealed record Typing(string Party, string? Name) : ConversationSignal;
}
