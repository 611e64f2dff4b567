using AwaitHuman.Connectors;

namespace AwaitHuman.Core.Channels;

/// <summary>The connectors this server has: the built-in sandbox and agent relay plus every plug-in's.</summary>
public sealed class ConnectorCatalog(IEnumerable<IChannelConnector> connectors)
{
    readonly Dictionary<string, IChannelConnector> _byProvider = connectors.ToDictionary(c => c.Provider, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Providers => _byProvider.Keys;

    public IChannelConnector? Find(string provider) => _byProvider.GetValueOrDefault(provider);
}
