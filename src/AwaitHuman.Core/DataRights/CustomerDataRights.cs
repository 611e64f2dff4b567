using System.Text.Json;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Channels.Receiving;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using AwaitHuman.Core.Webhooks;
using Marten;

namespace AwaitHuman.Core.DataRights;

/// <summary>How a customer is found: any of the three; escalations matching any of them are theirs.</summary>
/// <param name="Phone">Matches the customer's phone or WhatsApp number.</param>
public sealed record CustomerLookup(string? Email = null, string? Phone = null, string? ExternalRef = null);

public sealed record AttachmentRecord(Guid Id, Guid EscalationId, string FileName, string ContentType, long Size, DateTimeOffset ReceivedAt);

/// <summary>A customer address the channels keep state for (the WhatsApp window, an opt-out).</summary>
public sealed record ChannelIdentity(string Channel, string Address, DateTimeOffset? LastInboundAt, DateTimeOffset? OptedOutAt, Guid? LastEscalationId);

/// <summary>A webhook delivery that carried one of the customer's escalations' events, with the body as sent.</summary>
public sealed record WebhookDeliveryRecord(string Id, Guid EndpointId, string EventType, Guid? EscalationId, JsonElement Body, string Status, DateTimeOffset CreatedAt);

/// <summary>Everything stored about one customer. Escalations hold the transcript, notes, drafts, deliveries and hand-back.</summary>
public sealed record CustomerDataExport(
    DateTimeOffset ExportedAt, Escalation[] Escalations, AttachmentRecord[] Attachments, ChannelIdentity[] ChannelIdentities,
    WebhookDeliveryRecord[] WebhookDeliveries);

/// <summary>What an erasure changed; the escalations themselves remain, masked.</summary>
public sealed record CustomerDataErasure(int Escalations, int AttachmentsDeleted, int ChannelIdentitiesDeleted, int WebhookDeliveriesMasked, DateTimeOffset ErasedAt);

/// <summary>
/// A data subject's rights (GDPR articles 15 and 17, CCPA): see everything stored about them, and have
/// their personal data erased. Erasure masks the events of each of their escalations in place with
/// Marten's event data masking (<see cref="CustomerDataMasking"/>), then rebuilds what was derived
/// from them, so counts, statuses and times stay while no text or address remains.
/// </summary>
public sealed class CustomerDataRights(IDocumentStore store, TimeProvider clock)
{
    const int MaxIdentifierLength = 320;

    public async Task<Outcome<CustomerDataExport>> ExportAsync(string tenantId, CustomerLookup lookup, Actor by, CancellationToken ct)
    {
        if (Validate(lookup) is { } invalid) return invalid;
        await using var session = store.LightweightSession(tenantId);
        var escalations = await FindAsync(session, lookup, ct);
        if (escalations.Count == 0) return NoSuchCustomer;

        var ids = escalations.Select(e => e.Id).ToArray();
        var attachments = await session.Query<CustomerAttachment>().Where(a => a.EscalationId.IsOneOf(ids)).ToListAsync(ct);
        var identities = await IdentitiesAsync(session, lookup, escalations, ct);
        var deliveries = await DeliveriesAsync(session, ids, ct);
        var now = clock.GetUtcNow();

        session.Events.Append(Guid.Parse(tenantId), new CustomerDataExported(escalations.Count, IdentifiedBy(lookup), by, now));
        await session.SaveChangesAsync(ct);
        return new CustomerDataExport(
            now,
            [.. escalations],
            [.. attachments.Select(a => new AttachmentRecord(a.Id, a.EscalationId, a.FileName, a.ContentType, a.Content.LongLength, a.ReceivedAt))],
            [.. identities.Select(i => new ChannelIdentity(i.Channel, i.Address, i.LastInboundAt, i.OptedOutAt, i.LastEscalationId))],
            [.. deliveries.Select(d => new WebhookDeliveryRecord(d.Id, d.EndpointId, d.EventType, d.EscalationId, ParseBody(d.Body), d.Status, d.CreatedAt))]);
    }

    public async Task<Outcome<CustomerDataErasure>> EraseAsync(string tenantId, CustomerLookup lookup, Actor by, CancellationToken ct)
    {
        if (Validate(lookup) is { } invalid) return invalid;
        List<Escalation> escalations;
        IReadOnlyList<CustomerChannel> identities;
        await using (var query = store.QuerySession(tenantId))
        {
            escalations = await FindAsync(query, lookup, ct);
            if (escalations.Count == 0) return NoSuchCustomer;
            identities = await IdentitiesAsync(query, lookup, escalations, ct);
        }

        var now = clock.GetUtcNow();
        // The documents are rebuilt last: if anything fails on the way, they still name the customer,
        // so the same request finds the escalations again and finishes the erasure.
        var masked = await EscalationMasking.MaskAsync(store, tenantId, [.. escalations.Select(e => e.Id)], EscalationMasking.BecauseErased, now, ct,
            session =>
            {
                foreach (var identity in identities) session.Delete(identity);
                session.Events.Append(Guid.Parse(tenantId), new CustomerDataErased(escalations.Count, IdentifiedBy(lookup), by, now));
            });
        return new CustomerDataErasure(escalations.Count, masked.AttachmentsDeleted, identities.Count, masked.WebhookDeliveriesMasked, now);
    }

    static Failure.NotFound NoSuchCustomer => new("No escalation of this tenant names a customer with that email, phone or external reference.");

    static Failure.Invalid? Validate(CustomerLookup lookup)
    {
        var errors = new Problems.Errors()
            .Check("email", Blank(lookup.Email) && Blank(lookup.Phone) && Blank(lookup.ExternalRef) ? "Give the customer's email, phone or external reference." : null)
            .Check("email", !Blank(lookup.Email) && !lookup.Email!.Contains('@') ? "An email address has an @." : TooLong(lookup.Email))
            .Check("phone", !Blank(lookup.Phone) && !lookup.Phone!.Trim().Any(char.IsDigit) ? "A phone number has digits." : TooLong(lookup.Phone))
            .Check("external_ref", TooLong(lookup.ExternalRef));
        return errors.Any ? errors.ToFailure() : null;
    }

    static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    static string? TooLong(string? value) => value?.Length > MaxIdentifierLength ? $"At most {MaxIdentifierLength} characters." : null;

    /// <summary>Which kinds of identifier found the customer, for the audit trail (never their values: the trail outlives erasure).</summary>
    static string IdentifiedBy(CustomerLookup lookup) => string.Join(", ", new[]
    {
        Blank(lookup.Email) ? null : "email", Blank(lookup.Phone) ? null : "phone", Blank(lookup.ExternalRef) ? null : "external reference",
    }.OfType<string>());

    static async Task<List<Escalation>> FindAsync(IQuerySession session, CustomerLookup lookup, CancellationToken ct)
    {
        Dictionary<Guid, Escalation> found = [];
        if (!Blank(lookup.Email))
        {
            var email = lookup.Email!.Trim();
            foreach (var escalation in await session.Query<Escalation>().Where(e => e.Customer.Email!.Equals(email, StringComparison.OrdinalIgnoreCase)).ToListAsync(ct))
                found[escalation.Id] = escalation;
        }
        if (!Blank(lookup.Phone))
        {
            var phone = CustomerChannel.Normalize(ChannelKinds.Sms, lookup.Phone)!;
            var whatsapp = "whatsapp:" + phone;
            foreach (var escalation in await session.Query<Escalation>()
                .Where(e => e.Customer.Phone == phone || e.Customer.Whatsapp == phone || e.Customer.Whatsapp == whatsapp).ToListAsync(ct))
                found[escalation.Id] = escalation;
        }
        if (!Blank(lookup.ExternalRef))
        {
            var reference = lookup.ExternalRef!.Trim();
            foreach (var escalation in await session.Query<Escalation>().Where(e => e.ExternalRef == reference).ToListAsync(ct))
                found[escalation.Id] = escalation;
        }
        return [.. found.Values.OrderBy(e => e.CreatedAt)];
    }

    /// <summary>The channels' records of the customer's addresses, and of any address their escalations were last written from.</summary>
    static async Task<IReadOnlyList<CustomerChannel>> IdentitiesAsync(IQuerySession session, CustomerLookup lookup, IReadOnlyList<Escalation> escalations, CancellationToken ct)
    {
        List<(Customer Who, string? ExternalRef)> customers = [.. escalations.Select(e => (e.Customer, e.ExternalRef))];
        customers.Add((new Customer(null, lookup.Email, lookup.Phone, lookup.Phone, null, null), lookup.ExternalRef));
        var addresses = customers
            .SelectMany(c => ChannelKinds.All.Select(channel => CustomerChannel.AddressOf(c.Who, channel, c.ExternalRef)))
            .OfType<string>().Distinct().ToArray();
        var ids = escalations.Select(e => (Guid?)e.Id).ToArray();
        return await session.Query<CustomerChannel>().Where(c => c.Address.IsOneOf(addresses) || c.LastEscalationId.IsOneOf(ids)).ToListAsync(ct);
    }

    internal static async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(IQuerySession session, Guid[] escalationIds, CancellationToken ct)
    {
        var ids = escalationIds.Select(id => (Guid?)id).ToArray();
        return await session.Query<WebhookDelivery>().Where(d => d.EscalationId.IsOneOf(ids)).OrderBy(d => d.CreatedAt).ToListAsync(ct);
    }

    static JsonElement ParseBody(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
