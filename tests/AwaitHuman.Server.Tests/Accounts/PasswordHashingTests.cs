using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Accounts;

public class PasswordHashingTests(ServerTestsHost host)
{
    const uint HmacSha512 = 2;

    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Identity's v3 format: 0x01, then the PRF, the iteration count and the salt length as
    /// big-endian uint32, then the salt and the subkey.
    /// </summary>
    static async Task<(byte Format, uint Prf, uint Iterations)> StoredHashOfAsync(Guid personId)
    {
        var stored = await Sql.ScalarAsync<string>(TestPostgres.ConnectionString, $"select \"PasswordHash\" from accounts.people where \"Id\" = '{personId}'");
        var bytes = Convert.FromBase64String(stored);
        return (bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
    }

    [Fact]
    public async Task A_signed_up_owner_s_password_is_pbkdf2_with_at_least_600000_iterations()
    {
        var slug = $"h-{Guid.NewGuid():N}"[..24];
        var email = $"owner@{slug}.test";
        using var client = _app.CreateHttpClient();
        (await client.PostAsJsonAsync("/v1/signup", new { name = "Hashing Ltd", slug, email, password = TestTenants.Password }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var (format, prf, iterations) = await StoredHashOfAsync((await _app.FindPersonAsync(email))!.Id);

        format.ShouldBe((byte)0x01);
        prf.ShouldBe(HmacSha512);
        iterations.ShouldBeGreaterThanOrEqualTo(600_000u);
    }

    [Fact]
    public async Task A_password_set_with_a_reset_code_is_hashed_the_same_way()
    {
        var tenant = await _app.NewTenantAsync();
        using var client = _app.CreateHttpClient();
        (await client.PostAsJsonAsync("/v1/account/password-reset", new { email = tenant.OwnerEmail }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = (await _app.LatestSandboxEmailAsync(tenant.OwnerEmail, "reset_password"))!.Code;
        (await client.PostAsJsonAsync("/v1/account/password-reset/confirm", new { email = tenant.OwnerEmail, code, new_password = "a brand new passphrase" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var (format, prf, iterations) = await StoredHashOfAsync(tenant.OwnerId);

        format.ShouldBe((byte)0x01);
        prf.ShouldBe(HmacSha512);
        iterations.ShouldBeGreaterThanOrEqualTo(600_000u);
    }
}
