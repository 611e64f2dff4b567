using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Connectors.Twilio.Tests;

/// <summary>Connections as the core hands them to the connector, and the connector as the server registers it.</summary>
public static class Connections
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";
    public const string From = "+14155550100";
    public const string WhatsAppFrom = "+14155550111";
    public const string MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

    public static ChannelConnection Twilio(
        Dictionary<string, string>? settings = null, Dictionary<string, string>? secrets = null, string[]? channels = null, string publicBaseUrl = "https://awaithuman.example/") =>
        new(Guid.Parse("0196a6a4-0000-7000-8000-000000000001"), "tenant-a", "twilio", "Support line",
            channels ?? [ChannelKinds.Sms, ChannelKinds.WhatsApp],
            settings ?? new() { ["account_sid"] = AccountSid, ["from"] = From, ["whatsapp_from"] = WhatsAppFrom },
            secrets ?? new() { ["auth_token"] = AuthToken },
            new Uri(publicBaseUrl));

    /// <summary>The connector from the plug-in's own registrations, on a host whose clients all get the standard resilience handler.</summary>
    public static (ServiceProvider Services, TwilioConnector Connector) Connector(Uri apiBaseUrl, TimeSpan? sendTimeout = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:Twilio:ApiBaseUrl"] = apiBaseUrl.ToString(),
            // The default deadline: the first send of a run also warms up the fake on a busy machine.
            ["Connectors:Twilio:SendTimeout"] = (sendTimeout ?? TimeSpan.FromSeconds(30)).ToString(),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        // As the server does for every client: the plug-in must take this out again.
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        new TwilioPlugin().AddServices(services, configuration);
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<TwilioConnector>());
    }

    public static OutboundMessage Reply(string channel = ChannelKinds.Sms, string? text = "Your refund was approved.", MessageTemplate? template = null, string to = "+447700900123") =>
        new(Guid.Parse("0196a6a4-1111-7000-8000-0000000000aa"), Guid.Parse("0196a6a4-2222-7000-8000-0000000000bb"), channel, to, "Ana",
            text, template, new ConversationThread(null, [], null), "Support");
}
