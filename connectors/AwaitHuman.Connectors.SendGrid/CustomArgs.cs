namespace AwaitHuman.Connectors.SendGrid;

/// <summary>The <c>custom_args</c> every email carries; SendGrid echoes them in each Event Webhook event.</summary>
public static class CustomArgs
{
    public const string MessageId = "message_id";
    public const string EscalationId = "escalation_id";
}
