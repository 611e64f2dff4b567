using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
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

/// <summary>
/// Creating, listing and revoking API keys, for the API and the developers page. Nothing is committed
/// here: the caller saves the session when the outcome succeeded.
/// </summary>
public static class ApiKeyUseCases
{
    public static async Task<ApiKeySummary[]> ListAsync(IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderByDescending(key => key.CreatedAt).ToListAsync(ct);
        var ids = keys.Select(key => key.Id).ToArray();
        // Nullable values: a key never used has no entry, and must read as never used rather than as year 1.
        var uses = (await session.LoadManyAsync<CredentialUse>(ct, ids)).ToDictionary(use => use.Id, use => (DateTimeOffset?)use.LastUsedAt);
        return keys.Select(key => Summary(key, uses.GetValueOrDefault(key.Id))).ToArray();
    }

    public static async Task<Outcome<ApiKeySummary>> GetAsync(Guid id, IQuerySession session, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(id, ct);
        if (key is null) return Failure.NotFound.Of("API key");
        var use = await session.LoadAsync<CredentialUse>(id, ct);
        return Summary(key, use?.LastUsedAt);
    }

    public static Outcome<CreatedApiKey> Create(CreateApiKey request, Caller caller, Actor by, IDocumentSession session, DateTimeOffset now)
    {
        if (!caller.Has(Scopes.ApiKeysManage)) return new Failure.Forbidden($"Creating API keys needs the scope {Scopes.ApiKeysManage}.");
        var errors = ApiKeyIssuer.Validate(request);
        if (errors.Any) return errors.ToFailure();

        // A caller cannot mint a key more powerful than itself.
        var beyond = request.Scopes!.Where(scope => !caller.Has(scope)).ToArray();
        if (beyond.Length > 0) return Failure.Invalid.Of("scopes", $"You cannot grant scopes you do not hold: {string.Join(", ", beyond)}.");

        return ApiKeyIssuer.Issue(session, request.Name!.Trim(), request.Mode ?? "live", request.Scopes!.Distinct().ToArray(), by, now);
    }

    /// <summary>Revoking a revoked key again changes nothing and succeeds.</summary>
    public static async Task<Outcome<ApiKeySummary>> RevokeAsync(Guid id, Actor by, IDocumentSession session, DateTimeOffset now, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(id, ct);
        if (key is null) return Failure.NotFound.Of("API key");
        if (!key.IsRevoked) session.Events.Append(id, new ApiKeyRevoked(id, key.Name, by, now));
        var use = await session.LoadAsync<CredentialUse>(id, ct);
        return Summary(key, use?.LastUsedAt) with { RevokedAt = key.RevokedAt ?? now };
    }

    static ApiKeySummary Summary(ApiKey key, DateTimeOffset? lastUsedAt) =>
        new(key.Id, key.Name, key.Mode, key.Hint, key.Scopes, key.CreatedBy, key.CreatedAt, lastUsedAt, key.RevokedAt);
}

public static class ApiKeyEndpoints
{
    [WolverinePost("/v1/api-keys", OperationId = "CreateApiKey")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Creates an API key for an agent; the key is shown in this response only")]
    public static IResult Create(CreateApiKey request, IDocumentSession session, HttpContext context, TimeProvider clock)
    {
        var caller = Caller.Of(context);
        return Problems.Of(ApiKeyUseCases.Create(request, caller, caller.AsActor(context), session, clock.GetUtcNow()),
            created => Results.Created($"/v1/api-keys/{created.Id}", created));
    }

    [WolverineGet("/v1/api-keys", OperationId = "ListApiKeys")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Lists the tenant's API keys, newest first, without their secrets")]
    [ProducesResponseType<ListPage<ApiKeySummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await ApiKeyUseCases.ListAsync(session, ct), key => Paging.ByTime(key.CreatedAt, key.Id), page, descending: true));

    [WolverineGet("/v1/api-keys/{id}", OperationId = "GetApiKey")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Shows one API key, without its secret")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        Problems.Of(await ApiKeyUseCases.GetAsync(id, session, ct));

    [WolverineDelete("/v1/api-keys/{id}", OperationId = "RevokeApiKey")]
    [Authorize(Policy = Policies.ApiKeysManage)]
    [Tags("API keys")]
    [EndpointSummary("Revokes an API key; it stops working at once, on every node")]
    public static async Task<IResult> Revoke(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await ApiKeyUseCases.RevokeAsync(id, Caller.Of(context).AsActor(context), session, clock.GetUtcNow(), ct), _ => Results.NoContent());
}
