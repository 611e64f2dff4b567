using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>The filters above the list and the search: each narrows the list to what it names.</summary>
public sealed class InboxFilterTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    /// <summary>Three escalations that differ in everything a filter looks at, seen by a supervisor in Billing.</summary>
    sealed record Arranged(InboxTenant Tenant, TestMember Supervisor, string Refund, string Invoice, string Lawyer, string RefundCustomer, string InvoiceCustomer) : IDisposable
    {
        public void Dispose() => Tenant.Dispose();
    }

    async Task<Arranged> ArrangeAsync()
    {
        var tenant = await InboxTenant.StartAsync(_app);
        var supervisor = await tenant.MemberAsync("supervisor");
        var billing = await tenant.TeamAsync("Billing", [supervisor]);
        await tenant.RoutesAsync(("billing_question", billing, null));
        var refundCustomer = ConsoleScenarios.CustomerName("Ann");
        var invoiceCustomer = ConsoleScenarios.CustomerName("Ben");
        var refund = await tenant.OpenAsync(refundCustomer, r =>
        {
            r["priority"] = "urgent";
            r["customer"]!["preferred_channel"] = "whatsapp";
        });
        var invoice = await tenant.OpenAsync(invoiceCustomer, r =>
        {
            r["priority"] = "low";
            r["reason"] = "billing_question";
            r["summary"] = "Asks for an invoice copy for March.";
            r["customer"]!["preferred_channel"] = "email";
            r["agent"]!["name"] = "billing-bot";
        });
        var lawyer = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Cat"), r =>
        {
            r["priority"] = "high";
            r["reason"] = "legal_threat";
            r["summary"] = "Threatens to call a lawyer over a late parcel.";
            r["customer"]!["preferred_channel"] = "sms";
        });
        await tenant.WhenAsync(invoice, "queued");
        using (var person = _app.CreateHttpClient(supervisor.Token)) await person.ActOkAsync(lawyer, "claim");
        return new Arranged(tenant, supervisor, refund, invoice, lawyer, refundCustomer, invoiceCustomer);
    }

    /// <summary>The All view with no filters, every escalation listed.</summary>
    static async Task StartOverAsync(IPage page, Arranged arranged)
    {
        await ConsolePages.GoToAsync(page, "/?view=all");
        await page.ShowsExactlyAsync(arranged.Refund, arranged.Invoice, arranged.Lawyer);
    }

    /// <summary>
    /// The supervisor's console stays offline (as if they had chosen it before), so routing hands them none
    /// of the arranged work while the filters are checked: opening the console otherwise marks them online.
    /// </summary>
    static async Task<IPage> SignInOfflineAsync(ConsoleBrowser browser, TestMember member)
    {
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync("sessionStorage.setItem('awaithuman.availability', 'offline')");
        await ConsolePages.SignInAsync(page, member.Email, member.Password, null);
        return page;
    }

    static ILocator Filters(IPage page) => page.GetByRole(AriaRole.Region, new() { Name = "Filters" });

    /// <summary>Picks <paramref name="option"/> in the filter labelled <paramref name="label"/> (a MudSelect: a popover list).</summary>
    static async Task ChooseAsync(IPage page, string label, string option)
    {
        await Filters(page).Locator(".mud-input-control.mud-select").Filter(new() { Has = page.Locator("label", new() { HasTextString = label }) }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    [Theory]
    [InlineData("Status", "With a human", "lawyer")]
    [InlineData("Priority", "low", "invoice")]
    [InlineData("Channel", "WhatsApp", "refund")]
    [InlineData("Channel", "Email", "invoice")]
    [InlineData("Team", "Billing", "invoice")]
    public async Task Choosing_a_filter_lists_only_the_escalations_it_names(string filter, string option, string expected)
    {
        using var arranged = await ArrangeAsync();
        await ConsoleBrowser.RunAsync(chromium, _app, $"{nameof(Choosing_a_filter_lists_only_the_escalations_it_names)}-{filter}-{option}", async browser =>
        {
            var page = await SignInOfflineAsync(browser, arranged.Supervisor);
            await StartOverAsync(page, arranged);
            await ChooseAsync(page, filter, option);
            await page.ShowsExactlyAsync(Pick(arranged, expected));
        });
    }

    [Theory]
    [InlineData("Reason", "legal_threat", "lawyer")]
    [InlineData("Agent", "billing-bot", "invoice")]
    [InlineData("Reason", "LEGAL", "lawyer")]
    [InlineData("Agent", "Billing", "invoice")]
    public async Task Typing_a_reason_or_agent_lists_only_its_escalations(string filter, string text, string expected)
    {
        using var arranged = await ArrangeAsync();
        await ConsoleBrowser.RunAsync(chromium, _app, $"{nameof(Typing_a_reason_or_agent_lists_only_its_escalations)}-{filter}-{text}", async browser =>
        {
            var page = await SignInOfflineAsync(browser, arranged.Supervisor);
            await StartOverAsync(page, arranged);
            // Typing is enough: nobody should have to leave the field for the list to follow.
            await Filters(page).GetByLabel(filter, new() { Exact = true }).PressSequentiallyAsync(text);
            await page.ShowsExactlyAsync(Pick(arranged, expected));
        });
    }

    [Fact]
    public async Task Searching_finds_escalations_by_customer_name_or_summary()
    {
        using var arranged = await ArrangeAsync();
        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Searching_finds_escalations_by_customer_name_or_summary), async browser =>
        {
            var page = await SignInOfflineAsync(browser, arranged.Supervisor);
            await StartOverAsync(page, arranged);
            var search = Filters(page).GetByLabel("Search customer or summary");

            await search.PressSequentiallyAsync("invoice");
            await page.ShowsExactlyAsync(arranged.Invoice);
            await Screenshots.KeepAsync(page, "inbox-search");

            // Part of a name, in another case.
            await search.FillAsync(arranged.RefundCustomer[..3].ToLowerInvariant());
            await page.ShowsExactlyAsync(arranged.Refund);

            await search.FillAsync("nobody wrote this");
            await page.ShowsExactlyAsync();
        });
    }

    static string Pick(Arranged arranged, string which) => which switch
    {
        "refund" => arranged.Refund,
        "invoice" => arranged.Invoice,
        "lawyer" => arranged.Lawyer,
        _ => throw new ArgumentOutOfRangeException(nameof(which)),
    };
}
