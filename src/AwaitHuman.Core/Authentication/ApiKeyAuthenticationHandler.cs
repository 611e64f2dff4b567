using System.Text.Encodings.Web;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Authentication;

/// <summary>
/// <c>Authorization: Bearer ah_live_...</c>: finds the key by its hash across tenants, and the
/// tenant it belongs to becomes the caller's. Both come through <see cref="CredentialCache"/>, which
/// every node empties when a key or a tenant changes, so a revoked key stops working everywhere.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    CredentialCache credentials,
    CredentialUseRecorder uses)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = CallerPrincipal.BearerToken(Request);
        if (secret is null || !ApiKey.LooksLikeOne(secret)) return AuthenticateResult.NoResult();

        var hash = Secrets.Hash(secret);
        var key = await credentials.ApiKeyByHashAsync(store, hash, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("The API key is not valid.");
        if (key.IsRevoked) return AuthenticateResult.Fail("The API key has been revoked.");

        var (tenant, problem) = Guid.TryParse(key.TenantId, out var tenantId)
            ? CallerPrincipal.Active(await credentials.TenantAsync(store, tenantId, Context.RequestAborted))
            : (null, CallerPrincipal.NoTenant);
        if (tenant is null) return AuthenticateResult.Fail(problem!);

        await uses.RecordAsync(key.TenantId, key.Id, Context.RequestAborted);
        var principal = CallerPrincipal.Create(SchemeName, tenant, CredentialTypes.ApiKey, key.Id.ToString(), key.Scopes, role: null, personId: null, key.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
