using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Escalations;
using Marten;
using Marten.Metadata;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;

namespace AwaitHuman.Core.CannedReplies;

/// <summary>
/// A reply operators reuse, for every operator of the tenant or for one team's. Its text may name
/// variables (<see cref="CannedReplyVariables"/>), filled in when an operator inserts it.
/// </summary>
public sealed class CannedReply : ITenanted
{
    /// <summary>The <see cref="Scope"/> of a reply every operator of the tenant uses.</summary>
    public const string TenantWide = "tenant";

    [JsonIgnore, AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public string Title { get; set; } = "";

    /// <summary>What operators type to find it, unique within its scope; empty on replies saved before shortcuts existed.</summary>
    public string Shortcut { get; set; } = "";

    public string Text { get; set; } = "";

    /// <summary>The team whose operators use it; null for the whole tenant.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>
    /// The team's id or <see cref="TenantWide"/>: the shortcut's unique index is on (scope, shortcut),
    /// and a null team id would never clash with another null in PostgreSQL.
    /// </summary>
    public string Scope { get; set; } = TenantWide;

    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public static string ScopeOf(Guid? teamId) => teamId?.ToString() ?? TenantWide;

    /// <summary>The text with the escalation's and the operator's values in place of its variables.</summary>
    public string FillIn(Escalation escalation, string operatorName) => CannedReplyVariables.FillIn(Text, CannedReplyVariables.ValuesOf(escalation, operatorName));
}

/// <summary>A variable a canned reply's text may name, what it becomes and an example for previews.</summary>
public sealed record CannedReplyVariable(string Token, string Meaning, string Example);

public static partial class CannedReplyVariables
{
    public static readonly IReadOnlyList<CannedReplyVariable> All =
    [
        new("{customer.name}", "The customer's name, or \"there\" when the agent did not give one", "Ada Lovelace"),
        new("{customer.email}", "The customer's email address, or nothing", "ada@example.com"),
        new("{operator.name}", "The operator's name as customers see it", "Sam Rivera"),
        new("{escalation.reference}", "The agent's reference for the conversation, or the escalation id's first 8 characters", "conv_8f3a2c"),
    ];

    /// <summary>Anything in braces that looks like a variable: lowercase words joined by dots.</summary>
    [GeneratedRegex(@"\{[a-z_]+(?:\.[a-z_]+)*\}")]
    private static partial Regex VariablePattern();

    public static IReadOnlyDictionary<string, string> ValuesOf(Escalation escalation, string operatorName) => new Dictionary<string, string>
    {
        ["{customer.name}"] = escalation.Customer.Name ?? "there",
        ["{customer.email}"] = escalation.Customer.Email ?? "",
        ["{operator.name}"] = operatorName,
        ["{escalation.reference}"] = escalation.ExternalRef ?? escalation.Id.ToString()[..8],
    };

    public static IReadOnlyDictionary<string, string> Examples { get; } = All.ToDictionary(v => v.Token, v => v.Example);

    /// <summary>Replaces each known variable in one pass, so a value that itself looks like a variable stays as it is.</summary>
    public static string FillIn(string text, IReadOnlyDictionary<string, string> values) =>
        VariablePattern().Replace(text, match => values.TryGetValue(match.Value, out var value) ? value : match.Value);

    /// <summary>The variables named in the text that are not known, in order of appearance.</summary>
    public static IReadOnlyList<string> UnknownIn(string text) =>
        VariablePattern().Matches(text).Select(m => m.Value).Where(token => !Examples.ContainsKey(token)).Distinct().ToArray();
}

public static class CannedRepliesConfiguration
{
    public static void ConfigureCannedReplies(this StoreOptions opts) =>
        opts.Schema.For<CannedReply>()
            .UniqueIndex(UniqueIndexType.Computed, "uidx_canned_reply_shortcut", TenancyScope.PerTenant, reply => reply.Scope, reply => reply.Shortcut);
}
