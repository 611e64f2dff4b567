using AwaitHuman.Core.Accounts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AwaitHuman.Core.Infrastructure.Identity;

/// <summary>
/// People (ASP.NET Core Identity), OAuth applications and tokens (OpenIddict), Data Protection keys
/// and the OAuth signing keys, in the <c>accounts</c> schema beside Marten's.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityUserContext<Person, Guid>(options), IDataProtectionKeyContext
{
    public const string Schema = "accounts";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<OAuthSigningKey> OAuthSigningKeys => Set<OAuthSigningKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        base.OnModelCreating(builder);
        builder.UseOpenIddict<Guid>();

        builder.Entity<Person>().ToTable("people");
        builder.Entity<Person>().Property(person => person.DisplayName).HasMaxLength(200);
        builder.Entity<OAuthSigningKey>(key =>
        {
            key.ToTable("oauth_signing_keys");
            key.HasKey(k => k.Use);
            key.Property(k => k.Use).HasMaxLength(20);
        });
    }
}

/// <summary>
/// The OAuth server's RSA key for one use (signing or encryption), protected with Data Protection.
/// Persisted so every node and every restart signs with the same key.
/// </summary>
public sealed class OAuthSigningKey
{
    public string Use { get; set; } = "";
    public string ProtectedPrivateKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
