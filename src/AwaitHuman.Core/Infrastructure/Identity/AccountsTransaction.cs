using Marten;
using Marten.Services;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace AwaitHuman.Core.Infrastructure.Identity;

/// <summary>
/// One PostgreSQL transaction for a change that spans Identity or OpenIddict (EF Core) and the
/// event store (Marten), such as a signup: both are written, or neither is.
/// </summary>
public sealed class AccountsTransaction : IAsyncDisposable
{
    readonly IDbContextTransaction _transaction;
    readonly List<IDocumentSession> _sessions = [];

    AccountsTransaction(IDbContextTransaction transaction) => _transaction = transaction;

    /// <summary>Begins on the request's <see cref="AccountsDbContext"/>, which UserManager and OpenIddict's managers also use.</summary>
    public static async Task<AccountsTransaction> BeginAsync(AccountsDbContext db, CancellationToken ct) =>
        new(await db.Database.BeginTransactionAsync(ct));

    /// <summary>A Marten session of <paramref name="tenantId"/> inside this transaction; saving it does not commit.</summary>
    public IDocumentSession SessionFor(IDocumentStore store, string tenantId)
    {
        var options = SessionOptions.ForTransaction((NpgsqlTransaction)_transaction.GetDbTransaction());
        options.TenantId = tenantId;
        var session = store.LightweightSession(options);
        _sessions.Add(session);
        return session;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        foreach (var session in _sessions) await session.SaveChangesAsync(ct);
        await _transaction.CommitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions) await session.DisposeAsync();
        await _transaction.DisposeAsync();
    }
}
