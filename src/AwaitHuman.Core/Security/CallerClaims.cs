namespace AwaitHuman.Core.Security;

/// <summary>
/// The claims every authenticated caller carries, whichever credential it used. Tenant resolution
/// happens once, in the credential's authentication handler; everything after reads these.
/// </summary>
public static class CallerClaims
{
    /// <summary>The internal tenant id: the Marten and Wolverine tenant id, never shown to callers.</summary>
    public const string TenantId = "tenant_id";
    public const string TenantSlug = "tenant_slug";
    public const string CredentialType = "credential_type";
    public const string CredentialId = "credential_id";
    public const string Scope = "scope";
    public const string Role = "role";
    /// <summary>The person's id, for credentials that act for a person.</summary>
    public const string PersonId = "person_id";
    public const string Name = "name";
    /// <summary>The name a person chose for customers to see; their email when they chose none.</summary>
    public const string DisplayName = "display_name";
}

public static class CredentialTypes
{
    public const string ApiKey = "api_key";
    public const string PersonalAccessToken = "personal_access_token";
    public const string OAuthClient = "oauth_client";
    public const string OAuthUser = "oauth_user";
    public const string Session = "session";
}
