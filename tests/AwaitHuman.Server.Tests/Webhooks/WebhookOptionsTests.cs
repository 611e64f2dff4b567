using AwaitHuman.Core.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Server.Tests.Webhooks;

public class WebhookOptionsTests
{
    static WebhookOptions Bound(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddWebhooks(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<WebhookOptions>>().Value;
    }

    [Fact]
    public void By_default_private_networks_are_closed_and_retries_span_just_under_three_days()
    {
        var options = Bound([]);

        options.AllowPrivateNetworks.ShouldBeFalse();
        options.RetryDelays.Length.ShouldBe(10);
        options.RetryDelays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay).ShouldBeInRange(TimeSpan.FromDays(2.9), TimeSpan.FromDays(3));
        options.RetryDelays.ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public void A_configured_retry_schedule_replaces_the_default_one()
    {
        var options = Bound(new()
        {
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetryDelays:0"] = "00:00:01",
            ["Webhooks:RetryDelays:1"] = "00:00:30",
        });

        options.AllowPrivateNetworks.ShouldBeTrue();
        options.RetryDelays.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)]);
    }
}
