using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Security;

/// <summary>The key ring that protects cookies, reset codes and the OAuth signing keys, encrypted at rest with a certificate.</summary>
public sealed class DataProtectionKeysTests : IDisposable
{
    readonly string _folder = TestPostgres.NewScratchDirectory("data_protection");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_a_certificate_configured_the_stored_keys_are_encrypted_and_still_work()
    {
        var certificate = Path.Combine(_folder, "data-protection.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=AwaitHuman data protection (tests)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(certificate, created.Export(X509ContentType.Pfx, "secret"), Ct);
        }
        var connectionString = await TestPostgres.CreateDatabaseAsync("data_protection");
        await using var app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["DataProtection:Certificate:Path"] = certificate,
            ["DataProtection:Certificate:Password"] = "secret",
        });

        var tenant = await app.NewTenantAsync();
        using var browser = await app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        (await browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/me", Ct)).GetProperty("role").GetString().ShouldBe("owner");

        var stored = await Sql.QueryAsync(connectionString, "select \"Xml\" from accounts.\"DataProtectionKeys\"", reader => reader.GetString(0));
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(xml => xml.Contains("EncryptedData") && !xml.Contains("<masterKey"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
