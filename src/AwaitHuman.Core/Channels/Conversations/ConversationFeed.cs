using System.Runtime.CompilerServices;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Escalations.Waiting;
using Marten;
using Npgsql;

namespace AwaitHuman.Core.Channels.Conversations;

/// <summary>
/// The customer's view of an escalation, for the web chat and the sandbox device: their messages,
/// what the agent told them and the operators' replies; never notes, tool calls or system lines.
/// Changes and typing notices arrive through <see cref="EscalationSignals"/>, from every node.
/// </summary>
public sealed class ConversationFeed(IDocumentStore store, EscalationSignals signals) : IConversationFeed
{
    public async Task<Guid?> FindByExternalRefAsync(string tenantId, string externalRef, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        var recent = await session.Query<EscalationSummary>()
            .Where(s => s.ExternalRef == externalRef)
            .OrderByDescending(s => s.CreatedAt)
            .Take(20)
            .ToListAsync(ct);
        return (recent.FirstOrDefault(s => !EscalationStatuses.IsFinal(s.Status)) ?? recent.FirstOrDefault())?.Id;
    }

    public async Task<Conversation?> ReadAsync(string tenantId, Guid escalationId, int afterPosition, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        var escalation = await session.LoadAsync<Escalation>(escalationId, ct);
        return escalation is null ? null : Of(escalation, afterPosition);
    }

    public static Conversation Of(Escalation escalation, int afterPosition)
    {
        var messages = escalation.Transcript
            .Where(entry => entry.Role is TranscriptRoles.Customer or TranscriptRoles.Agent or TranscriptRoles.Operator)
            .Select((entry, index) => new ConversationMessage(entry.Id, index + 1, PartyOf(entry.Role), entry.Author?.Name, entry.Content, entry.At,
                escalation.Deliveries.FirstOrDefault(d => d.MessageId == entry.Id)?.State))
            .Where(message => message.Position > afterPosition)
            .ToArray();
        return new Conversation(escalation.Id, escalation.Status, escalation.Operator?.Name, messages);
    }

    public async IAsyncEnumerable<ConversationSignal> WatchAsync(string tenantId, Guid escalationId, [EnumeratorCancellation] CancellationToken ct)
    {
        using var watch = signals.Watch(tenantId, escalationId);
        while (!ct.IsCancellationRequested)
        {
            bool woke;
            try
            {
                woke = await watch.ChangedAsync(Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            if (!woke) continue;
            var typing = watch.TakeTyping();
            foreach (var (party, name) in typing) yield return new ConversationSignal.Typing(party, name);
            // A wake that brought typing notices may also have carried a change; readers re-read cheaply.
            yield return new ConversationSignal.Changed();
        }
    }

    public async Task NotifyTypingAsync(string tenantId, Guid escalationId, string party, string? name, CancellationToken ct)
    {
        var payload = $"{EscalationSignals.TypingPrefix}{EscalationSignals.KeyOf(tenantId, escalationId)}|{party}|{name?.Replace('|', ' ')}";
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var notify = new NpgsqlCommand("select pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", EscalationSignals.Channel);
        notify.Parameters.AddWithValue("payload", payload);
        await notify.ExecuteNonQueryAsync(ct);
    }

    static string PartyOf(string role) => role switch
    {
        TranscriptRoles.Customer => ConversationParties.Customer,
        TranscriptRoles.Operator => ConversationParties.Operator,
        _ => ConversationParties.Agent,
    };
}
