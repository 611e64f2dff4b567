using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.PersonalAccessTokens;

public sealed record CreatePersonalAccessToken(string? Name, int? ExpiresInDays);

/// <summary>The one time the token is shown.</summary>
public sealed record CreatedPersonalAccessToken(Guid Id, string Name, string Token, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record PersonalAccessTokenSummary(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

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

/// <summary>A person's own tokens in the current tenant, over <see cref="PersonalAccessTokenUseCases"/> (the profile page's too).</summary>
public static class PersonalAccessTokenEndpoints
{
    [WolverinePost("/v1/personal-access-tokens", OperationId = "CreatePersonalAccessToken")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Personal access tokens")]
    [EndpointSummary("Creates a token that acts as you, with your role in this tenant; shown in this response only")]
    public static async Task<IResult> Create(CreatePersonalAccessToken request, IDocumentStore store, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await PersonalAccessTokenUseCases.CreateAsync(store, caller, request, caller.AsActor(context), clock.GetUtcNow(), ct),
            created => Results.Created($"/v1/personal-access-tokens/{created.Id}", created));
    }

    [WolverineGet("/v1/personal-access-tokens", OperationId = "ListPersonalAccessTokens")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Personal access tokens")]
    [EndpointSummary("Your tokens in this tenant, newest first, without their secrets, with when each was last used")]
    [ProducesResponseType<ListPage<PersonalAccessTokenSummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, HttpContext context, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await PersonalAccessTokenUseCases.ListAsync(session, Caller.Of(context).PersonId!.Value, ct),
                token => Paging.ByTime(token.CreatedAt, token.Id), page, descending: true));

    [WolverineDelete("/v1/personal-access-tokens/{id}", OperationId = "RevokePersonalAccessToken")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Personal access tokens")]
    [EndpointSummary("Revokes one of your tokens (admins may revoke anyone's in this tenant)")]
    public static async Task<IResult> Revoke(Guid id, IDocumentStore store, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await PersonalAccessTokenUseCases.RevokeAsync(store, caller, id, caller.AsActor(context), clock.GetUtcNow(), ct), _ => Results.NoContent());
    }
}

/// <summary>Creating, listing and revoking personal access tokens, for the API and the profile page alike.</summary>
public static class PersonalAccessTokenUseCases
{
    public static async Task<Outcome<CreatedPersonalAccessToken>> CreateAsync(
        IDocumentStore store, Caller caller, CreatePersonalAccessToken request, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("name", Problems.NameProblem(request.Name))
            .Check("expires_in_days", request.ExpiresInDays is null or (>= 1 and <= 366) ? null : "A token lives 1 to 366 days, or leave it out for no expiry.");
        if (errors.Any) return errors.ToFailure();
        if (caller.PersonId is not { } personId) return new Failure.Forbidden("Personal access tokens belong to people.");

        await using var session = store.LightweightSession(caller.TenantId);
        var created = PersonalAccessTokenIssuer.Issue(session, personId, request.Name!.Trim(),
            request.ExpiresInDays is { } days ? now.AddDays(days) : null, by, now);
        await session.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>The person's tokens in the session's tenant, newest first, with when each was last used.</summary>
    public static async Task<PersonalAccessTokenSummary[]> ListAsync(IQuerySession session, Guid personId, CancellationToken ct)
    {
        var tokens = await session.Query<PersonalAccessToken>().Where(t => t.PersonId == personId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        var uses = tokens.Count == 0 ? [] : (await session.LoadManyAsync<CredentialUse>(ct, tokens.Select(t => t.Id))).ToDictionary(use => use.Id, use => use.LastUsedAt);
        return [.. tokens.Select(t => new PersonalAccessTokenSummary(t.Id, t.Name, t.Hint, t.CreatedAt, t.ExpiresAt, t.RevokedAt, uses.TryGetValue(t.Id, out var used) ? used : null))];
    }

    /// <summary>Revokes one of the caller's tokens (an admin may revoke anyone's but an owner's); revoking twice is no error.</summary>
    public static async Task<Outcome<PersonalAccessTokenSummary>> RevokeAsync(IDocumentStore store, Caller caller, Guid id, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var token = await session.LoadAsync<PersonalAccessToken>(id, ct);
        if (token is null || (token.PersonId != caller.PersonId && !caller.Has(Scopes.MembersManage))) return Failure.NotFound.Of("personal access token");
        if (token.RevokedAt is null)
        {
            if (token.PersonId != caller.PersonId && caller.Role != Roles.Owner
                && await session.Query<Membership>().AnyAsync(m => m.PersonId == token.PersonId && m.Role == Roles.Owner, ct))
                return new Failure.Forbidden("Only an owner can revoke an owner's token.");
            session.Events.Append(id, new PersonalAccessTokenRevoked(id, token.PersonId, token.Name, by, now));
            await session.SaveChangesAsync(ct);
        }
        return new PersonalAccessTokenSummary(token.Id, token.Name, token.Hint, token.CreatedAt, token.ExpiresAt, token.RevokedAt ?? now, null);
    }
}
