namespace AwaitHuman.Testing;

/// <summary>Where things are in the checkout the tests were built from.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The server as built in its own folder, for tests that run it as a separate process. The copy
    /// beside the tests cannot run there: JasperFx scans that folder and trips over the test assemblies.
    /// </summary>
    public static string ServerAssembly => BuiltAssembly("src/AwaitHuman.Server", "AwaitHuman.Server");

    /// <summary>The test node (the server plus a stamping projection), as built in its own folder.</summary>
    public static string TestNodeAssembly => BuiltAssembly("tests/AwaitHuman.TestNode", "AwaitHuman.TestNode");

    static string BuiltAssembly(string projectFolder, string name)
    {
        // bin/<Configuration>/<framework>/ of the running assembly names the configuration to look in.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var path = Path.Combine(Root, projectFolder, "bin", configuration, framework.Name, name + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Build it first: dotnet build -c {configuration} {projectFolder}", path);
    }

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AwaitHuman.sln"))) return directory.FullName;
        }

        throw new DirectoryNotFoundException($"No AwaitHuman.sln above {AppContext.BaseDirectory}.");
    }
}
