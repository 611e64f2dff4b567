namespace AwaitHuman.Testing;

/// <summary>Where things are in the checkout the tests were built from.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The server as built in its own folder, for tests that run it as a separate process. The copy
    /// beside the tests cannot run there: JasperFx scans that folder and trips over the test assemblies.
    /// </summary>
    public static string ServerAssembly
    {
        get
        {
            // bin/<Configuration>/<framework>/ of the tests names the configuration to look in.
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var path = Path.Combine(Root, "src", "AwaitHuman.Server", "bin", configuration, framework.Name, "AwaitHuman.Server.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"Build the server first: dotnet build -c {configuration} src/AwaitHuman.Server", path);
        }
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
