using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Marten.Metadata;

namespace AwaitHuman.Portal.Components.Pages.Console.Escalation;

/// <summary>
/// A reply operators of a tenant reuse. Its text may name variables, filled in when it is inserted:
/// {customer.name}, {customer.email}, {operator.name}, {escalation.reference}.
/// </summary>
public sealed class CannedReply : ITenanted
{
    [JsonIgnore, AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public string Text { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    public const int MaxTitle = 80;

    public string FillIn(Core.Escalations.Escalation escalation, string operatorName) => Text
        .Replace("{customer.name}", escalation.Customer.Name ?? "there", StringComparison.Ordinal)
        .Replace("{customer.email}", escalation.Customer.Email ?? "", StringComparison.Ordinal)
        .Replace("{operator.name}", operatorName, StringComparison.Ordinal)
        .Replace("{escalation.reference}", escalation.ExternalRef ?? escalation.Id.ToString()[..8], StringComparison.Ordinal);
}
