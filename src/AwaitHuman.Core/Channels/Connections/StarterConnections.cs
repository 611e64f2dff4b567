using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.AgentRelay;
using AwaitHuman.Core.Channels.Sandbox;
using AwaitHuman.Core.Security;
using Marten;

namespace AwaitHuman.Core.Channels.Connections;

/// <summary>
/// What every new tenant starts with: the sandbox for every customer channel, so the whole loop can
/// be tried with no provider account, and the agent relay. An admin replaces a channel by
/// connecting a provider for it (the newest connection of a channel wins) or disables these.
/// </summary>
public sealed class StarterConnections(ConnectionSecrets secrets)
{
    public void Add(IDocumentSession session, Actor by, DateTimeOffset now)
    {
        Start(session, SandboxConnector.Name, "Sandbox (simulated customer device)", [ChannelKinds.WhatsApp, ChannelKinds.Sms, ChannelKinds.Email, ChannelKinds.WebChat], by, now);
        Start(session, AgentRelayConnector.Name, "Agent relay", [ChannelKinds.Agent], by, now);
    }

    void Start(IDocumentSession session, string provider, string name, string[] channels, Actor by, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        session.Events.StartStream<Connection>(id,
            new ChannelConnected(id, provider, name, channels, [], secrets.Protect(session.TenantId, new Dictionary<string, string>()), [], by, now));
    }
}
