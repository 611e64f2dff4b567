using AwaitHuman.Core.Billing.GettingDetails;
using AwaitHuman.Core.Billing.Seats;
using AwaitHuman.Core.Billing.Subscribing;
using AwaitHuman.Core.Billing.Usage;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Billing.Webhooks;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wolverine.Marten;

namespace AwaitHuman.Core.Billing;

public static class BillingConfiguration
{
    public static void ConfigureBilling(this StoreOptions opts)
    {
        opts.Projections.Snapshot<BillingAccount>(SnapshotLifecycle.Inline);
        // Webhooks find the tenant by its Stripe customer.
        opts.Schema.For<BillingAccount>().Index(account => account.StripeCustomerId!);
        opts.Schema.For<StripeEventReceipt>();
        // The usage chart reads a period's handled escalations by day.
        opts.Schema.For<HandledEscalation>().Index(handled => handled.At);
    }

    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidation>();
        services.AddHttpClient(StripeGateway.HttpClientName);
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<BillingDetailsReader>();
        services.AddSingleton<SeatLimits>();
        services.AddSingleton<ISeatCheck>(provider => provider.GetRequiredService<SeatLimits>());
        services.AddScoped<BillingUseCases>();
        services.SubscribeToEventsWithServices<UsageMeterFeed>(ServiceLifetime.Singleton);
        return services;
    }
}

/// <summary>A half-configured billing section stops the server at start with what is missing.</summary>
sealed class BillingOptionsValidation : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options) =>
        options.Problems().ToArray() is { Length: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
