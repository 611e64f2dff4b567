using AwaitHuman.Testing;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>What a newcomer sees the first time the server starts on an empty database.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task A_first_start_on_an_empty_database_logs_no_error()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("first_start");
        var logs = new CapturedLogs(LogLevel.Error);

        await using (await AwaitHumanApp.StartAsync(connectionString, logs.AddTo))
        {
            logs.Entries.ShouldBeEmpty(string.Join(Environment.NewLine, logs.Entries));
        }
    }
}
