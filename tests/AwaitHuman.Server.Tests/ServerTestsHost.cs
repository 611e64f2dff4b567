using AwaitHuman.Connectors;
using AwaitHuman.Connectors.SendGrid;
using AwaitHuman.Connectors.Twilio;
using AwaitHuman.Core.Billing;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Webhooks;
using AwaitHuman.Server.Tests;
using AwaitHuman.Server.Tests.Channels;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

[assembly: AssemblyFixture(typeof(ServerTestsHost))]

namespace AwaitHuman.Server.Tests;

/// <summary>The host these tests share; it also runs the handlers declared in this assembly.</summary>
public sealed class ServerTestsHost : AwaitHumanHost
{
    /// <summary>Two quick retries instead of three days' worth: three attempts per delivery.</summary>
    public static readonly TimeSpan[] WebhookRetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];

    /// <summary>Sends are retried twice, quickly.</summary>
    public static readonly TimeSpan[] ChannelRetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        DurableTimers.PollPromptly(services);
        services.PostConfigure<WebhookOptions>(options => options.RetryDelays = WebhookRetryDelays);
        services.PostConfigure<ChannelOptions>(options => options.RetryDelays = ChannelRetryDelays);
        services.AddSingleton<IChannelConnector, ScriptedConnector>();
        services.PostConfigure<SendGridOptions>(options => options.ApiBaseUrl = FakeSendGrid.Shared.Url);
        services.PostConfigure<TwilioOptions>(options => options.ApiBaseUrl = TwilioApiFake.Shared.BaseUrl);
        services.PostConfigure<BillingOptions>(StripeApiFake.Shared.Configure);
    }
}
