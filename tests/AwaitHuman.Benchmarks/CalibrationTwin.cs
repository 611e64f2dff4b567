using System.Net;
using Npgsql;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// The least an HTTP endpoint that writes to PostgreSQL can cost on this machine: bare Kestrel, one
/// INSERT, no framework in between. Server scenarios are read as ratios to it, so figures from
/// different machines can be compared.
/// </summary>
public sealed class CalibrationTwin : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly NpgsqlDataSource _dataSource;

    CalibrationTwin(WebApplication app, NpgsqlDataSource dataSource, Uri baseAddress)
    {
        _app = app;
        _dataSource = dataSource;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<CalibrationTwin> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await PrepareTableAsync(dataSource, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        app.MapPost("/twin", async (HttpRequest request, CancellationToken requestAborted) =>
        {
            using var body = new StreamReader(request.Body);
            var payload = await body.ReadToEndAsync(requestAborted);

            await using var insert = dataSource.CreateCommand("INSERT INTO bench_twin (payload) VALUES ($1)");
            insert.Parameters.Add(new NpgsqlParameter { Value = payload });
            await insert.ExecuteNonQueryAsync(requestAborted);
            return Results.NoContent();
        });

        await app.StartAsync(cancellationToken);
                return new CalibrationTwin(app, dataSource, new Uri(app.Urls.Single()));
    }

    static async Task PrepareTableAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // Emptied on every run so each starts from the same table and index size.
        await using var prepare = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS public.bench_twin (
                id bigserial PRIMARY KEY,
                payload text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now());
            TRUNCATE public.bench_twin;
            """);
        await prepare.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
