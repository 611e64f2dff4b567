using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AwaitHuman.Connectors.WebChat;

/// <summary>Registers the web chat connector and maps the widget and its API under <c>/connectors/webchat/</c>.</summary>
public sealed class WebChatPlugin : IConnectorPlugin
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IChannelConnector, WebChatConnector>();
        services.AddOptions<WebChatOptions>().Bind(configuration.GetSection(WebChatOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => WebChatEndpoints.Map(endpoints);
}

public sealed class WebChatOptions
{
    public const string Section = "Connectors:WebChat";

    /// <summary>How often an idle event stream sends a comment, so proxies keep it open and it notices a lost change.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long browsers and CDNs may keep <c>widget.js</c> before asking again (they revalidate with its ETag).</summary>
    public TimeSpan WidgetMaxAge { get; set; } = TimeSpan.FromHours(1);
}
