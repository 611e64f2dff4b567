using System.Text.Encodings.Web;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Authentication;

/// <summary><c>Authorization: Bearer ahp_...</c>: a person acting in the token's tenant with their current role.</summary>
public sealed class PersonalAccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    CredentialCache credentials,
    CredentialUseRecorder uses,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = CallerPrincipal.BearerToken(Request);
        if (secret is null || !secret.StartsWith(PersonalAccessToken.Prefix, StringComparison.Ordinal)) return AuthenticateResult.NoResult();

        var hash = Secrets.Hash(secret);
        var token = await credentials.PersonalAccessTokenByHashAsync(store, hash, Context.RequestAborted);
        if (token is null) return AuthenticateResult.Fail("The personal access token is not valid.");
        if (!token.IsUsableAt(clock.GetUtcNow())) return AuthenticateResult.Fail("The personal access token has been revoked or has expired.");

        var result = await CallerPrincipal.ForPersonAsync(
            store, credentials, SchemeName, token.PersonId, token.TenantId, CredentialTypes.PersonalAccessToken, token.Id.ToString(), Context.RequestAborted);
        if (result.Succeeded) await uses.RecordAsync(token.TenantId, token.Id, Context.RequestAborted);
        return result;
    }
}
