using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace AwaitHuman.Core.Infrastructure.Identity;

/// <summary>
/// The OAuth server's signing and encryption keys: RSA keys made once, kept in the accounts schema
/// (protected by Data Protection) and loaded by every node, so tokens survive restarts and work
/// across nodes. Development certificates would change on every start.
/// </summary>
public sealed class OAuthKeyRing(IServiceScopeFactory scopes, TimeProvider clock) : IConfigureOptions<OpenIddictServerOptions>
{
    const string Signing = "signing";
    const string Encryption = "encryption";

    public void Configure(OpenIddictServerOptions options)
    {
        // Options are built once, on first use, after the accounts schema was migrated at startup.
        options.SigningCredentials.Add(new SigningCredentials(LoadOrCreate(Signing), SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(LoadOrCreate(Encryption), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    RsaSecurityKey LoadOrCreate(string use)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("AwaitHuman.OAuthKeys");

        var stored = db.OAuthSigningKeys.AsNoTracking().SingleOrDefault(key => key.Use == use);
        if (stored is null)
        {
            using var rsa = RSA.Create(2048);
            var protectedKey = protector.Protect(rsa.ExportRSAPrivateKeyPem());
            // Two nodes may race on the very first start: the first insert wins and both read it back.
            db.Database.ExecuteSql($"insert into accounts.oauth_signing_keys (\"Use\", \"ProtectedPrivateKey\", \"CreatedAt\") values ({use}, {protectedKey}, {clock.GetUtcNow()}) on conflict do nothing");
            stored = db.OAuthSigningKeys.AsNoTracking().Single(key => key.Use == use);
        }

        var loaded = RSA.Create();
        loaded.ImportFromPem(protector.Unprotect(stored.ProtectedPrivateKey));
        return new RsaSecurityKey(loaded) { KeyId = $"{use}-{stored.CreatedAt.ToUnixTimeSeconds()}" };
    }
}
