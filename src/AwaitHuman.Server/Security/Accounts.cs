using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AwaitHuman.Server.Security;

/// <summary>People (ASP.NET Core Identity) and Data Protection keys on EF Core, in the accounts schema.</summary>
public static class Accounts
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder, string postgresConnectionString)
    {
        builder.Services.AddDbContext<AccountsDbContext>(db =>
        {
            db.UseNpgsql(postgresConnectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations", AccountsDbContext.Schema));
            db.UseOpenIddict<Guid>();
        });
        // Runs before every other hosted service, so the tables exist before anything reads them.
        builder.Services.AddHostedService<AccountsSchemaMigration>();

        // Every node shares one key ring, so cookies and reset codes made on one node work on all.
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("AwaitHuman")
            .PersistKeysToDbContext<AccountsDbContext>();
        // With a certificate the keys are encrypted at rest; without one (development) they are stored as they are.
        if (builder.Configuration["DataProtection:Certificate:Path"] is { Length: > 0 } certificatePath)
            dataProtection.ProtectKeysWithCertificate(
                X509CertificateLoader.LoadPkcs12FromFile(certificatePath, builder.Configuration["DataProtection:Certificate:Password"]));

        builder.Services.AddIdentityCore<Person>(identity =>
            {
                // Length over composition rules, as NIST SP 800-63B advises.
                identity.Password.RequiredLength = 12;
                identity.Password.RequiredUniqueChars = 4;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = true;
                identity.SignIn.RequireConfirmedEmail = true;
            })
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // Identity re-issues the cookie from the person's claims now and then; the chosen tenant must survive it.
        builder.Services.Configure<SecurityStampValidatorOptions>(stamp => stamp.OnRefreshingPrincipal = refreshing =>
        {
            var tenant = refreshing.CurrentPrincipal?.FindFirst(CallerClaims.TenantId);
            if (tenant is not null && refreshing.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(claim => claim.Type == tenant.Type))
                identity.AddClaim(new Claim(tenant.Type, tenant.Value));
            return Task.CompletedTask;
        });

        // OWASP's figure for PBKDF2; Identity's default is 100,000.
        builder.Services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 600_000);
        return builder;
    }

    sealed class AccountsSchemaMigration(IServiceProvider services, ILogger<AccountsSchemaMigration> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().BringSchemaUpToDateAsync(cancellationToken);
            logger.LogDebug("Accounts schema is up to date");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Brings the accounts schema up to date; EF Core takes a database lock while migrating, so nodes starting together take turns.</summary>
    public static async Task BringSchemaUpToDateAsync(this AccountsDbContext db, CancellationToken cancellationToken)
    {
        // Npgsql's migrator reads the history table before it creates it, and EF Core logs the
        // "relation does not exist" of every fresh database as a failed command; made first, the table is there to read.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
