using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace AwaitHuman.Core.Channels.Connections;

/// <summary>
/// Encrypts a connection's secrets at rest with ASP.NET Data Protection (key ring in PostgreSQL,
/// shared by all nodes). The tenant is part of the purpose, so ciphertext copied into another
/// tenant's row does not decrypt.
/// </summary>
public sealed class ConnectionSecrets(IDataProtectionProvider provider)
{
    const string Purpose = "AwaitHuman.Channels.ConnectionSecrets";

    public string Protect(string tenantId, IReadOnlyDictionary<string, string> secrets) =>
        provider.CreateProtector(Purpose, tenantId).Protect(JsonSerializer.Serialize(secrets));

    public IReadOnlyDictionary<string, string> Unprotect(string tenantId, string protectedSecrets) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(provider.CreateProtector(Purpose, tenantId).Unprotect(protectedSecrets)) ?? [];
}
