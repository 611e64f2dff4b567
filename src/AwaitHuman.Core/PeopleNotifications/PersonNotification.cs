using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Escalations.Waiting;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Profiles;
using Marten;
using Marten.Metadata;

namespace AwaitHuman.Core.PeopleNotifications;

/// <summary>Why people are told; which mail a person may turn off in their profile depends on it.</summary>
public enum NoticeKind
{
    /// <summary>A routing rule's <c>notify</c> names them: always mailed, the rule's author asked for it.</summary>
    RoutingRule,
    /// <summary>An SLA step tells the team's supervisors: mailed unless they turned off "before an SLA breach".</summary>
    SlaStep,
    /// <summary>Routing assigned the escalation to them: mailed unless they turned off "when assigned"; no notice, the inbox shows it.</summary>
    Assigned,
}

/// <summary>
/// Tells people about an escalation that needs them. Published in the transaction that records the
/// <see cref="Escalations.PeopleNotified"/> or <see cref="Escalations.EscalationAssigned"/> event;
/// <paramref name="Id"/> keeps a redelivered message from notifying anyone twice.
/// </summary>
public sealed record NotifyPeople(Guid Id, Guid EscalationId, Guid[] PersonIds, string Why, NoticeKind Kind = NoticeKind.RoutingRule);

/// <summary>One person's notice about one escalation: listed in the console and by the API until read.</summary>
public sealed class PersonNotification : ITenanted
{
    [JsonIgnore, AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid EscalationId { get; set; }
    public string? CustomerName { get; set; }
    public string? Summary { get; set; }
    /// <summary>Why they are told, e.g. "routed by rule 2 (vip) v3: tier=gold".</summary>
    public string Why { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>The same for every delivery of one message to one person.</summary>
    public static Guid IdOf(Guid messageId, Guid personId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"notification:{messageId}:{personId}")));
}

/// <summary>
/// Stores each person's notice and mails them (the sandbox mailbox until a platform mail provider is
/// configured), in one transaction. People no longer in the tenant are skipped.
/// </summary>
public static class NotifyPeopleHandler
{
    public const string MailPurpose = "escalation_attention";
    public const string AssignedMailPurpose = "escalation_assigned";
    /// <summary>The console's profile page, where a person turns these mails off.</summary>
    const string ProfilePath = "account/profile";

    public static async Task Handle(NotifyPeople message, IDocumentSession session, IAccountMailer mailer, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var escalation = await session.LoadAsync<EscalationSummary>(message.EscalationId, ct);
        if (escalation is null) return;
        var people = await session.Query<Membership>().Where(m => message.PersonIds.Contains(m.PersonId)).ToListAsync(ct);
        var existing = (await session.LoadManyAsync<PersonNotification>(ct, people.Select(p => PersonNotification.IdOf(message.Id, p.PersonId)))).Select(n => n.PersonId).ToHashSet();
        var profiles = (await session.LoadManyAsync<PersonProfile>(ct, people.Select(p => p.PersonId))).ToDictionary(p => p.Id);
        var now = clock.GetUtcNow();
        var customer = escalation.CustomerName ?? "a customer";
        var link = new Uri(urls.BaseUrl, $"escalations/{escalation.Id}");
        var settings = new Uri(urls.BaseUrl, ProfilePath);
        foreach (var person in people.Where(p => !existing.Contains(p.PersonId)))
        {
            // Without a stored profile the defaults apply, which mail.
            var profile = profiles.GetValueOrDefault(person.PersonId) ?? new PersonProfile { Id = person.PersonId };
            if (message.Kind == NoticeKind.Assigned)
            {
                if (profile.EmailWhenAssigned)
                    mailer.Send(session, new AccountMail(person.Email, $"Assigned to you: {customer}",
                        $"An escalation from {customer} was assigned to you.\n\nWhy: {message.Why}\nSummary: {escalation.Summary ?? "(none)"}\n\nOpen it: {link}\n\n" +
                        $"You get this mail because \"when an escalation is assigned to me\" is on in your profile: {settings}",
                        AssignedMailPurpose, null));
                continue;
            }

            session.Store(new PersonNotification
            {
                Id = PersonNotification.IdOf(message.Id, person.PersonId), PersonId = person.PersonId, EscalationId = escalation.Id,
                CustomerName = escalation.CustomerName, Summary = escalation.Summary, Why = message.Why, At = now,
            });
            if (message.Kind == NoticeKind.SlaStep && !profile.EmailBeforeSlaBreach) continue;
            mailer.Send(session, new AccountMail(person.Email, $"Needs your attention: {customer}",
                $"An escalation from {customer} needs your attention.\n\nWhy: {message.Why}\nSummary: {escalation.Summary ?? "(none)"}\n\nOpen it: {link}",
                MailPurpose, null));
        }
        // Consoles watching the tenant show the notice as soon as it is stored.
        EscalationChangeNotifier.SignalOnCommit(session, escalation.Id);
    }
}
