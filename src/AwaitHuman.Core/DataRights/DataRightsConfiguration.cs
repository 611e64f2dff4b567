using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Core.DataRights;

public static class DataRightsConfiguration
{
    public static void ConfigureDataRights(this StoreOptions opts)
    {
        opts.ConfigureCustomerDataMasking();
        opts.Schema.For<MaskedEscalation>();
    }

    public static IServiceCollection AddDataRights(this IServiceCollection services)
    {
        services.AddScoped<CustomerDataRights>();
        services.AddSingleton<TranscriptRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<TranscriptRetention>());
        return services;
    }
}
