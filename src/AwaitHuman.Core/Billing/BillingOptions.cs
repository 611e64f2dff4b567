namespace AwaitHuman.Core.Billing;

/// <summary>
/// A plan the platform sells, as its operator configures it. A plan without a seat price is free: it
/// needs no card and no Stripe subscription.
/// </summary>
public sealed class BillingPlan
{
    /// <summary>The plan's stable key, as the API and the configuration name it (<c>free</c>, <c>team</c>).</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public int IncludedSeats { get; set; }
    /// <summary>Handled escalations a month that cost nothing beyond the seats.</summary>
    public int IncludedEscalations { get; set; }
    /// <summary>The Stripe price billed per seat (licensed, quantity = seats); null for a free plan.</summary>
    public string? SeatPriceId { get; set; }
    /// <summary>The Stripe metered price billed per handled escalation, from the billing meter's events.</summary>
    public string? MeteredPriceId { get; set; }

    public bool IsPaid => !string.IsNullOrWhiteSpace(SeatPriceId);
}

/// <summary>
/// The <c>Billing</c> section. With no <see cref="SecretKey"/> (the embedded default) billing is off:
/// every tenant is unlimited and the billing page says how to turn it on.
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Stripe's secret key (<c>sk_live_...</c>, <c>sk_test_...</c>) or a restricted key (<c>rk_...</c>).</summary>
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_...</c>) Stripe calls at <c>/webhooks/stripe</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where Stripe's API is; only tests point it elsewhere (a loopback fake).</summary>
    public Uri ApiBase { get; set; } = new("https://api.stripe.com");

    /// <summary>How old a webhook's signed timestamp may be; Stripe's libraries default to five minutes.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The billing meter's event name (Stripe dashboard, Billing, Meters) that counts handled escalations.</summary>
    public string MeterEventName { get; set; } = "handled_escalation";

    /// <summary>The plan a new tenant starts on.</summary>
    public string DefaultPlan { get; set; } = "free";

    public List<BillingPlan> Plans { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);

    public BillingPlan? Plan(string? id) => Plans.FirstOrDefault(plan => string.Equals(plan.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The plan a Stripe subscription is on, known by its seat price.</summary>
    public BillingPlan? PlanOfSeatPrice(string? priceId) =>
        priceId is null ? null : Plans.FirstOrDefault(plan => plan.SeatPriceId == priceId);

    /// <summary>What is wrong with the section, or nothing; checked when the server starts.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(WebhookSecret)) yield return "Billing:WebhookSecret is required when Billing:SecretKey is set.";
        if (Plans.Count == 0) yield return "Billing:Plans needs at least one plan when Billing:SecretKey is set.";
        if (Plan(DefaultPlan) is null) yield return $"Billing:DefaultPlan '{DefaultPlan}' is not one of Billing:Plans.";
        foreach (var duplicate in Plans.GroupBy(plan => plan.Id, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
            yield return $"Billing:Plans names '{duplicate.Key}' more than once.";
        foreach (var plan in Plans)
        {
            if (string.IsNullOrWhiteSpace(plan.Id)) yield return "Every plan in Billing:Plans needs an Id.";
            if (plan.IncludedSeats < 1) yield return $"Plan '{plan.Id}' needs IncludedSeats of at least 1.";
            if (plan.IncludedEscalations < 0) yield return $"Plan '{plan.Id}' has negative IncludedEscalations.";
            if (plan.IsPaid && string.IsNullOrWhiteSpace(plan.MeteredPriceId)) yield return $"Plan '{plan.Id}' has a seat price but no MeteredPriceId.";
        }
    }
}
