using System.Security.Cryptography;
using System.Text;
using AwaitHuman.Core.Security;

namespace AwaitHuman.Core.Tests.Security;

public class SecretsTests
{
    [Theory]
    [InlineData("ah_live_")]
    [InlineData("ah_test_")]
    [InlineData("ahp_")]
    public void A_secret_is_its_prefix_and_192_random_bits_in_url_safe_base64(string prefix)
    {
        var secret = Secrets.New(prefix);

        secret.ShouldStartWith(prefix);
        var random = secret[prefix.Length..];
        random.Length.ShouldBe(32, "24 bytes are 32 base64 characters, well over the 160 bits asked for");
        random.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
    }

    [Fact]
    public void Secrets_do_not_repeat()
    {
        var secrets = Enumerable.Range(0, 10_000).Select(_ => Secrets.New("ah_live_")).ToHashSet();
        secrets.Count.ShouldBe(10_000);
    }

    [Fact]
    public void Only_a_lowercase_sha256_hex_of_the_secret_is_kept()
    {
        var secret = Secrets.New("ah_live_");

        Secrets.Hash(secret).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
        Secrets.Hash(secret).Length.ShouldBe(64);
    }

    [Fact]
    public void The_hint_shows_the_prefix_and_four_characters_only()
    {
        var secret = Secrets.New("ahp_");
        Secrets.Hint(secret, "ahp_").ShouldBe(secret[..8] + "...");
    }
}
