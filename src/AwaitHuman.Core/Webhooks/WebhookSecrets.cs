using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// Endpoint secrets in the Standard Webhooks format (<c>whsec_</c> + base64 of 32 random bytes; the
/// signing key is the decoded bytes) and the <c>webhook-signature</c> they make.
/// </summary>
public static class WebhookSignatures
{
    public const string SecretPrefix = "whsec_";
    const int SecretBytes = 32;

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Enough to tell secrets apart in a list, 24 of their 256 bits.</summary>
    public static string Hint(string secret) => secret[..(SecretPrefix.Length + 4)] + "...";

    /// <summary><c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c>.</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The header value: one signature per secret, space-separated, as receivers check any of them.</summary>
    public static string Header(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, messageId, timestamp, body)));
}

/// <summary>
/// Encrypts endpoint secrets at rest with ASP.NET Data Protection (key ring in PostgreSQL). The
/// tenant is part of the purpose, so ciphertext copied into another tenant's row does not decrypt.
/// </summary>
public sealed class WebhookSecretProtector(IDataProtectionProvider provider)
{
    const string Purpose = "AwaitHuman.Webhooks.Secrets";

    public string Protect(string tenantId, string secret) => provider.CreateProtector(Purpose, tenantId).Protect(secret);

    public string Unprotect(string tenantId, string protectedSecret) => provider.CreateProtector(Purpose, tenantId).Unprotect(protectedSecret);
}
