using System.Text.Json;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.UseCases;
using AwaitHuman.Server.Security;
using Marten;

namespace AwaitHuman.Server.Admin;

/// <summary>
/// What the admin verbs share: they use the application's services without starting the server
/// (no port, no background agents), after bringing both schemas up to date.
/// </summary>
static class AdminHost
{
    static readonly HashSet<string> JsonVerbs = ["create-tenant", "create-user", "suspend-tenant", "reactivate-tenant"];

    /// <summary>Whether the command line runs one of the verbs whose standard output is their JSON result.</summary>
    public static bool PrintsJson(string[] args) => args.Length > 0 && JsonVerbs.Contains(args[0]);

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task PrepareDatabaseAsync(IServiceProvider services)
    {
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().BringSchemaUpToDateAsync(CancellationToken.None);
        await services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    /// <summary>The verb's result on standard output as one JSON line (logs go to standard error).</summary>
    public static void Print(object result) => Console.Out.WriteLine(JsonSerializer.Serialize(result, Json));

    /// <summary>Failures go to standard error, in the API's words; invalid fields named as the command's flags.</summary>
    public static bool Fail(Failure failure) => Fail(failure switch
    {
        Failure.Invalid invalid => string.Join("; ", invalid.Errors.Select(error => $"--{error.Key.Replace('_', '-')}: {string.Join(" ", error.Value)}")),
        _ => failure.Message,
    });

    public static bool Fail(string message)
    {
        Console.Error.WriteLine($"awaithuman: {message}");
        return false;
    }
}
