using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Core.Security;

/// <summary>
/// Bearer secrets (API keys, personal access tokens): a readable prefix plus 192 random bits.
/// Only the SHA-256 hash is stored; the secret itself is shown once.
/// </summary>
public static class Secrets
{
    const int RandomBytes = 24;

    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Enough of the secret to recognise it in a list, never enough to use it.</summary>
    public static string Hint(string secret, string prefix) => secret[..(prefix.Length + 4)] + "...";
}
