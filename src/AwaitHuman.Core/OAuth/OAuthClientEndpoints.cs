using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using Wolverine.Http;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = AwaitHuman.Core.Security.Scopes;

namespace AwaitHuman.Core.OAuth;

/// <param name="Type"><c>confidential</c> (an agent: client credentials) or <c>public</c> (an app: authorization code with PKCE).</param>
public sealed record RegisterOAuthClient(string? Name, string? Type, string[]? Scopes, string[]? RedirectUris);

/// <summary>The one time a confidential client's secret is shown.</summary>
public sealed record RegisteredOAuthClient(Guid Id, string ClientId, string? ClientSecret, string Name, string Type, string[] Scopes, string[] RedirectUris);

public sealed record OAuthClientSummary(Guid Id, string ClientId, string Name, string Type, string[] Scopes, string[] RedirectUris, DateTimeOffset CreatedAt);

public static class OAuthClientEndpoints
{
    [WolverinePost("/v1/oauth-clients", OperationId = "RegisterOAuthClient")]
    [Authorize(Policy = Policies.OAuthClientsManage)]
    [Tags("OAuth clients")]
    [EndpointSummary("Registers an OAuth client of this tenant; a confidential client's secret is shown in this response only")]
    public static async Task<IResult> Register(
        RegisterOAuthClient request, IOpenIddictApplicationManager applications, AccountsDbContext db, IDocumentStore store,
        HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await OAuthClientUseCases.RegisterAsync(request, caller, caller.AsActor(context), applications, db, store, clock.GetUtcNow(), ct),
            registered => Results.Created($"/v1/oauth-clients/{registered.Id}", registered));
    }

    [WolverineGet("/v1/oauth-clients", OperationId = "ListOAuthClients")]
    [Authorize(Policy = Policies.OAuthClientsManage)]
    [Tags("OAuth clients")]
    [EndpointSummary("The tenant's OAuth clients, newest first, without secrets")]
    [ProducesResponseType<ListPage<OAuthClientSummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await OAuthClientUseCases.ListAsync(session, ct), client => Paging.ByTime(client.CreatedAt, client.Id), page, descending: true));

    [WolverineGet("/v1/oauth-clients/{id}", OperationId = "GetOAuthClient")]
    [Authorize(Policy = Policies.OAuthClientsManage)]
    [Tags("OAuth clients")]
    [EndpointSummary("One OAuth client, without its secret")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<OAuthClient>(id, ct) is { } client ? Results.Ok(OAuthClientUseCases.Summary(client)) : Problems.NotFound("OAuth client");

    [WolverineDelete("/v1/oauth-clients/{id}", OperationId = "RemoveOAuthClient")]
    [Authorize(Policy = Policies.OAuthClientsManage)]
    [Tags("OAuth clients")]
    [EndpointSummary("Removes an OAuth client; its tokens stop working at once")]
    public static async Task<IResult> Remove(
        Guid id, IOpenIddictApplicationManager applications, AccountsDbContext db, IDocumentStore store, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await OAuthClientUseCases.RemoveAsync(id, caller, caller.AsActor(context), applications, db, store, clock.GetUtcNow(), ct), _ => Results.NoContent());
    }
}

/// <summary>
/// Registering, listing and removing OAuth clients, for the API and the developers page. Registering and
/// removing commit themselves: OpenIddict's application row and the client's stream change in one
/// transaction (<see cref="AccountsTransaction"/>).
/// </summary>
public static class OAuthClientUseCases
{
    public static async Task<Outcome<RegisteredOAuthClient>> RegisterAsync(
        RegisterOAuthClient request, Caller caller, Actor by, IOpenIddictApplicationManager applications, AccountsDbContext db, IDocumentStore store,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!caller.Has(Scopes.OAuthClientsManage)) return new Failure.Forbidden($"Registering OAuth clients needs the scope {Scopes.OAuthClientsManage}.");
        var type = request.Type ?? OAuthClient.ConfidentialType;
        var redirects = request.RedirectUris ?? [];
        var errors = new Problems.Errors()
            .Check("name", Problems.NameProblem(request.Name))
            .Check("type", type is OAuthClient.ConfidentialType or OAuthClient.PublicType ? null : "The type is 'confidential' (client credentials) or 'public' (authorization code with PKCE).")
            .Check("scopes", request.Scopes is null || request.Scopes.Length == 0 ? "At least one scope is required."
                : request.Scopes.FirstOrDefault(scope => !Scopes.IsKnown(scope)) is { } unknown ? $"Unknown scope '{unknown}'."
                : request.Scopes.FirstOrDefault(scope => !caller.Has(scope)) is { } beyond ? $"You cannot grant the scope '{beyond}', which you do not hold."
                : null)
            .Check("redirect_uris", type != OAuthClient.PublicType ? (redirects.Length == 0 ? null : "Only public clients (authorization code) use redirect URIs.")
                : redirects.Length == 0 ? "A public client needs at least one redirect URI."
                // On Unix a path such as "/callback" parses as an absolute file URI, which OpenIddict refuses.
                : redirects.FirstOrDefault(uri => !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.Fragment.Length > 0) is { } bad ? $"'{bad}' is not an absolute URI without a fragment."
                : null);
        if (errors.Any) return errors.ToFailure();

        var clientId = "ahc_" + Secrets.New("")[..22];
        var secret = type == OAuthClient.ConfidentialType ? Secrets.New("ahcs_") : null;
        var scopes = request.Scopes!.Distinct().ToArray();

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ApplicationType = ApplicationTypes.Web,
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = type == OAuthClient.ConfidentialType ? ClientTypes.Confidential : ClientTypes.Public,
            DisplayName = request.Name!.Trim(),
            Properties = { [OAuthConfiguration.TenantProperty] = System.Text.Json.JsonSerializer.SerializeToElement(caller.TenantId) },
        };
        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        if (type == OAuthClient.ConfidentialType)
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        else
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + OpenIddictConstants.Scopes.OfflineAccess]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var uri in redirects) descriptor.RedirectUris.Add(new Uri(uri));
        }
        foreach (var scope in scopes) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);

        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var application = await applications.CreateAsync(descriptor, ct);
        var applicationId = Guid.Parse((await applications.GetIdAsync(application, ct))!);
        var session = transaction.SessionFor(store, caller.TenantId);
        session.Events.StartStream<OAuthClient>(applicationId, new OAuthClientRegistered(applicationId, clientId, descriptor.DisplayName, type, scopes, redirects, by, now));
        await transaction.CommitAsync(ct);

        return new RegisteredOAuthClient(applicationId, clientId, secret, descriptor.DisplayName, type, scopes, redirects);
    }

    public static async Task<OAuthClientSummary[]> ListAsync(IQuerySession session, CancellationToken ct) =>
        (await session.Query<OAuthClient>().OrderByDescending(c => c.CreatedAt).ToListAsync(ct)).Select(Summary).ToArray();

    public static async Task<Outcome<OAuthClientSummary>> RemoveAsync(
        Guid id, Caller caller, Actor by, IOpenIddictApplicationManager applications, AccountsDbContext db, IDocumentStore store, DateTimeOffset now, CancellationToken ct)
    {
        if (!caller.Has(Scopes.OAuthClientsManage)) return new Failure.Forbidden($"Removing OAuth clients needs the scope {Scopes.OAuthClientsManage}.");
        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var session = transaction.SessionFor(store, caller.TenantId);
        var client = await session.LoadAsync<OAuthClient>(id, ct);
        if (client is null) return Failure.NotFound.Of("OAuth client");

        // Deleting the application deletes its tokens too, and validation checks each token's row.
        if (await applications.FindByIdAsync(id.ToString(), ct) is { } application) await applications.DeleteAsync(application, ct);
        session.Events.Append(id, new OAuthClientRemoved(id, client.ClientId, client.Name, by, now));
        await transaction.CommitAsync(ct);
        return Summary(client);
    }

    public static OAuthClientSummary Summary(OAuthClient c) => new(c.Id, c.ClientId, c.Name, c.Type, c.Scopes, c.RedirectUris, c.CreatedAt);
}

/// <summary>
/// The developers page's OAuth clients: the same use cases as /v1/oauth-clients, each in a service
/// scope of its own (a Blazor circuit lives long; OpenIddict's managers and the accounts database
/// context are meant for one unit of work).
/// </summary>
public sealed class OAuthClientAdministration(IServiceScopeFactory scopes, IDocumentStore store, TimeProvider clock)
{
    public async Task<OAuthClientSummary[]> ListAsync(Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        return await OAuthClientUseCases.ListAsync(session, ct);
    }

    public async Task<Outcome<RegisteredOAuthClient>> RegisterAsync(Caller caller, Actor by, RegisterOAuthClient request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await OAuthClientUseCases.RegisterAsync(request, caller, by, scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(),
            scope.ServiceProvider.GetRequiredService<AccountsDbContext>(), store, clock.GetUtcNow(), ct);
    }

    public async Task<Outcome<OAuthClientSummary>> RemoveAsync(Caller caller, Actor by, Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await OAuthClientUseCases.RemoveAsync(id, caller, by, scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(),
            scope.ServiceProvider.GetRequiredService<AccountsDbContext>(), store, clock.GetUtcNow(), ct);
    }
}
