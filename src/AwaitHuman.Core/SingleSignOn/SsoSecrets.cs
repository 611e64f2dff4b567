using Microsoft.AspNetCore.DataProtection;

namespace AwaitHuman.Core.SingleSignOn;

/// <summary>
/// Encrypts the client secret at rest with ASP.NET Data Protection (the key ring every node shares).
/// The tenant is part of the purpose, so ciphertext copied into another tenant's connection does not decrypt.
/// </summary>
public sealed class SsoSecrets(IDataProtectionProvider provider)
{
    const string Purpose = "AwaitHuman.SingleSignOn.ClientSecret";

    public string Protect(string tenantId, string clientSecret) => provider.CreateProtector(Purpose, tenantId).Protect(clientSecret);

    public string Unprotect(string tenantId, string protectedSecret) => provider.CreateProtector(Purpose, tenantId).Unprotect(protectedSecret);
}
