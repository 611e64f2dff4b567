using AwaitHuman.Core.Security;

namespace AwaitHuman.Core.Tests.Security;

public class RolesTests
{
    [Theory]
    [InlineData(Roles.Owner, Roles.Admin, true)]
    [InlineData(Roles.Admin, Roles.Admin, true)]
    [InlineData(Roles.Supervisor, Roles.Admin, false)]
    [InlineData(Roles.Operator, Roles.Supervisor, false)]
    [InlineData(null, Roles.Operator, false)]
    public void Each_role_includes_the_roles_below_it(string? role, string minimum, bool expected) =>
        Roles.IsAtLeast(role, minimum).ShouldBe(expected);

    [Fact]
    public void Higher_roles_hold_every_scope_of_lower_roles()
    {
        for (var i = 1; i < Roles.All.Count; i++)
            Roles.ScopesOf(Roles.All[i]).ShouldBeSubsetOf(Roles.ScopesOf(Roles.All[i - 1]));
    }

    [Fact]
    public void Only_owners_manage_the_tenant_and_operators_only_work_escalations()
    {
        Roles.ScopesOf(Roles.Owner).ShouldBe(Scopes.All);
        Roles.ScopesOf(Roles.Admin).ShouldNotContain(Scopes.TenantManage);
        Roles.ScopesOf(Roles.Operator).ShouldBe([Scopes.EscalationsRead, Scopes.EscalationsWrite, Scopes.TeamsRead, Scopes.RoutingRead], ignoreOrder: true);
        Roles.LowestHolding(Scopes.TeamsManage).ShouldBe(Roles.Admin);
        Roles.LowestHolding(Scopes.TenantManage).ShouldBe(Roles.Owner);
        Roles.LowestHolding(Scopes.RoutingRead).ShouldBe(Roles.Operator);
        Roles.ScopesOf("king").ShouldBeEmpty();
    }
}
