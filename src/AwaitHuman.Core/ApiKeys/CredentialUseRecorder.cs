using System.Collections.Concurrent;
using Marten;

namespace AwaitHuman.Core.ApiKeys;

/// <summary>
/// Keeps "last used" for API keys and personal access tokens to the minute: at most one write per
/// credential per minute per node, so a busy agent does not turn every call into a write.
/// </summary>
public sealed class CredentialUseRecorder(IDocumentStore store, TimeProvider clock)
{
    static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastWritten = new();

    public async Task RecordAsync(string tenantId, Guid credentialId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_lastWritten.TryGetValue(credentialId, out var last) && now - last < Resolution) return;
        _lastWritten[credentialId] = now;

        await using var session = store.LightweightSession(tenantId);
        session.Store(new CredentialUse { Id = credentialId, LastUsedAt = now });
        await session.SaveChangesAsync(ct);
    }
}
