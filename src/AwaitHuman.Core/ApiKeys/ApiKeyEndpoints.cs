using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.ApiKeys;

public sealed record CreateApiKey(string? Name, string? Mode, string[]? Scopes);

/// <summary>The one time a key's secret is shown.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Mode, string Key, string Hint, string[] Scopes, DateTimeOffset CreatedAt);

public sealed record ApiKeySummary(Guid Id, string Name, string Mode, string Hint, string[] Scopes, Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public static class ApiKeyIssuer
{
    /// <summary>Starts the key's stream in <paramref name="session"/>'s tenant and returns the secret, to show once.</summary>
    public static CreatedApiKey Issue(IDocumentSession session, string name, string mode, string[] scopes, Actor by, DateTimeOffset now)
    {
        var prefix = mode == "test" ? ApiKey.TestPrefix : ApiKey.LivePrefix;
        var secret = Secrets.New(prefix);
        var id = Guid.CreateVersion7(now);
        var hint = Secrets.Hint(secret, prefix);
        session.Events.StartStream<ApiKey>(id, new ApiKeyCreated(id, name, mode, Secrets.Hash(secret), hint, scopes, by, now));
        return new CreatedApiKey(id, name, mode, secret, hint, scopes, now);
    }

    public static Problems.Errors Validate(CreateApiKey request) => new Problems.Errors()
        .Check("name", Problems.NameProblem(request.Name))
        .Check("mode", request.Mode is null or "live" or "test" ? null : "The mode is 'live' or 'test'.")
        .Check("scopes", request.Scopes is null || request.Scopes.Length == 0 ? "At least one scope is required."
            : request.Scopes.FirstOrDefault(scope => !Scopes.IsKnown(scope)) is { } unknown ? $"Unknown scope '{unknown}'. Known scopes: {string.Join(", ", Scopes.All)}."
            : null);
}

public static class ApiKeyEndpoints
{
    [WolverinePost("/v1/api-keys", OperationId = "CreateApiKey")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Creates an API key for an agent; the key is shown in this response only")]
    public static IResult Create(CreateApiKey request, IDocumentSession session, HttpContext context, TimeProvider clock)
    {
        var errors = ApiKeyIssuer.Validate(request);
        if (errors.Any) return errors.ToResult();

        var caller = Caller.Of(context);
        // A caller cannot mint a key more powerful than itself.
        var beyond = request.Scopes!.Where(scope => !caller.Has(scope)).ToArray();
        if (beyond.Length > 0) return Problems.Invalid("scopes", $"You cannot grant scopes you do not hold: {string.Join(", ", beyond)}.");

        var created = ApiKeyIssuer.Issue(session, request.Name!.Trim(), request.Mode ?? "live", request.Scopes!.Distinct().ToArray(), caller.AsActor(context), clock.GetUtcNow());
        return Results.Created($"/v1/api-keys/{created.Id}", created);
    }

    [WolverineGet("/v1/api-keys", OperationId = "ListApiKeys")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Lists the tenant's API keys, newest first, without their secrets")]
    [ProducesResponseType<ListPage<ApiKeySummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await List(session, ct), key => Paging.ByTime(key.CreatedAt, key.Id), page, descending: true));

    /// <summary>The tenant's API keys, newest first, without their secrets.</summary>
    public static async Task<ApiKeySummary[]> List(IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderByDescending(key => key.CreatedAt).ToListAsync(ct);
        var ids = keys.Select(key => key.Id).ToArray();
        var uses = (await session.LoadManyAsync<CredentialUse>(ct, ids)).ToDictionary(use => use.Id, use => use.LastUsedAt);
        return keys.Select(key => Summary(key, uses.GetValueOrDefault(key.Id))).ToArray();
    }

    [WolverineGet("/v1/api-keys/{id}", OperationId = "GetApiKey")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Shows one API key, without its secret")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(id, ct);
        if (key is null) return Problems.NotFound("API key");
        var use = await session.LoadAsync<CredentialUse>(id, ct);
        return Results.Ok(Summary(key, use?.LastUsedAt));
    }

    [WolverineDelete("/v1/api-keys/{id}", OperationId = "RevokeApiKey")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Revokes an API key; it stops working at once, on every node")]
    public static async Task<IResult> Revoke(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(id, ct);
        if (key is null) return Problems.NotFound("API key");
        if (key.IsRevoked) return Results.NoContent();

        session.Events.Append(id, new ApiKeyRevoked(id, key.Name, Caller.Of(context).AsActor(context), clock.GetUtcNow()));
        return Results.NoContent();
    }

    static ApiKeySummary Summary(ApiKey key, DateTimeOffset? lastUsedAt) =>
        new(key.Id, key.Name, key.Mode, key.Hint, key.Scopes, key.CreatedBy, key.CreatedAt, lastUsedAt, key.RevokedAt);
}
