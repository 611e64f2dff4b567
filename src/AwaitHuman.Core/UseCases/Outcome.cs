using System.Diagnostics.CodeAnalysis;

namespace AwaitHuman.Core.UseCases;

/// <summary>
/// Why a use case did not happen, in the domain's words. Each caller words it for itself: the HTTP
/// endpoints as problem details (<c>Problems.Of</c>), the console as a sentence, the MCP tools as a
/// tool error, the admin commands on standard error.
/// </summary>
public abstract record Failure(string Message)
{
    /// <summary>Missing, or belonging to another tenant: callers cannot tell the two apart.</summary>
    public sealed record NotFound(string Message) : Failure(Message)
    {
        public static NotFound Of(string what) => new($"No {what} with that id exists here.");
    }

    public sealed record Forbidden(string Message) : Failure(Message);

    /// <summary>The current state does not allow it.</summary>
    /// <param name="Field">The input that clashes with what exists, e.g. a taken slug.</param>
    /// <param name="HeldBy">Who holds what the caller wanted, when that is why.</param>
    public sealed record Conflict(string Message, string? Field = null, Holder? HeldBy = null) : Failure(Message);

    /// <summary>Understood and allowed, but the thing it needs cannot take it (a channel that sends no templates, say).</summary>
    public sealed record CannotBeDone(string Message) : Failure(Message);

    /// <summary>Inputs that break the rules, the messages by field (snake_case, as in the API's request bodies).</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Failure("The request has invalid fields.")
    {
        public static Invalid Of(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
    }
}

/// <summary>A person holding something, e.g. the operator who owns an escalation, and until when.</summary>
/// <param name="Type">What kind of holder, as the API names owners (<c>human</c>).</param>
public sealed record Holder(string Type, string? PersonId, string? Name, DateTimeOffset? Until);

/// <summary>What came of a use case: its result, or the <see cref="UseCases.Failure"/> that stopped it (nothing was done then).</summary>
public sealed class Outcome<T> where T : notnull
{
    Outcome(T? value, Failure? failure) => (Value, Failure) = (value, failure);

    public T? Value { get; }
    public Failure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
