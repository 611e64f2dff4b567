using System.Reflection;
using System.Text.Json;
using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AwaitHuman.Core.Escalations.Mcp;

/// <summary>
/// The MCP endpoint: Streamable HTTP at <see cref="Path"/>, authenticated like the API (an API key
/// or OAuth token as <c>Authorization: Bearer</c>), so an MCP-speaking agent needs only the URL and
/// its key.
/// </summary>
public static class McpConfiguration
{
    public const string Path = "/mcp";

    const string Instructions = """
        AwaitHuman connects you to the human operators of your company. Use escalate_to_human to hand a customer
        conversation to a person, ask_human to ask a question while you keep the conversation, and request_approval
        before running an action that needs a human's consent. Each returns an id and a resume_token; wait_for_human
        returns the human's hand_back (outcome, resolution, decision) when it comes. A timeout is never an approval,
        and never tell the customer anything the hand_back lists in must_not_claim.
        """;

    public static IServiceCollection AddAwaitHumanMcp(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = "awaithuman",
                    Title = "AwaitHuman",
                    Version = typeof(McpConfiguration).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                };
                options.ServerInstructions = Instructions;
            })
            // No session state: every request stands alone, so any node behind a balancer can serve it.
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.Stateless)
            // Tools with [Authorize] (the read-only ones need escalations:read) are hidden from callers that lack it.
            .AddAuthorizationFilters()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ArgumentErrorsAsToolErrors))
            .WithStrictSchemaTools<EscalationTools>(ToolAnswers.Json);
        return services;
    }

    /// <summary>
    /// The tools as <c>WithTools&lt;T&gt;</c> makes them, but with <see cref="ToolSchemas.CreateOptions"/>:
    /// that overload takes no schema options, and its schemas hold boolean <c>true</c> for free-form JSON.
    /// </summary>
    static IMcpServerBuilder WithStrictSchemaTools<TTools>(this IMcpServerBuilder builder, JsonSerializerOptions json) where TTools : class
    {
        foreach (var method in typeof(TTools).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<McpServerToolAttribute>() is null) continue;
            builder.Services.AddSingleton(services => McpServerTool.Create(method,
                context => ActivatorUtilities.CreateInstance<TTools>(context.Services!),
                new McpServerToolCreateOptions { Services = services, SerializerOptions = json, SchemaCreateOptions = ToolSchemas.CreateOptions }));
        }

        return builder;
    }

    /// <summary>Maps the endpoint; it requires escalations:write, like opening one over HTTP.</summary>
    public static IEndpointConventionBuilder MapAwaitHumanMcp(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMcp(Path).RequireAuthorization(Policies.EscalationsWrite);

    /// <summary>
    /// Arguments are checked against the tool's input schema before the binder sees them: the binder
    /// stops at the first bad one and names .NET types, the check names every bad field as the other
    /// validation errors do. What still fails in the binder goes back as a tool error too, not as the
    /// SDK's bare "An error occurred".
    /// </summary>
    static McpRequestHandler<CallToolRequestParams, CallToolResult> ArgumentErrorsAsToolErrors(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            var tool = context.MatchedPrimitive as McpServerTool;
            if (tool is null && context.Params is { } call) context.Server.ServerOptions.ToolCollection?.TryGetPrimitive(call.Name, out tool);
            if (tool is not null && ToolSchemas.Check(tool.ProtocolTool.InputSchema, context.Params?.Arguments) is { Any: true } errors)
                return ToolAnswers.Invalid(errors);
            try
            {
                return await next(context, ct);
            }
            catch (Exception e) when (e is ArgumentException { ParamName: "arguments" } or JsonException)
            {
                return ToolAnswers.Error($"Invalid arguments; correct them and call again: {e.Message}");
            }
        };
}
