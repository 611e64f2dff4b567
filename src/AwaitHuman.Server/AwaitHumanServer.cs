using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Billing;
using AwaitHuman.Core.CannedReplies;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.DataRights;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Mcp;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.OAuth;
using AwaitHuman.Core.Onboarding;
using AwaitHuman.Core.Onboarding.GettingStarted;
using AwaitHuman.Core.Onboarding.Invitations;
using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.Profiles;
using AwaitHuman.Core.Routing;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.Webhooks;
using AwaitHuman.Portal;
using AwaitHuman.Server.Admin;
using AwaitHuman.Server.Hosting;
using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Server.Security;
using Wolverine.Http;

namespace AwaitHuman.Server;

/// <summary>
/// Everything the server is, in order. Program runs it; tests and benchmarks start the very same
/// application in-process on real Kestrel.
/// </summary>
public static class AwaitHumanServer
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Admin verbs print their result on standard output, so their logs go to standard error.
        if (IsAdminVerb(args))
            builder.Configuration.AddInMemoryCollection([new("Logging:Console:LogToStandardErrorThreshold", "Trace")]);
        configure?.Invoke(builder);
        UseServerStaticWebAssets(builder);
        var embedded = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Postgres"));

        var postgres = builder.AddPostgres();
        builder.AddAccounts(postgres);
        builder.AddServiceDefaults(postgres);
        builder.AddProxyHeaders();
        builder.AddCritterStack(postgres);
        builder.AddAuthentication();
        builder.AddRateLimits();
        builder.Services.AddOAuthServer(
            allowHttp: builder.Environment.IsDevelopment(),
            issuer: builder.Configuration["OAuth:Issuer"] is { Length: > 0 } issuer ? new Uri(issuer) : null);
        builder.Services.AddScoped<TenantOnboarding>();
        builder.Services.AddScoped<MemberOnboarding>();
        builder.Services.AddScoped<MemberInvitations>();
        builder.Services.AddScoped<GettingStarted>();
        builder.Services.AddScoped<MemberAdministration>();
        builder.Services.AddScoped<TeamAdministration>();
        builder.Services.AddScoped<CannedReplyAdministration>();
        builder.Services.AddScoped<ProfileUseCases>();
        builder.Services.AddEscalations();
        builder.Services.AddOperatorActions();
        builder.Services.AddEscalationRouting();
        builder.Services.AddAwaitHumanMcp();
        builder.Services.AddDataRights();
        builder.Services.AddExceptionHandler<ConflictExceptionHandler>();
        // Agents send transcripts, not files: a request body over 1 MB is refused with 413.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddAccountMail(builder.Configuration);
        builder.Services.AddWebhooks(builder.Configuration);
        builder.Services.AddChannels(builder.Configuration);
        builder.Services.AddBilling(builder.Configuration);
        var connectors = ConnectorPlugins.Discover(AppContext.BaseDirectory);
        builder.AddConnectorPlugins(connectors);
        builder.Services.AddPortal();
        builder.Services.AddHostedService<StartupBanner>();
        if (embedded && builder.Configuration.GetValue("Demo:Seed", true) && !IsAdminVerb(args))
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<DemoTenant>(
                services, Path.Combine(PostgresHosting.DataRoot(builder.Configuration[PostgresHosting.DataDirectorySetting]), "demo-credentials.json")));

        var app = builder.Build();

        // First, so everything after sees the public scheme, host and client address.
        app.UseForwardedHeaders();
        app.MapServiceDefaults();
        app.UsePortalErrorPages();
        // Before authentication: the single sign-on handler needs the tenant its address names.
        app.UseSingleSignOn();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.RefuseNullJsonBodies();
        // The tenant comes from the credential's claim only: never a header, query or body field.
        app.MapWolverineEndpoints(http =>
        {
            http.TenantId.IsClaimTypeNamed(CallerClaims.TenantId);
            // `?limit=abc` is a 400 naming the parameter, not a silent default.
            http.RejectUnparseableQueryValues = true;
        });
        app.MapAwaitHumanMcp();
        app.MapConnectorPlugins(connectors);
        app.MapPortal(Path.Combine(AppContext.BaseDirectory, StaticWebAssetsName + ".endpoints.json"));
        return app;
    }

    /// <summary>
    /// The console's scripts and styles (Blazor's, MudBlazor's, the portal's) as the server's build lists
    /// them. A published server serves them from its wwwroot; a build output (run, tests, benchmarks,
    /// whichever assembly hosts this app) from the places the development manifest names.
    /// </summary>
    static void UseServerStaticWebAssets(WebApplicationBuilder builder)
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, StaticWebAssetsName + ".runtime.json");
        if (!File.Exists(manifest)) return;
        builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, manifest);
        builder.WebHost.UseStaticWebAssets();
    }

    internal const string StaticWebAssetsName = "AwaitHuman.Server.staticwebassets";

    /// <summary>A JasperFx verb such as create-tenant or db-apply, rather than running the server.</summary>
    static bool IsAdminVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && args[0] != "run";
}
