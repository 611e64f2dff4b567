using System.Reflection;
using AwaitHuman.Connectors;

namespace AwaitHuman.Server.Hosting;

/// <summary>
/// Finds channel connectors as plug-ins: every <c>AwaitHuman.Connectors.*.dll</c> beside the server
/// (the contract itself aside), and in each, every public <see cref="IConnectorPlugin"/>. Dropping a
/// connector's assembly in the folder is all it takes; the core never references a provider.
/// </summary>
public static class ConnectorPlugins
{
    const string AssemblyPattern = "AwaitHuman.Connectors.*.dll";
    static readonly string ContractAssembly = typeof(IConnectorPlugin).Assembly.GetName().Name!;

    public static IReadOnlyList<IConnectorPlugin> Discover(string folder) =>
        Directory.EnumerateFiles(folder, AssemblyPattern)
            .Where(path => Path.GetFileNameWithoutExtension(path) != ContractAssembly)
            .Order(StringComparer.Ordinal)
            .Select(path => Assembly.Load(AssemblyName.GetAssemblyName(path)))
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IConnectorPlugin).IsAssignableFrom(type))
            .Select(type => (IConnectorPlugin)Activator.CreateInstance(type)!)
            .ToArray();

    public static WebApplicationBuilder AddConnectorPlugins(this WebApplicationBuilder builder, IReadOnlyList<IConnectorPlugin> plugins)
    {
        foreach (var plugin in plugins) plugin.AddServices(builder.Services, builder.Configuration);
        return builder;
    }

    public static void MapConnectorPlugins(this WebApplication app, IReadOnlyList<IConnectorPlugin> plugins)
    {
        foreach (var plugin in plugins) plugin.MapEndpoints(app);
    }
}
