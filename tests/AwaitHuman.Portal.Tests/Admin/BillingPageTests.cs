using System.Net;
using System.Text;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Wolverine.Tracking;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The owner's billing page: plan and seats, Checkout and the Customer Portal on (fake) Stripe, the paid plan after Stripe's webhook.</summary>
public sealed class BillingPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task An_owner_goes_through_checkout_to_the_paid_plan_and_opens_the_customer_portal()
    {
        var tenant = await _app.NewTenantAsync();
        await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_owner_goes_through_checkout_to_the_paid_plan_and_opens_the_customer_portal), async browser =>
        {
            var page = await browser.NewPageAsync();
            await ConsolePages.SignInAsync(page, tenant.OwnerEmail, tenant.OwnerPassword);
            await page.GetByRole(AriaRole.Link, new() { Name = "Billing" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByLabel("Current plan")).ToHaveTextAsync("Free");
            await Expect(page.GetByLabel("Seats in use")).ToHaveTextAsync("2 of 25 used");
            await Screenshots.KeepAsync(page, "billing-free");
            await page.SetViewportSizeAsync(390, 844);
            await ConsolePages.GoToAsync(page, "/admin/billing");
            await Expect(page.GetByLabel("Current plan")).ToHaveTextAsync("Free");
            (await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
                    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
                """)).ShouldBeEmpty("nothing reaches past a 390 px screen");
            await Screenshots.KeepAsync(page, "billing-free-390");
            await page.SetViewportSizeAsync(1440, 900);

            await page.GetByRole(AriaRole.Spinbutton, new() { Name = "Seats" }).FillAsync("1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue to checkout" }).ClickAsync();
            await Expect(page.GetByText("The tenant has 2 members")).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Spinbutton, new() { Name = "Seats" }).FillAsync("4");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue to checkout" }).ClickAsync();
            // The process's first Stripe.net call builds its serializers: slow on a busy machine.
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stripe Checkout (fake)" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
            var sessionId = new Uri(page.Url).Segments[^1];

            // The customer pays; Stripe calls the webhook; Stripe sends the browser back.
            StripeApiFake.Shared.CompleteCheckout(sessionId);
            var payload = StripeApiFake.Event("checkout.session.completed", StripeApiFake.Shared.CheckoutSession(sessionId)!);
            using (var stripe = _app.CreateHttpClient())
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") })
            {
                request.Headers.Add("Stripe-Signature", StripeWebhookSigner.Sign(payload, StripeApiFake.WebhookSecret, DateTimeOffset.UtcNow));
                await _app.Host.TrackActivity(TimeSpan.FromSeconds(30)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
                {
                    using var response = await stripe.SendAsync(request, TestContext.Current.CancellationToken);
                    response.StatusCode.ShouldBe(HttpStatusCode.OK);
                }));
            }
            await ConsolePages.GoToAsync(page, "/admin/billing?checkout=done");
            await Expect(page.GetByLabel("Current plan")).ToHaveTextAsync("Team");
            await Expect(page.GetByLabel("Seats in use")).ToHaveTextAsync("2 of 4 used");
            await Expect(page.GetByLabel("Subscription")).ToContainTextAsync("Active, renews on");
            await Screenshots.KeepAsync(page, "billing-team");

            await ConsolePages.WaitUntilInteractiveAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the customer portal" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stripe Customer Portal (fake)" })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task An_admin_who_is_not_the_owner_gets_no_billing()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_who_is_not_the_owner_gets_no_billing), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Billing" })).ToHaveCountAsync(0);

            await page.GotoAsync("/admin/billing");

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        });
    }
}
