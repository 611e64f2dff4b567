using AwaitHuman.Connectors.Twilio;
using AwaitHuman.Core.Billing;
using AwaitHuman.Core.Webhooks;
using AwaitHuman.Portal.Tests;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

[assembly: AssemblyFixture(typeof(PortalTestsHost))]
[assembly: AssemblyFixture(typeof(Chromium))]

namespace AwaitHuman.Portal.Tests;

/// <summary>
/// The console's end-to-end tests: the real server in-process on loopback, driven in Debian's
/// Chromium (headless) the way operators use it. Each test works in tenants of its own.
/// Screenshots of each main screen are kept on success too, in <c>TestResults/screenshots/portal/</c>
/// at the repository root (<see cref="Screenshots"/>), beside the run's .trx files; a failing test
/// adds one of every page it had open, named <c>&lt;test&gt;-failed-&lt;n&gt;.png</c>.
/// </summary>
public sealed class PortalTestsHost : AwaitHumanHost
{
    /// <summary>Two quick retries instead of three days' worth.</summary>
    static readonly TimeSpan[] WebhookRetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];

    // Auto-waiting assertions give the live console this long to show a change.
    public PortalTestsHost() => SetDefaultExpectTimeout(10_000);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.PostConfigure<WebhookOptions>(options => options.RetryDelays = WebhookRetryDelays);
        services.PostConfigure<BillingOptions>(StripeApiFake.Shared.Configure);
        // The channels page connects Twilio accounts; their sends go to the loopback fake, which checks the wire format.
        // Started with the host rather than by the first send, so no page waits for WireMock to start.
        var twilio = TwilioApiFake.Shared;
        services.PostConfigure<TwilioOptions>(options => options.ApiBaseUrl = twilio.BaseUrl);
    }
}
