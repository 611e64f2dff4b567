namespace AwaitHuman.Core.SingleSignOn;

/// <summary>
/// Why a single sign-on was refused, as a code the sign-in page turns into a sentence. Only codes travel
/// in the address, so nobody can make the page say a text of their own; the details go to the log.
/// </summary>
public static class SsoRefusals
{
    public const string NotConfigured = "not_configured";
    public const string WrongIssuer = "wrong_issuer";
    public const string WrongAudience = "wrong_audience";
    public const string Expired = "expired";
    public const string OutsideDomains = "outside_domains";
    public const string NoEmail = "no_email";
    public const string UnverifiedEmail = "unverified_email";
    public const string OtherTenant = "other_tenant";
    public const string Stale = "stale";
    public const string ProviderRefused = "provider_refused";
    public const string ExistingAccount = "existing_account";
    public const string NoSeat = "no_seat";
    public const string Failed = "failed";

    public static string? Describe(string? code) => code switch
    {
        null or "" => null,
        NotConfigured => "This company does not sign in with single sign-on. Sign in with your password.",
        NoSeat => "Single sign-on refused: every seat of this company's plan is taken. Ask your administrator to add seats or free one.",
        WrongIssuer => "Single sign-on refused: the identity provider's token names another issuer than the one this company configured. Ask your administrator to check the issuer in the SSO settings.",
        WrongAudience => "Single sign-on refused: the identity provider's token was issued for another application (audience) than this company's client id. Ask your administrator to check the client id.",
        Expired => "Single sign-on refused: the identity provider's token has expired. Sign in again; if it keeps happening, the identity provider's clock is wrong.",
        OutsideDomains => "Single sign-on refused: your email address is not in a domain this company's single sign-on covers.",
        NoEmail => "Single sign-on refused: the identity provider did not say your email address (it needs the 'email' scope).",
        UnverifiedEmail => "Single sign-on refused: the identity provider has not verified your email address.",
        OtherTenant => "Single sign-on refused: this answer was not started for this company (it belongs to another company's sign-in). Start again from the sign-in page.",
        Stale => "Single sign-on took too long or was started in another browser. Start again from the sign-in page.",
        ProviderRefused => "Your identity provider did not sign you in.",
        ExistingAccount => "An AwaitHuman account with your email address exists but is not a member of this company. Ask an admin of the company to invite you.",
        _ => "Single sign-on failed: the identity provider's answer could not be used. Try again, or ask your administrator.",
    };
}
