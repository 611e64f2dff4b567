using System.Net;
using System.Net.Sockets;

namespace AwaitHuman.Connectors.SendGrid.Tests;

public static class TestConnections
{
    public const string InboundDomain = "reply.acme.example";
    public const string ReplyKey = "reply-key-0123456789abcdefghijklmnop";
    public const string ParsePassword = "parse-password-0123456789abcdef";

    public static ChannelConnection SendGrid(string apiKey = "SG.test-key", string? publicKey = null, string? fromName = "Acme Support") =>
        new(
            Guid.CreateVersion7(),
            "tenant-a",
            SendGridConnection.Provider,
            "Support email",
            [ChannelKinds.Email],
            new Dictionary<string, string>
            {
                [SendGridConnection.FromEmail] = "support@acme.example",
                [SendGridConnection.FromName] = fromName ?? "",
                [SendGridConnection.InboundDomain] = InboundDomain,
                [SendGridConnection.EventWebhookPublicKey] = publicKey ?? "",
            },
            new Dictionary<string, string>
            {
                [SendGridConnection.ApiKey] = apiKey,
                [SendGridConnection.InboundParsePassword] = ParsePassword,
                [SendGridConnection.ReplyAddressKey] = ReplyKey,
            },
            new Uri("https://awaithuman.example/"));

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A clock that says what the test tells it.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
