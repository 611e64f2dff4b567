using AwaitHuman.Core.Channels.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AwaitHuman.Portal.Components.Pages.Sandbox;

/// <summary>
/// Serves the simulated customer device page at the address its links carry. An endpoint rather than
/// a routed page, so a link that is not valid answers 404 with a problem document like the device's API.
/// </summary>
public static class SandboxDevicePages
{
    public const string Path = "/sandbox/device";

    public static IEndpointRouteBuilder MapSandboxDevicePage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Show)
            .WithName("SandboxDevicePage")
            .WithTags("Sandbox")
            .WithSummary("The simulated customer device page");
        return app;
    }

    static IResult Show(string? token, SandboxDevice device) =>
        device.Read(token) is { } address
            ? new RazorComponentResult<SandboxDevicePage>(new { Address = address, Token = token! })
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This device link is not valid (or is older than 30 days).");
}
