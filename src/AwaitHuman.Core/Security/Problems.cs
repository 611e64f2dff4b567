using AwaitHuman.Core.UseCases;
using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Core.Security;

/// <summary>RFC 7807 answers shared by the endpoints, so every error reads the same.</summary>
public static class Problems
{
    /// <summary>400 with the wrong fields named (snake_case, as in the request body).</summary>
    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request has invalid fields.");

    public static IResult Invalid(string field, string message) => Invalid(new() { [field] = [message] });

    /// <summary>404 for anything missing or belonging to another tenant: callers cannot tell the two apart.</summary>
    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with that id exists here.");

    public static IResult Conflict(string detail, string? field = null) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    /// <summary>The HTTP answer to a use case's failure.</summary>
    public static IResult Of(Failure failure) => failure switch
    {
        Failure.Invalid invalid => Invalid(new Dictionary<string, string[]>(invalid.Errors)),
        Failure.NotFound notFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: notFound.Message),
        Failure.Forbidden forbidden => Forbidden(forbidden.Message),
        Failure.Conflict { HeldBy: { } holder } conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict.Message,
            extensions: new Dictionary<string, object?>
            {
                ["owner"] = new { type = holder.Type, person_id = holder.PersonId, name = holder.Name },
                ["lease_expires_at"] = holder.Until,
            }),
        Failure.Conflict conflict => Conflict(conflict.Message, conflict.Field),
        Failure.CannotBeDone cannot => Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot be done", detail: cannot.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "A failure without an HTTP answer."),
    };

    /// <summary>The use case's result as <paramref name="success"/> words it, or its failure as a problem.</summary>
    public static IResult Of<T>(Outcome<T> outcome, Func<T, IResult> success) where T : notnull =>
        outcome.Succeeded ? success(outcome.Value) : Of(outcome.Failure);

    /// <summary>200 with the result, or the failure as a problem.</summary>
    public static IResult Of<T>(Outcome<T> outcome) where T : notnull => Of(outcome, value => Results.Ok(value));

    /// <summary>The rule for the name people give a key, token or client: required, at most 100 characters.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "The name is required."
        : name.Trim().Length > 100 ? "The name is at most 100 characters."
        : null;

    /// <summary>Collects field errors in request order.</summary>
    public sealed class Errors
    {
        readonly Dictionary<string, string[]> _errors = new();

        public Errors Check(string field, string? problem)
        {
            if (problem is not null) _errors[field] = _errors.TryGetValue(field, out var known) ? [.. known, problem] : [problem];
            return this;
        }

        public bool Any => _errors.Count > 0;

        /// <summary>The messages by field, for answers that are not HTTP (MCP tool errors).</summary>
        public IReadOnlyDictionary<string, string[]> Fields => _errors;

        public IResult ToResult() => Invalid(_errors);

        public Failure.Invalid ToFailure() => new(new Dictionary<string, string[]>(_errors));
    }
}
