using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.OAuth;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Portal.Components.Pages.Account;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Server.Security;

/// <summary>
/// Which credential a request carries decides its handler; every handler ends in the same caller
/// claims (<see cref="CallerClaims"/>), and the tenant comes only from the credential.
/// </summary>
public static class Authentication
{
    const string CallerScheme = "Caller";

    public static WebApplicationBuilder AddAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CredentialUseRecorder>();
        builder.Services.AddSingleton<CredentialCache>();
        builder.Services.AddHostedService<CredentialChanges>();
        builder.Services.ConfigureMarten((services, marten) => marten.Listeners.Add(new CredentialChangeNotifier(services.GetRequiredService<CredentialCache>())));
        builder.Services.AddAuthentication(CallerScheme)
            .AddPolicyScheme(CallerScheme, "The request's credential", scheme => scheme.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenAuthenticationHandler>(PersonalAccessTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, OAuthTokenAuthenticationHandler>(OAuthTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null)
            .AddSingleSignOn(AccountPages.SignInPath);

        builder.Services.AddAuthentication().AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "awaithuman.session";
            cookie.Cookie.HttpOnly = true;
            // Strict keeps other sites from riding the session (CSRF) on the API.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = AccountPages.SignInPath;
        });

        builder.Services.AddAuthorization(options => options.AddAwaitHumanPolicies());
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "awaithuman.antiforgery");
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemDetailsAuthorizationResultHandler>();
        return builder;
    }

    static string SchemeFor(HttpContext context)
    {
        var bearer = CallerPrincipal.BearerToken(context.Request);
        return bearer switch
        {
            null => SessionAuthenticationHandler.SchemeName,
            _ when ApiKey.LooksLikeOne(bearer) => ApiKeyAuthenticationHandler.SchemeName,
            _ when bearer.StartsWith(PersonalAccessToken.Prefix, StringComparison.Ordinal) => PersonalAccessTokenAuthenticationHandler.SchemeName,
            _ => OAuthTokenAuthenticationHandler.SchemeName,
        };
    }

    /// <summary>
    /// What a refused caller lacks, by name: the scope (and, for a person, the least role that holds
    /// it) or the role, so a script's author or an admin knows what to grant.
    /// </summary>
    internal static string RefusalOf(AuthorizationFailure? failure, Caller? caller)
    {
        var requirements = failure?.FailedRequirements.ToArray() ?? [];
        var missingScopes = requirements.OfType<ClaimsAuthorizationRequirement>()
            .Where(requirement => requirement.ClaimType == CallerClaims.Scope)
            .SelectMany(requirement => requirement.AllowedValues ?? [])
            .ToArray();
        if (missingScopes.Length > 0)
        {
            var scopes = string.Join(", ", missingScopes);
            if (caller?.Role is not { } role) return $"This credential lacks the scope {scopes}.";
            var holders = missingScopes.Select(Roles.LowestHolding).OfType<string>().Distinct().ToArray();
            return holders.Length > 0
                ? $"Your role ({role}) lacks the scope {scopes}; the role {string.Join(", ", holders)} or above holds it."
                : $"Your role ({role}) lacks the scope {scopes}.";
        }
        if (requirements.OfType<MinimumRoleRequirement>().FirstOrDefault() is { } minimum)
            return caller?.Role is { } held
                ? $"This needs the role {minimum.Role} or above; yours is {held}."
                : $"This needs a person with the role {minimum.Role} or above; API keys and OAuth clients cannot do it.";
        return "This credential may not do this (a person with a higher role may).";
    }

    /// <summary>401 and 403 as problem details that say what was wrong with the credential or what it lacks.</summary>
    sealed class ProblemDetailsAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
    {
        readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            // A console page answers a browser: the sign-in page when nobody is signed in, and a page
            // saying "not allowed" (rendered by the console's router, with status 403) for the wrong role.
            if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                if (authorizeResult.Challenged)
                {
                    context.Response.Redirect($"{AccountPages.SignInPath}?returnUrl={Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString)}");
                    return;
                }
                if (authorizeResult.Forbidden)
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await next(context);
                    return;
                }
            }

            if (authorizeResult.Challenged)
            {
                // The authentication middleware keeps only successful results; asking again is free
                // (each handler authenticates once per request) and returns why the credential failed.
                var failure = (await context.AuthenticateAsync()).Failure?.Message;
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status401Unauthorized,
                        Title = "Unauthorized",
                        Detail = failure ?? "Send an API key, a personal access token or an OAuth access token as 'Authorization: Bearer ...'.",
                    },
                });
                return;
            }

            if (authorizeResult.Forbidden)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status403Forbidden,
                        Title = "Forbidden",
                        Detail = RefusalOf(authorizeResult.AuthorizationFailure, Caller.From(context.User)),
                    },
                });
                return;
            }

            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
