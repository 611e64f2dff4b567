using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AwaitHuman.Core.Infrastructure.Identity;

/// <summary>
/// For <c>dotnet ef migrations add</c> only (see docs/decisions.md); the server configures the real
/// context in AwaitHuman.Server/Security/Accounts.cs. No database is contacted to add a migration.
/// </summary>
public sealed class AccountsDesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AccountsDbContext>()
            .UseNpgsql("Host=localhost;Database=design_time_only", npgsql => npgsql.MigrationsHistoryTable("ef_migrations", AccountsDbContext.Schema));
        options.UseOpenIddict<Guid>();
        return new AccountsDbContext(options.Options);
    }
}
