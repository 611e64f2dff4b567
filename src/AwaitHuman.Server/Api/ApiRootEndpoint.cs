using System.Reflection;
using Wolverine.Http;

namespace AwaitHuman.Server.Api;

public sealed record ApiRoot(string Name, string Version, string DocsUrl, string OpenApiUrl);

/// <summary>The root of the public API: lets an SDK or a person check they reached AwaitHuman and which build.</summary>
public static class ApiRootEndpoint
{
    static readonly string Version = typeof(ApiRootEndpoint).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [WolverineGet("/v1", OperationId = "GetApiRoot")]
    [Tags("API")]
    [EndpointSummary("Names the service, its build and where its documentation is")]
    public static ApiRoot Get() => new("AwaitHuman", Version, "/docs", "/openapi/v1.json");
}
