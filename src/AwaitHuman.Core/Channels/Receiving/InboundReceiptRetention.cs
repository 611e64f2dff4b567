using AwaitHuman.Core.Retention;
using Marten;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.Channels.Receiving;

/// <summary>Forgets provider receipts after 8 days; providers stop retrying a webhook long before (Twilio and SendGrid within a day or three).</summary>
public sealed class InboundReceiptRetention(IDocumentStore store, TimeProvider clock, ILogger<InboundReceiptRetention> logger)
    : HourlyPurge<InboundReceipt>(store, clock, logger, "received_at")
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(8);

    protected override TimeSpan KeptFor => Kept;
}
