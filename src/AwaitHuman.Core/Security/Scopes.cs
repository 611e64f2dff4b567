namespace AwaitHuman.Core.Security;

/// <summary>What a credential may do. API keys and OAuth clients carry scopes directly; people get them from their role.</summary>
public static class Scopes
{
    public const string EscalationsWrite = "escalations:write";
    public const string EscalationsRead = "escalations:read";
    public const string WebhooksManage = "webhooks:manage";
    public const string ApiKeysManage = "api_keys:manage";
    public const string OAuthClientsManage = "oauth_clients:manage";
    public const string MembersRead = "members:read";
    public const string MembersManage = "members:manage";
    public const string AuditRead = "audit:read";
    public const string TenantManage = "tenant:manage";
    public const string ChannelsManage = "channels:manage";
    public const string TeamsRead = "teams:read";
    public const string TeamsManage = "teams:manage";
    /// <summary>Routing rules and SLA policies: how work reaches people and how fast it must be answered.</summary>
    public const string RoutingRead = "routing:read";
    public const string RoutingManage = "routing:manage";
    /// <summary>Export everything stored about one customer.</summary>
    public const string CustomerDataRead = "customer_data:read";
    /// <summary>Erase one customer's personal data and set how long transcripts are kept.</summary>
    public const string CustomerDataErase = "customer_data:erase";
    public const string CannedRepliesManage = "canned_replies:manage";

    public static readonly IReadOnlyList<string> All =
    [
        EscalationsWrite, EscalationsRead, WebhooksManage, ApiKeysManage, OAuthClientsManage,
        MembersRead, MembersManage, AuditRead, TenantManage, ChannelsManage,
        TeamsRead, TeamsManage, RoutingRead, RoutingManage,
        CustomerDataRead, CustomerDataErase, CannedRepliesManage,
    ];

    public static bool IsKnown(string scope) => All.Contains(scope);
}
