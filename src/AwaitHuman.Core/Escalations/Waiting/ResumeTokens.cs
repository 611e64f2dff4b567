using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace AwaitHuman.Core.Escalations.Waiting;

/// <summary>
/// The one string an agent keeps to pick up its wait after a restart. It names the escalation and
/// its tenant, protected by the shared Data Protection key ring so any node can read it and nobody
/// can forge one for another escalation.
/// </summary>
public sealed class ResumeTokens(IDataProtectionProvider dataProtection)
{
    public const string Prefix = "rt_";
    readonly IDataProtector _protector = dataProtection.CreateProtector("AwaitHuman.Escalations.ResumeToken.v1");

    public string For(string tenantId, Guid escalationId) =>
        Prefix + WebEncoders.Base64UrlEncode(_protector.Protect(System.Text.Encoding.UTF8.GetBytes($"{tenantId}/{escalationId}")));

    /// <summary>The escalation the token names, if it is genuine and belongs to <paramref name="tenantId"/>.</summary>
    public Guid? Read(string? token, string tenantId)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token[Prefix.Length..])));
            var slash = text.LastIndexOf('/');
            return slash > 0 && text[..slash] == tenantId && Guid.TryParse(text[(slash + 1)..], out var id) ? id : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
