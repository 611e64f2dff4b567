using AwaitHuman.Core.Tenancy;

namespace AwaitHuman.Core.Tests.Tenancy;

public class TenantRulesTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("acme-support")]
    [InlineData("a1b")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij")]
    public void Good_slugs_pass(string slug) => TenantRules.SlugProblem(slug).ShouldBeNull();

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("ab", "3 to 40")]
    [InlineData("Acme", "3 to 40")]
    [InlineData("-acme", "3 to 40")]
    [InlineData("acme-", "3 to 40")]
    [InlineData("ac me", "3 to 40")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijk", "3 to 40")]
    [InlineData("ac--me", "two hyphens")]
    [InlineData("admin", "reserved")]
    [InlineData("signup", "reserved")]
    public void Bad_slugs_say_why(string? slug, string reason) => TenantRules.SlugProblem(slug)!.ShouldContain(reason);

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("A")]
    public void Names_are_required_and_at_least_two_characters(string? name) => TenantRules.NameProblem(name).ShouldNotBeNull();

    [Fact]
    public void The_tenant_follows_its_lifecycle_events()
    {
        var id = Guid.CreateVersion7();
        var by = AwaitHuman.Core.Security.Actor.Platform("tests");
        var now = DateTimeOffset.UnixEpoch;
        var tenant = Tenant.Create(new TenantCreated(id, "Acme", "acme", by, now));
        tenant.Status.ShouldBe(TenantStatus.PendingVerification);

        tenant.Apply(new TenantActivated(id, by, now));
        tenant.Apply(new TenantRenamed(id, "Acme Inc", "acme-inc", by, now));
        tenant.Apply(new TenantSuspended(id, "unpaid", by, now));
        tenant.Status.ShouldBe(TenantStatus.Suspended);
        tenant.SuspensionReason.ShouldBe("unpaid");
        tenant.Slug.ShouldBe("acme-inc");

        tenant.Apply(new TenantReactivated(id, by, now));
        tenant.Status.ShouldBe(TenantStatus.Active);
        tenant.SuspensionReason.ShouldBeNull();
        tenant.Id.ShouldBe(id);
    }
}
