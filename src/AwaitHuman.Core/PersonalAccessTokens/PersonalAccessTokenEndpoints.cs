using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.PersonalAccessTokens;

public sealed record CreatePersonalAccessToken(string? Name, int? ExpiresInDays);

/// <summary>The one time the token is shown.</summary>
public sealed record CreatedPersonalAccessToken(Guid Id, string Name, string Token, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record PersonalAccessTokenSummary(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

public static class PersonalAccessTokenIssuer
{
    public static CreatedPersonalAccessToken Issue(IDocumentSession session, Guid personId, string name, DateTimeOffset? expiresAt, Actor by, DateTimeOffset now)
    {
        var secret = Secrets.New(PersonalAccessToken.Prefix);
        var id = Guid.CreateVersion7(now);
        var hint = Secrets.Hint(secret, PersonalAccessToken.Prefix);
        session.Events.StartStream<PersonalAccessToken>(id, new PersonalAccessTokenIssued(id, personId, name, Secrets.Hash(secret), hint, expiresAt, by, now));
        return new CreatedPersonalAccessToken(id, name, secret, hint, now, expiresAt);
    }
}

/// <summary>A person's own tokens in the current tenant.</summary>
public static class PersonalAccessTokenEndpoints
{
    [WolverinePost("/v1/personal-access-tokens", OperationId = "CreatePersonalAccessToken")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Personal access tokens")]
    [EndpointSummary("Creates a token that acts as you, with your role in this tenant; shown in this response only")]
    public static IResult Create(CreatePersonalAccessToken request, IDocumentSession session, HttpContext context, TimeProvider clock)
    {
        var errors = new Problems.Errors()
            .Check("name", Problems.NameProblem(request.Name))
            .Check("expires_in_days", request.ExpiresInDays is null or (>= 1 and <= 366) ? null : "A token lives 1 to 366 days, or leave it out for no expiry.");
        if (errors.Any) return errors.ToResult();

        var caller = Caller.Of(context);
        var now = clock.GetUtcNow();
        var created = PersonalAccessTokenIssuer.Issue(session, caller.PersonId!.Value, request.Name!.Trim(),
            request.ExpiresInDays is { } days ? now.AddDays(days) : null, caller.AsActor(context), now);
        return Results.Created($"/v1/personal-access-tokens/{created.Id}", created);
    }

    [WolverineGet("/v1/personal-access-tokens", OperationId = "ListPersonalAccessTokens")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Personal access tokens")]
    [EndpointSummary("Your tokens in this tenant, without their secrets")]
    public static async Task<PersonalAccessTokenSummary[]> List(IQuerySession session, HttpContext context, CancellationToken ct)
    {
        var personId = Caller.Of(context).PersonId!.Value;
        return (await session.Query<PersonalAccessToken>().Where(t => t.PersonId == personId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct))
            .Select(t => new PersonalAccessTokenSummary(t.Id, t.Name, t.Hint, t.CreatedAt, t.ExpiresAt, t.RevokedAt)).ToArray();
    }

    [WolverineDelete("/v1/personal-access-tokens/{id}", OperationId = "RevokePersonalAccessToken")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Personal access tokens")]
    [EndpointSummary("Revokes one of your tokens (admins may revoke anyone's in this tenant)")]
    public static async Task<IResult> Revoke(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var token = await session.LoadAsync<PersonalAccessToken>(id, ct);
        if (token is null || (token.PersonId != caller.PersonId && !caller.Has(Scopes.MembersManage))) return Problems.NotFound("personal access token");
        if (token.RevokedAt is not null) return Results.NoContent();
        if (token.PersonId != caller.PersonId && caller.Role != Roles.Owner
            && await session.Query<Membership>().AnyAsync(m => m.PersonId == token.PersonId && m.Role == Roles.Owner, ct))
            return Problems.Forbidden("Only an owner can revoke an owner's token.");

        session.Events.Append(id, new PersonalAccessTokenRevoked(id, token.PersonId, token.Name, caller.AsActor(context), clock.GetUtcNow()));
        return Results.NoContent();
    }
}
