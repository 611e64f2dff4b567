using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace AwaitHuman.Core.Authentication;

public sealed record RequestPasswordReset(string? Email);

public sealed record ResetPassword(string? Email, string? Code, string? NewPassword);

/// <summary>A reset was asked for: the code is mailed if the address belongs to a verified account, which the answer does not tell.</summary>
public sealed record PasswordResetRequested(string Email);

/// <summary>The password was changed and the lockout ended.</summary>
public sealed record PasswordChanged(Guid PersonId);

public static class PasswordResetEndpoints
{
    [WolverinePost("/v1/account/password-reset", OperationId = "RequestPasswordReset")]
    [EnableRateLimiting(SignInEndpoints.RateLimitPolicy)]
    [Tags("Accounts")]
    [EndpointSummary("Mails a password reset code; answers the same whether or not the address is known")]
    public static async Task<IResult> Request(RequestPasswordReset request, UserManager<Person> people, IDocumentStore store, IAccountMailer mailer, CancellationToken ct) =>
        Problems.Of(await PasswordResetUseCases.RequestAsync(request, people, store, mailer, ct), _ => Results.Accepted());

    [WolverinePost("/v1/account/password-reset/confirm", OperationId = "ResetPassword")]
    [EnableRateLimiting(SignInEndpoints.RateLimitPolicy)]
    [Tags("Accounts")]
    [EndpointSummary("Sets a new password with the mailed code, and ends the lockout")]
    public static async Task<IResult> Confirm(
        ResetPassword request, UserManager<Person> people, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct) =>
        Problems.Of(await PasswordResetUseCases.ConfirmAsync(request, people, store, clock, context, ct), _ => Results.NoContent());
}

/// <summary>Resetting a forgotten password with a mailed code, for the API and the portal's account pages alike.</summary>
public static class PasswordResetUseCases
{
    public static async Task<Outcome<PasswordResetRequested>> RequestAsync(
        RequestPasswordReset request, UserManager<Person> people, IDocumentStore store, IAccountMailer mailer, CancellationToken ct)
    {
        var problem = PersonRules.EmailProblem(request.Email);
        if (problem is not null) return Failure.Invalid.Of("email", problem);

        var person = await people.FindByEmailAsync(request.Email!.Trim());
        if (person is { EmailConfirmed: true })
        {
            var code = PersonRules.EncodeCode(await people.GeneratePasswordResetTokenAsync(person));
            await using var session = store.LightweightSession();
            mailer.Send(session, new AccountMail(person.Email!, "Reset your AwaitHuman password",
                $"Someone asked to reset the password of {person.Email}. If it was you, use this code within a day:\n\n{code}\n\n" +
                "POST it to /v1/account/password-reset/confirm with your email and new_password. If it was not you, ignore this mail.",
                "reset_password", code));
            await session.SaveChangesAsync(ct);
        }
        return new PasswordResetRequested(request.Email!.Trim());
    }

    /// <param name="context">The request, whose source address the audit event records.</param>
    public static async Task<Outcome<PasswordChanged>> ConfirmAsync(
        ResetPassword request, UserManager<Person> people, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(request.Email))
            .Check("code", string.IsNullOrWhiteSpace(request.Code) ? "The code from the mail is required." : null);
        foreach (var problem in await PersonRules.PasswordProblemsAsync(people, request.NewPassword)) errors.Check("new_password", problem);
        if (errors.Any) return errors.ToFailure();

        var person = await people.FindByEmailAsync(request.Email!.Trim());
        var token = PersonRules.DecodeCode(request.Code);
        const string wrongCode = "The code is not valid for this address, or has expired.";
        if (person is null || token is null) return Failure.Invalid.Of("code", wrongCode);

        var reset = await people.ResetPasswordAsync(person, token, request.NewPassword!);
        if (!reset.Succeeded) return Failure.Invalid.Of("code", wrongCode);
        await people.SetLockoutEndDateAsync(person, null);
        await people.ResetAccessFailedCountAsync(person);
        var by = Actor.Person(person.Id, person.Email!, context);
        var now = clock.GetUtcNow();
        // A reset names no tenant: with several, none of them is told the address it came from.
        await MemberRegistry.RecordForPersonAsync(store, person.Id, null, by,
            (membership, seenBy) => new MemberPasswordReset(membership.Id, person.Id, person.Email!, seenBy, now), ct);
        return new PasswordChanged(person.Id);
    }
}
