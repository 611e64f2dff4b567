namespace AwaitHuman.Core.Channels.Receiving;

/// <summary>A file a customer sent, kept with the escalation (connectors enforce the size limits before it gets here).</summary>
public sealed class CustomerAttachment
{
    public Guid Id { get; set; }
    public Guid EscalationId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public DateTimeOffset ReceivedAt { get; set; }
}
