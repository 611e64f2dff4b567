using System.Security.Claims;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;

namespace AwaitHuman.Core.Tests.Security;

public class CallerTests
{
    [Fact]
    public void Every_credential_ends_in_the_same_claims_and_the_caller_reads_them_back()
    {
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Slug = "acme" };
        var person = Guid.CreateVersion7();

        var principal = CallerPrincipal.Create("test", tenant, CredentialTypes.PersonalAccessToken, "token-1", Roles.ScopesOf(Roles.Supervisor), Roles.Supervisor, person, "sam@acme.test");
        var caller = Caller.From(principal)!;

        caller.TenantId.ShouldBe(tenant.Id.ToString());
        caller.TenantSlug.ShouldBe("acme");
        caller.CredentialType.ShouldBe(CredentialTypes.PersonalAccessToken);
        caller.Role.ShouldBe(Roles.Supervisor);
        caller.PersonId.ShouldBe(person);
        caller.Has(Scopes.AuditRead).ShouldBeTrue();
        caller.Has(Scopes.ApiKeysManage).ShouldBeFalse();
    }

    [Fact]
    public void A_principal_without_a_tenant_is_no_caller() =>
        Caller.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerClaims.Scope, Scopes.EscalationsRead)], "test"))).ShouldBeNull();

    [Fact]
    public void Space_separated_scopes_count_one_by_one()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(CallerClaims.TenantId, Guid.NewGuid().ToString()), new Claim(CallerClaims.Scope, "escalations:read escalations:write")], "test"));
        Caller.From(principal)!.Scopes.ShouldBe([Scopes.EscalationsRead, Scopes.EscalationsWrite]);
    }
}
