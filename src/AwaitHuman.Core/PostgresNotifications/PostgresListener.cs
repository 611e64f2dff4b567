using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AwaitHuman.Core.PostgresNotifications;

/// <summary>
/// LISTENs on one PostgreSQL channel over one connection for the node's lifetime, reconnecting with
/// backoff. PostgreSQL delivers a NOTIFY only when its transaction commits, to every node, so this is
/// how a change on one node reaches the others with no extra server.
/// </summary>
public abstract class PostgresListener(IDocumentStore store, ILogger logger, string channel) : BackgroundService
{
    /// <summary>One notification's payload, on Npgsql's thread: keep it quick.</summary>
    protected abstract void OnNotification(string payload);

    /// <summary>Listening (again): anything committed while nobody listened is unknown.</summary>
    protected abstract void OnListening();

    /// <summary>The connection is gone: notifications may be missed until <see cref="OnListening"/>.</summary>
    protected virtual void OnStoppedListening() { }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = store.Storage.Database.CreateConnection();
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => OnNotification(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);

                try
                {
                    OnListening();
                    delay = TimeSpan.FromMilliseconds(250);
                    while (!stoppingToken.IsCancellationRequested)
                        await connection.WaitAsync(stoppingToken);
                }
                finally
                {
                    // The pool does not reset connections (CritterStack), so a healthy one goes back unsubscribed.
                    if (connection.State == System.Data.ConnectionState.Open)
                        await Unlisten(connection);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening on {Channel} failed; retrying in {Delay}", channel, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
            finally
            {
                OnStoppedListening();
            }
        }
    }

    static async Task Unlisten(NpgsqlConnection connection)
    {
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection leaves the pool anyway.
        }
    }
}
