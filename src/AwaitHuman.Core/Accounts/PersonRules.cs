using System.Net.Mail;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace AwaitHuman.Core.Accounts;

/// <summary>Checks and encodings shared by every flow that creates or changes a person.</summary>
public static class PersonRules
{
    public static string? EmailProblem(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return "The email address is required.";
        if (email.Length > 254) return "The email address is at most 254 characters.";
        return MailAddress.TryCreate(email.Trim(), out var parsed) && parsed.Address == email.Trim() && email.Contains('.', StringComparison.Ordinal)
            ? null : "This is not an email address.";
    }

    /// <summary>A person's display name is optional (their email stands in) and at most 100 characters.</summary>
    public static string? DisplayNameProblem(string? name) =>
        name is not null && name.Trim().Length > 100 ? "The name is at most 100 characters." : null;

    /// <summary>Identity's password rules, as one message per broken rule.</summary>
    public static async Task<string[]> PasswordProblemsAsync(UserManager<Person> people, string? password)
    {
        if (string.IsNullOrEmpty(password)) return ["The password is required."];
        var problems = new List<string>();
        foreach (var validator in people.PasswordValidators)
        {
            var result = await validator.ValidateAsync(people, new Person(), password);
            problems.AddRange(result.Errors.Select(error => error.Description));
        }
        return [.. problems];
    }

    /// <summary>Identity's tokens contain '+', '/' and '='; mails and JSON carry them base64url-encoded.</summary>
    public static string EncodeCode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    public static string? DecodeCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        try { return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }

    public static bool IsUniqueViolation(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        return false;
    }
}
