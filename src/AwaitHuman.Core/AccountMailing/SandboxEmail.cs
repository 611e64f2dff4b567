namespace AwaitHuman.Core.AccountMailing;

/// <summary>
/// An email the platform sent while no email provider is configured (the sandbox). Newcomers read
/// them at <c>/sandbox/emails</c>; tests read them the same way. Platform-wide, not a tenant's.
/// </summary>
public sealed class SandboxEmail
{
    public Guid Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Text { get; set; } = "";
    /// <summary>A machine-readable purpose, e.g. <c>verify_email</c>, <c>reset_password</c>, <c>invitation</c>.</summary>
    public string Purpose { get; set; } = "";
    /// <summary>The code the mail carries, for the sandbox page's convenience.</summary>
    public string? Code { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
