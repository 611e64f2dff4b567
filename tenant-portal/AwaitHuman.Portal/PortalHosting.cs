using AwaitHuman.Portal.Components;
using AwaitHuman.Portal.Components.Layout;
using AwaitHuman.Portal.Components.Pages.Account;
using AwaitHuman.Portal.Components.Pages.Console.Inbox;
using AwaitHuman.Portal.Components.Pages.Sandbox;
using AwaitHuman.Portal.Session;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AwaitHuman.Portal;

/// <summary>The operator console and tenant portal: Blazor with interactive server rendering, served by the one server host.</summary>
public static class PortalHosting
{
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        // A circuit lives for hours; the session behind it is checked again every minute, so signing out
        // elsewhere, a reset password or a removed membership ends the console too.
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddMudServices();
        services.AddScoped<ConsoleCaller>();
        services.AddSingleton<OpenConsoles>();
        services.AddScoped<ConsoleAvailability>();
        services.AddScoped<CircuitHandler>(provider => provider.GetRequiredService<ConsoleAvailability>());
        services.AddOptions<ConsoleAvailabilityOptions>().BindConfiguration("Console:Availability");
        services.ConfigureMarten(marten =>
        {
            marten.Schema.For<ReadMark>();
        });
        return services;
    }

    /// <summary>HTML 404 and 403 pages for browsers; goes before authentication so its refusals get them too.</summary>
    public static WebApplication UsePortalErrorPages(this WebApplication app) => app.UseBrowserErrorPages();

    /// <param name="staticAssetsManifest">The host's static web assets endpoints manifest: it lists Blazor's, MudBlazor's and the portal's files.</param>
    public static WebApplication MapPortal(this WebApplication app, string staticAssetsManifest)
    {
        app.UseAntiforgery();
        app.MapStaticAssets(staticAssetsManifest);
        app.MapAccountPages();
        app.MapSingleSignOnPages();
        app.MapSignupPages();
        app.MapInvitationPages();
        app.MapProfilePages();
        app.MapSandboxDevicePage();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
