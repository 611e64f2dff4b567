using AwaitHuman.Portal.Components.Pages.Admin;
using MudBlazor.Services;

namespace AwaitHuman.Portal.Components.Tests.Admin;

/// <summary>With no Stripe key the billing page says billing is off and how a platform operator turns it on.</summary>
public sealed class BillingNotConfiguredTests : BunitContext
{
    public BillingNotConfiguredTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void It_says_every_tenant_is_unlimited_and_names_the_settings_and_the_webhook_address()
    {
        var notice = Render<BillingNotConfigured>(parameters => parameters.Add(p => p.WebhookUrl, new Uri("https://console.example.com/webhooks/stripe")));

        notice.Find("h2").TextContent.ShouldBe("Billing is not configured");
        notice.Markup.ShouldContain("every tenant is unlimited");
        var settings = notice.Find("pre").TextContent;
        settings.ShouldContain("Billing__SecretKey=");
        settings.ShouldContain("Billing__WebhookSecret=");
        settings.ShouldContain("Billing__Plans__1__SeatPriceId=");
        notice.FindAll("code").Select(code => code.TextContent).ShouldContain("https://console.example.com/webhooks/stripe");
    }
}
