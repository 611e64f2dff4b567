using AwaitHuman.Core.ApiKeys;

namespace AwaitHuman.Core.Tests.ApiKeys;

public class ApiKeyIssuerTests
{
    [Fact]
    public void A_complete_request_passes() =>
        ApiKeyIssuer.Validate(new CreateApiKey("agent", "test", ["escalations:write"])).Any.ShouldBeFalse();

    [Theory]
    [InlineData(null, null, new[] { "escalations:write" })]
    [InlineData("agent", "prod", new[] { "escalations:write" })]
    [InlineData("agent", null, new string[0])]
    [InlineData("agent", null, new[] { "everything" })]
    public void Each_bad_field_is_a_problem(string? name, string? mode, string[] scopes) =>
        ApiKeyIssuer.Validate(new CreateApiKey(name, mode, scopes)).Any.ShouldBeTrue();

    [Fact]
    public void Key_states_follow_their_events()
    {
        var by = AwaitHuman.Core.Security.Actor.Platform("tests");
        var key = ApiKey.Create(new ApiKeyCreated(Guid.CreateVersion7(), "agent", "live", "hash", "ah_live_abcd...", ["escalations:read"], by, DateTimeOffset.UnixEpoch));
        key.IsRevoked.ShouldBeFalse();
        key.Apply(new ApiKeyRevoked(key.Id, "agent", by, DateTimeOffset.UnixEpoch.AddDays(1)));
        key.IsRevoked.ShouldBeTrue();
        ApiKey.LooksLikeOne("ah_test_x").ShouldBeTrue();
        ApiKey.LooksLikeOne("ahp_x").ShouldBeFalse();
    }
}
