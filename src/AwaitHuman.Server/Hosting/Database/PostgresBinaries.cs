namespace AwaitHuman.Server.Hosting.Database;

/// <summary>The folder holding the machine's PostgreSQL server programs.</summary>
public sealed record PostgresBinaries(string Directory)
{
    static readonly string[] Programs = ["initdb", "pg_ctl", "postgres"];

    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>
    /// Looks in <paramref name="searchPath"/> when given, otherwise on PATH and then in Debian's
    /// <c>/usr/lib/postgresql/*/bin</c> (newest version first), which is not on PATH by default.
    /// </summary>
    public static PostgresBinaries Locate(IReadOnlyList<string>? searchPath = null)
    {
        var candidates = searchPath ?? DefaultSearchPath(Environment.GetEnvironmentVariable("PATH"));
        foreach (var directory in candidates)
        {
            if (Programs.All(program => File.Exists(Path.Combine(directory, program))))
                return new PostgresBinaries(directory);
        }

        throw new PostgresBinariesNotFoundException(candidates);
    }

    /// <summary>The folders of <paramref name="pathVariable"/>, then Debian's version folders, newest first.</summary>
    public static List<string> DefaultSearchPath(string? pathVariable)
    {
        var onPath = (pathVariable ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(versionDirectory => (Version: int.TryParse(Path.GetFileName(versionDirectory), out var v) ? v : 0, versionDirectory))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.versionDirectory, "bin"))
            : [];

        return [.. onPath, .. debian];
    }
}

public sealed class PostgresBinariesNotFoundException(IReadOnlyList<string> searched) : EmbeddedPostgresException(
    "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
    "Install them (Debian/Ubuntu: `apt-get install postgresql`, macOS: `brew install postgresql@15`), " +
    "or set ConnectionStrings__Postgres to use a PostgreSQL server you run yourself. " +
    $"Searched: {string.Join(", ", searched)}");
