using System.Collections.Concurrent;
using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AwaitHuman.Core.SingleSignOn;

/// <summary>
/// One OpenID Connect scheme for every tenant. Its options are the tenant's, picked per request from
/// the address (<see cref="SsoPaths"/>): <see cref="SsoRequests"/> loads the tenant's connection before
/// authentication runs, and <see cref="SsoOptionsMonitor"/> hands the handler that tenant's options.
/// docs/decisions.md says why this shape rather than a scheme per tenant.
/// </summary>
public static class SsoScheme
{
    public const string Name = "sso";

    /// <summary>Where the browser is sent after a refusal, with <c>?sso=</c> and a <see cref="SsoRefusals"/> code.</summary>
    public sealed class Pages
    {
        public string SignInPath { get; set; } = "/";
    }

    public static AuthenticationBuilder AddSingleSignOn(this AuthenticationBuilder authentication, string signInPath)
    {
        var services = authentication.Services;
        services.AddSingleton(new Pages { SignInPath = signInPath });
        services.AddSingleton<SsoSecrets>();
        services.AddSingleton<SsoOptionsCache>();
        services.AddScoped<SsoProvisioning>();
        services.AddScoped<SingleSignOnAdministration>();
        services.AddScoped<SsoOptionsMonitor>();
        services.AddHttpContextAccessor();
        return authentication.AddScheme<OpenIdConnectOptions, SsoHandler>(Name, "Single sign-on", null);
    }

    /// <summary>Loads the tenant's single sign-on for its addresses; goes before authentication.</summary>
    public static IApplicationBuilder UseSingleSignOn(this IApplicationBuilder app) => app.UseMiddleware<SsoRequests>();
}

/// <summary>The tenant and its single sign-on for a request under <see cref="SsoPaths.Prefix"/>.</summary>
public sealed record SsoRequest(Tenant Tenant, SsoConnection Connection, OpenIdConnectOptions Options);

/// <summary>Finds the tenant named in an SSO address and its connection, once per request, before the handler needs its options.</summary>
public sealed class SsoRequests(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IDocumentStore store, SsoOptionsCache options)
    {
        if (SsoPaths.SlugOf(context.Request.Path) is { } slug)
        {
            await using var query = store.QuerySession();
            if (await query.FindBySlugAcrossTenantsAsync(slug, context.RequestAborted) is { Status: TenantStatus.Active } tenant)
            {
                await using var tenantQuery = store.QuerySession(tenant.TenantId);
                if (await SingleSignOnUseCases.FindAsync(tenantQuery, context.RequestAborted) is { } connection)
                    context.Features.Set(new SsoRequest(tenant, connection, options.For(tenant, connection)));
            }
        }
        await next(context);
    }
}

/// <summary>The OpenID Connect handler, given the request's tenant's options instead of the scheme's one set.</summary>
public sealed class SsoHandler(SsoOptionsMonitor options, ILoggerFactory logger, System.Text.Encodings.Web.HtmlEncoder htmlEncoder, System.Text.Encodings.Web.UrlEncoder encoder)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    /// <summary>Outside a tenant's SSO addresses there is nothing to answer (no callback, no sign-out).</summary>
    public override Task<bool> HandleRequestAsync() =>
        Context.Features.Get<SsoRequest>() is null ? Task.FromResult(false) : base.HandleRequestAsync();
}

/// <summary>Per request: the options of the tenant <see cref="SsoRequests"/> found, or options that match no address at all.</summary>
public sealed class SsoOptionsMonitor(IHttpContextAccessor http, SsoOptionsCache cache) : IOptionsMonitor<OpenIdConnectOptions>
{
    public OpenIdConnectOptions CurrentValue => Get(SsoScheme.Name);

    public OpenIdConnectOptions Get(string? name) => http.HttpContext?.Features.Get<SsoRequest>()?.Options ?? cache.Inert;

    public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;
}

/// <summary>
/// Each tenant's options, built once per version of its connection: they hold the provider's metadata
/// and signing keys (refreshed by their configuration manager), so they live as long as the connection is unchanged.
/// </summary>
public sealed class SsoOptionsCache(IDataProtectionProvider dataProtection, SsoSecrets secrets, TimeProvider clock, ILoggerFactory logs)
{
    readonly ConcurrentDictionary<string, OpenIdConnectOptions> _options = new();

    /// <summary>For every request outside the SSO addresses: the handler is asked on each one whether the address is its callback.</summary>
    public OpenIdConnectOptions Inert { get; } = Build(options =>
    {
        options.Authority = "https://sso.invalid/";
        options.ClientId = "none";
        options.CallbackPath = SsoPaths.Prefix + "/-/none";
    }, dataProtection, clock);

    public OpenIdConnectOptions For(Tenant tenant, SsoConnection connection)
    {
        var key = $"{tenant.TenantId}/{tenant.Slug}/{connection.Id}/{connection.UpdatedAt.UtcTicks}";
        if (_options.TryGetValue(key, out var built)) return built;
        // An older version of this tenant's options is never asked for again.
        foreach (var stale in _options.Keys.Where(existing => existing.StartsWith(tenant.TenantId + "/", StringComparison.Ordinal) && existing != key))
            _options.TryRemove(stale, out _);
        return _options.GetOrAdd(key, _ => Build(options => Configure(options, tenant, connection), dataProtection, clock));
    }

    void Configure(OpenIdConnectOptions options, Tenant tenant, SsoConnection connection)
    {
        var issuer = new Uri(connection.Issuer);
        options.Authority = connection.Issuer;
        options.RequireHttpsMetadata = issuer.Scheme == Uri.UriSchemeHttps;
        options.ClientId = connection.ClientId;
        options.ClientSecret = secrets.Unprotect(tenant.TenantId, connection.ProtectedClientSecret);
        options.CallbackPath = SsoPaths.Callback(tenant.Slug);
        // Another tenant's state does not decrypt here, so a sign-in started for one tenant cannot finish in another.
        options.StateDataFormat = new PropertiesDataFormat(dataProtection.CreateProtector(typeof(OpenIdConnectHandler).FullName!, SsoScheme.Name, "tenant", tenant.TenantId));
        // The provider's tokens must name exactly the issuer the owner entered, whatever its metadata says.
        options.TokenValidationParameters.IssuerValidator = (tokenIssuer, _, _) => tokenIssuer == connection.Issuer
            ? tokenIssuer
            : throw new SecurityTokenInvalidIssuerException($"The token's issuer '{tokenIssuer}' is not the configured '{connection.Issuer}'.") { InvalidIssuer = tokenIssuer };
        options.Events = new SsoEvents(tenant, connection, logs.CreateLogger<SsoEvents>());
    }

    static OpenIdConnectOptions Build(Action<OpenIdConnectOptions> configure, IDataProtectionProvider dataProtection, TimeProvider clock)
    {
        var options = new OpenIdConnectOptions
        {
            ResponseType = OpenIdConnectResponseType.Code,
            // The answer comes back as a top-level GET, so the SameSite=Lax correlation and nonce cookies travel with it.
            ResponseMode = OpenIdConnectResponseMode.Query,
            UsePkce = true,
            MapInboundClaims = false,
            SaveTokens = false,
            GetClaimsFromUserInfoEndpoint = false,
            SignInScheme = IdentityConstants.ExternalScheme,
            TimeProvider = clock,
            SignedOutCallbackPath = SsoPaths.Prefix + "/-/signed-out",
            RemoteSignOutPath = SsoPaths.Prefix + "/-/sign-out",
        };
        // openid and profile are the handler's defaults.
        options.Scope.Add("email");
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        configure(options);
        new OpenIdConnectPostConfigureOptions(dataProtection).PostConfigure(SsoScheme.Name, options);
        options.Validate(SsoScheme.Name);
        return options;
    }
}

/// <summary>What happens around the provider's answer: a login hint out, and on the way back the checks, the person and the session.</summary>
public sealed class SsoEvents(Tenant tenant, SsoConnection connection, ILogger<SsoEvents> log) : OpenIdConnectEvents
{
    const string LoginHintItem = "login_hint";
    const string TenantItem = "tenant";

    /// <summary>Where a challenge carries what it needs: the address typed on the sign-in page and the tenant.</summary>
    public static AuthenticationProperties Challenge(string tenantId, string? loginHint, string returnUrl)
    {
        var properties = new AuthenticationProperties { RedirectUri = returnUrl };
        properties.Items[TenantItem] = tenantId;
        if (!string.IsNullOrWhiteSpace(loginHint)) properties.Items[LoginHintItem] = loginHint.Trim();
        return properties;
    }

    public override Task RedirectToIdentityProvider(RedirectContext context)
    {
        if (context.Properties.Items.TryGetValue(LoginHintItem, out var hint) && hint is { Length: > 0 }) context.ProtocolMessage.LoginHint = hint;
        return Task.CompletedTask;
    }

    public override Task MessageReceived(MessageReceivedContext context)
    {
        // The state decrypts only with the options of the tenant that started the sign-in.
        if (context.Properties is null || !context.Properties.Items.TryGetValue(TenantItem, out var startedFor) || startedFor != tenant.TenantId)
            return RefuseAsync(context, SsoRefusals.OtherTenant, "a state that was not issued for this tenant");
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var email = principal.FindFirstValue("email")?.Trim();
        if (string.IsNullOrEmpty(email)) { await RefuseAsync(context, SsoRefusals.NoEmail, "no email claim"); return; }
        if (principal.FindFirstValue("email_verified") is "false" or "False") { await RefuseAsync(context, SsoRefusals.UnverifiedEmail, $"{email} not verified"); return; }
        if (!connection.Covers(email)) { await RefuseAsync(context, SsoRefusals.OutsideDomains, $"{email} outside {string.Join(", ", connection.Domains)}"); return; }

        var services = context.HttpContext.RequestServices;
        var by = new Actor("sso", principal.FindFirstValue("sub"), email, Actor.SourceIpOf(context.HttpContext));
        var found = await services.GetRequiredService<SsoProvisioning>().PersonForAsync(
            tenant, connection, email, principal.FindFirstValue("name"), by, context.HttpContext.RequestAborted);
        if (!found.Succeeded)
        {
            var refusal = found.Failure switch
            {
                { Message: SsoRefusals.ExistingAccount } => SsoRefusals.ExistingAccount,
                Failure.Conflict => SsoRefusals.NoSeat,
                _ => SsoRefusals.Failed,
            };
            await RefuseAsync(context, refusal, found.Failure.Message);
            return;
        }

        await services.GetRequiredService<SignInManager<Person>>().SignInWithClaimsAsync(
            found.Value, isPersistent: false, [new Claim(CallerClaims.TenantId, tenant.TenantId)]);
        context.HandleResponse();
        await ContinueAsync(context.HttpContext, IsLocal(context.Properties?.RedirectUri) ? context.Properties!.RedirectUri! : "/");
    }

    /// <summary>
    /// A page of ours that moves on, not a redirect: the session cookie is SameSite=Strict, and a redirect
    /// chain begun at the provider's site is cross-site, so the browser would leave the cookie off the next
    /// request. A navigation this page starts is same-site.
    /// </summary>
    static async Task ContinueAsync(HttpContext http, string url)
    {
        var encoded = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(url);
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(
            $"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={encoded}"><title>Signed in · AwaitHuman</title></head><body><p><a href="{encoded}">Continue to AwaitHuman</a></p></body></html>""",
            http.RequestAborted);
    }

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        var code = CodeFor(context.Failure);
        log.LogWarning(context.Failure, "Single sign-on for tenant {Tenant} refused: {Code}", tenant.Slug, code);
        return RefuseAsync(context, code, null);
    }

    static string CodeFor(Exception? failure)
    {
        for (var cause = failure; cause is not null; cause = cause.InnerException)
            switch (cause)
            {
                case SecurityTokenInvalidIssuerException: return SsoRefusals.WrongIssuer;
                case SecurityTokenInvalidAudienceException: return SsoRefusals.WrongAudience;
                case SecurityTokenExpiredException or SecurityTokenNotYetValidException: return SsoRefusals.Expired;
                case OpenIdConnectProtocolException when cause.Message.Contains("access_denied", StringComparison.Ordinal): return SsoRefusals.ProviderRefused;
                case AuthenticationFailureException when cause.Message.Contains("Correlation failed", StringComparison.Ordinal): return SsoRefusals.Stale;
            }
        return SsoRefusals.Failed;
    }

    Task RefuseAsync<TOptions>(HandleRequestContext<TOptions> context, string code, string? why) where TOptions : AuthenticationSchemeOptions
    {
        if (why is not null) log.LogWarning("Single sign-on for tenant {Tenant} refused ({Code}): {Why}", tenant.Slug, code, why);
        context.HandleResponse();
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SsoScheme.Pages>().SignInPath;
        context.Response.Redirect($"{signIn}?sso={code}");
        return Task.CompletedTask;
    }

    static bool IsLocal(string? url) => url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
