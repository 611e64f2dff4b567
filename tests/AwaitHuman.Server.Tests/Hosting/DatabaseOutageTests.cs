using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>
/// What a request that meets an unreachable database answers: the failure is Npgsql's own, from
/// connecting to a port nothing listens on, as Marten hands it up when PostgreSQL is down.
/// </summary>
public class DatabaseOutageTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_database_is_a_503_problem_with_retry_after()
    {
        var outage = await ConnectingToNothingAsync();
        var context = new DefaultHttpContext { RequestServices = _app.Services };
        context.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<ConflictExceptionHandler>(_app.Services);

        // As Marten reports a failed command: its own exception around Npgsql's.
        (await handler.TryHandleAsync(context, new MartenCommandException(new NpgsqlCommand("select 1"), outage), Ct)).ShouldBeTrue();

        context.Response.StatusCode.ShouldBe(StatusCodes.Status503ServiceUnavailable);
        context.Response.Headers.RetryAfter.ToString().ShouldBe(ConflictExceptionHandler.RetryAfterSeconds.ToString());
        context.Response.Body.Position = 0;
        var problem = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: Ct);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(503);
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("Retry");
    }

    [Fact]
    public void A_conflict_or_a_bug_is_no_outage()
    {
        ConflictExceptionHandler.DatabaseUnavailable(new InvalidOperationException("a bug")).ShouldBeFalse();
        ConflictExceptionHandler.DatabaseUnavailable(new PostgresException("duplicate", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)).ShouldBeFalse();
        ConflictExceptionHandler.DatabaseUnavailable(new PostgresException("serialization", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure)).ShouldBeFalse();
        ConflictExceptionHandler.DatabaseUnavailable(new PostgresException("shutting down", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown)).ShouldBeTrue();
    }

    static async Task<NpgsqlException> ConnectingToNothingAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;Database=x;Timeout=2;Pooling=false");
        return await Should.ThrowAsync<NpgsqlException>(() => connection.OpenAsync(Ct));
    }
}
