using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Billing;
using AwaitHuman.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Testing.Fakes;

/// <summary>A request as the fake Stripe received it, and the status it answered.</summary>
public sealed record StripeRequest(
    string Method, string Path, string? Authorization, string? StripeVersion, string? IdempotencyKey, string? ContentType,
    IReadOnlyDictionary<string, string> Form, int Status, bool Replayed)
{
    public string? Field(string name) => Form.GetValueOrDefault(name);
}

/// <summary>
/// Stripe's API on 127.0.0.1 (WireMock), the parts billing uses: customers, Checkout Sessions,
/// Customer Portal sessions and subscriptions, plus the hosted Checkout and Portal pages a browser
/// lands on. It answers only what Stripe would take from Stripe.net: the secret key as a bearer,
/// the <c>Stripe-Version</c> Stripe.net pins, a form-encoded body; and, beyond Stripe, it insists on
/// an <c>Idempotency-Key</c> on every create, because we promise one. A key used again with the
/// same body replays the first answer (<c>Idempotent-Replayed: true</c>); with another body it is
/// Stripe's 400 <c>idempotency_error</c>. Objects are shaped as the API version has them.
/// </summary>
public sealed partial class StripeApiFake : IDisposable
{
    static readonly Lazy<StripeApiFake> SharedFake = new(() => new StripeApiFake());

    public static StripeApiFake Shared => SharedFake.Value;

    public const string SecretKey = "sk_test_51AwaitHumanFakeKey0000000000000000";
    public const string WebhookSecret = "whsec_awaithumanfakewebhooksecret000000";

    /// <summary>The prices the fake knows: each plan's seat price (licensed) and metered price.</summary>
    public static readonly IReadOnlyList<BillingPlan> Plans =
    [
        // Seats to spare: the tests that add people are not held back by billing; the seat limit is tested on a paid plan.
        new() { Id = "free", Name = "Free", IncludedSeats = 25, IncludedEscalations = 100 },
        new() { Id = "team", Name = "Team", IncludedSeats = 5, IncludedEscalations = 1000, SeatPriceId = "price_team_seat", MeteredPriceId = "price_team_escalation" },
        new() { Id = "business", Name = "Business", IncludedSeats = 20, IncludedEscalations = 10000, SeatPriceId = "price_business_seat", MeteredPriceId = "price_business_escalation" },
    ];

    readonly WireMockServer _server;
    readonly ConcurrentQueue<StripeRequest> _received = new();
    readonly ConcurrentDictionary<string, (string Body, int Status, string Answer)> _idempotency = new();
    readonly ConcurrentDictionary<string, JsonObject> _customers = new();
    readonly ConcurrentDictionary<string, JsonObject> _sessions = new();
    readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new();
    readonly Dictionary<string, JsonObject> _meterEvents = new();
    readonly Lock _lock = new();

    public StripeApiFake()
    {
        var port = LoopbackPort.Free();
        _server = WireMockServer.Start($"http://127.0.0.1:{port}");
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(Answer));
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseUrl { get; }

    /// <summary>Billing as the shared test hosts configure it: on, against this fake.</summary>
    public void Configure(BillingOptions options)
    {
        options.SecretKey = SecretKey;
        options.WebhookSecret = WebhookSecret;
        options.ApiBase = BaseUrl;
        options.DefaultPlan = "free";
        options.Plans = [.. Plans.Select(plan => new BillingPlan
        {
            Id = plan.Id, Name = plan.Name, IncludedSeats = plan.IncludedSeats, IncludedEscalations = plan.IncludedEscalations,
            SeatPriceId = plan.SeatPriceId, MeteredPriceId = plan.MeteredPriceId,
        })];
    }

    public IReadOnlyList<StripeRequest> Received => [.. _received];

    public IReadOnlyList<StripeRequest> ReceivedFor(string path) => [.. _received.Where(request => request.Path == path)];

    public JsonObject? Customer(string id) => _customers.TryGetValue(id, out var customer) ? customer : null;

    /// <summary>The Checkout Session as Stripe shows it (in answers and events); null when the fake made none with that id.</summary>
    public JsonObject? CheckoutSession(string id) => _sessions.TryGetValue(id, out var session) ? JsonNode.Parse(Public(session))!.AsObject() : null;

    /// <summary>The line items the session was created with, as the fake kept them.</summary>
    public JsonArray? CheckoutLineItems(string id) => _sessions.TryGetValue(id, out var session) ? session["line_items"]!.DeepClone().AsArray() : null;

    /// <summary>The customer whose metadata names <paramref name="tenantId"/>.</summary>
    public IReadOnlyList<JsonObject> CustomersOf(string tenantId) =>
        [.. _customers.Values.Where(customer => customer["metadata"]?[StripeGateway.TenantMetadataKey]?.GetValue<string>() == tenantId)];

    /// <summary>The meter events Stripe kept for a customer (one per identifier).</summary>
    public IReadOnlyList<JsonObject> MeterEventsOf(string customerId)
    {
        lock (_lock) return [.. _meterEvents.Values.Where(e => e["payload"]!["stripe_customer_id"]!.GetValue<string>() == customerId).Select(e => e.DeepClone().AsObject())];
    }

    public JsonObject? Subscription(string id) => _subscriptions.TryGetValue(id, out var subscription) ? subscription : null;

    /// <summary>The customer pays on the Checkout page: the session completes and its subscription exists, active.</summary>
    public string CompleteCheckout(string sessionId)
    {
        lock (_lock)
        {
            var session = _sessions[sessionId];
            var subscriptionId = NewId("sub");
            var now = DateTimeOffset.UtcNow;
            var items = new JsonArray();
            foreach (var line in session["line_items"]!.AsArray())
            {
                var price = line!["price"]!.GetValue<string>();
                var metered = Plans.Any(plan => plan.MeteredPriceId == price);
                var item = new JsonObject
                {
                    ["id"] = NewId("si"), ["object"] = "subscription_item", ["created"] = now.ToUnixTimeSeconds(), ["subscription"] = subscriptionId,
                    ["current_period_start"] = now.ToUnixTimeSeconds(), ["current_period_end"] = now.AddMonths(1).ToUnixTimeSeconds(), ["metadata"] = new JsonObject(),
                    ["price"] = new JsonObject
                    {
                        ["id"] = price, ["object"] = "price", ["active"] = true, ["currency"] = "usd", ["type"] = "recurring",
                        ["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = metered ? "metered" : "licensed" },
                    },
                };
                if (!metered) item["quantity"] = line["quantity"]!.GetValue<long>();
                items.Add(item);
            }
            _subscriptions[subscriptionId] = new JsonObject
            {
                ["id"] = subscriptionId, ["object"] = "subscription", ["customer"] = session["customer"]!.GetValue<string>(), ["status"] = "active",
                ["cancel_at_period_end"] = false, ["created"] = now.ToUnixTimeSeconds(), ["start_date"] = now.ToUnixTimeSeconds(), ["currency"] = "usd",
                ["livemode"] = false, ["collection_method"] = "charge_automatically", ["metadata"] = session["subscription_metadata"]!.DeepClone(),
                ["items"] = new JsonObject { ["object"] = "list", ["data"] = items, ["has_more"] = false, ["url"] = $"/v1/subscription_items?subscription={subscriptionId}" },
            };
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["subscription"] = subscriptionId;
            return subscriptionId;
        }
    }

    /// <summary>Stripe changes the subscription (a failed renewal, a portal change, a cancellation).</summary>
    public void ChangeSubscription(string id, string? status = null, long? seats = null, bool? cancelAtPeriodEnd = null)
    {
        lock (_lock)
        {
            var subscription = _subscriptions[id];
            if (status is not null) subscription["status"] = status;
            if (status == "canceled") subscription["ended_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (cancelAtPeriodEnd is { } cancel) subscription["cancel_at_period_end"] = cancel;
            if (seats is { } quantity)
                foreach (var item in subscription["items"]!["data"]!.AsArray().Where(item => item!["quantity"] is not null))
                    item!["quantity"] = quantity;
        }
    }

    /// <summary>An event as Stripe sends it to a webhook endpoint, about <paramref name="data"/>.</summary>
    public static string Event(string type, JsonObject data, string? id = null, DateTimeOffset? created = null) => new JsonObject
    {
        ["id"] = id ?? NewId("evt"), ["object"] = "event", ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
        ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), ["livemode"] = false, ["pending_webhooks"] = 1, ["type"] = type,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["data"] = new JsonObject { ["object"] = data.DeepClone() },
    }.ToJsonString();

    /// <summary>An invoice of the subscription, as invoice.paid and invoice.payment_failed carry it.</summary>
    public JsonObject Invoice(string subscriptionId, string status, long amount = 4500)
    {
        var subscription = _subscriptions[subscriptionId];
        var id = NewId("in");
        return new JsonObject
        {
            ["id"] = id, ["object"] = "invoice", ["customer"] = subscription["customer"]!.GetValue<string>(), ["status"] = status,
            ["amount_due"] = amount, ["amount_paid"] = status == "paid" ? amount : 0, ["amount_remaining"] = status == "paid" ? 0 : amount,
            ["currency"] = "usd", ["livemode"] = false, ["attempt_count"] = 1, ["attempted"] = true, ["billing_reason"] = "subscription_cycle",
            ["hosted_invoice_url"] = $"{BaseUrl}invoices/{id}", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["next_payment_attempt"] = status == "paid" ? null : DateTimeOffset.UtcNow.AddDays(3).ToUnixTimeSeconds(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details", ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["subscription"] = subscriptionId, ["metadata"] = new JsonObject() },
            },
        };
    }

    static string NewId(string prefix) => $"{prefix}_{(prefix == "cs" ? "test_" : "")}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";

    [GeneratedRegex("^/v1/subscriptions/([A-Za-z0-9_]+)$")]
    private static partial Regex SubscriptionPath();

    [GeneratedRegex("^/(checkout|portal)/([A-Za-z0-9_]+)$")]
    private static partial Regex HostedPage();

    IResponseMessage Answer(IRequestMessage request)
    {
        string? Header(string name) => request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();

        if (request.Method == "GET" && HostedPage().Match(request.Path) is { Success: true } page)
            return HostedPageAnswer(page.Groups[1].Value, page.Groups[2].Value);

        var contentType = Header("Content-Type");
        var isForm = contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        var body = request.Body ?? "";
        var form = isForm ? new FormReader(body).ReadForm().ToDictionary(field => field.Key, field => field.Value.ToString()) : [];
        var key = Header("Idempotency-Key");

        (int Status, string Answer, bool Replayed) result;
        if (Header("Authorization") != $"Bearer {SecretKey}")
            result = (401, Error("invalid_request_error", null, "Invalid API Key provided."), false);
        else if (Header("Stripe-Version") != Stripe.StripeConfiguration.ApiVersion)
            result = (400, Error("invalid_request_error", null, $"Stripe-Version must be {Stripe.StripeConfiguration.ApiVersion}, as Stripe.net pins it."), false);
        else if (request.Method == "POST" && !isForm)
            result = (400, Error("invalid_request_error", null, "Stripe takes application/x-www-form-urlencoded bodies."), false);
        else if (request.Method == "POST" && string.IsNullOrEmpty(key))
            result = (400, Error("invalid_request_error", null, "This fake insists on an Idempotency-Key on every create."), false);
        else if (request.Method == "POST" && _idempotency.TryGetValue(key!, out var earlier))
            result = earlier.Body == body
                ? (earlier.Status, earlier.Answer, true)
                : (400, Error("idempotency_error", null, $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."), false);
        else
        {
            lock (_lock) result = Handle(request.Method, request.Path, form);
            if (request.Method == "POST") _idempotency.TryAdd(key!, (body, result.Status, result.Answer));
        }

        _received.Enqueue(new StripeRequest(request.Method, request.Path, Header("Authorization"), Header("Stripe-Version"), key, contentType, form, result.Status, result.Replayed));
        var headers = new Dictionary<string, WireMockList<string>>
        {
            ["Content-Type"] = new("application/json"),
            ["Request-Id"] = new(NewId("req")),
        };
        if (result.Replayed) headers["Idempotent-Replayed"] = new("true");
        return new ResponseMessage { StatusCode = result.Status, Headers = headers, BodyData = new BodyData { BodyAsString = result.Answer, DetectedBodyType = BodyType.String } };
    }

    (int Status, string Answer, bool Replayed) Handle(string method, string path, Dictionary<string, string> form)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (method, path)
        {
            case ("POST", "/v1/customers"):
            {
                var id = NewId("cus");
                var customer = new JsonObject
                {
                    ["id"] = id, ["object"] = "customer", ["created"] = now, ["livemode"] = false, ["name"] = form.GetValueOrDefault("name"),
                    ["email"] = form.GetValueOrDefault("email"), ["delinquent"] = false, ["currency"] = null,
                    ["metadata"] = Metadata(form, "metadata"),
                };
                _customers[id] = customer;
                return (200, customer.ToJsonString(), false);
            }
            case ("POST", "/v1/checkout/sessions"):
            {
                if (form.GetValueOrDefault("mode") != "subscription")
                    return (400, Error("invalid_request_error", "mode", "Billing creates subscriptions: mode must be subscription."), false);
                if (form.GetValueOrDefault("customer") is not { } customerId || !_customers.ContainsKey(customerId))
                    return (400, Error("invalid_request_error", "customer", $"No such customer: '{form.GetValueOrDefault("customer")}'", "resource_missing"), false);
                if (form.GetValueOrDefault("success_url") is null)
                    return (400, Error("invalid_request_error", "success_url", "Missing required param: success_url.", "parameter_missing"), false);
                var lines = new JsonArray();
                for (var index = 0; form.ContainsKey($"line_items[{index}][price]"); index++)
                {
                    var price = form[$"line_items[{index}][price]"];
                    var plan = Plans.FirstOrDefault(p => p.SeatPriceId == price || p.MeteredPriceId == price);
                    if (plan is null) return (400, Error("invalid_request_error", $"line_items[{index}][price]", $"No such price: '{price}'", "resource_missing"), false);
                    var metered = plan.MeteredPriceId == price;
                    var quantity = form.GetValueOrDefault($"line_items[{index}][quantity]");
                    if (metered && quantity is not null)
                        return (400, Error("invalid_request_error", $"line_items[{index}][quantity]", "Quantity should not be specified where usage_type is `metered`."), false);
                    if (!metered && (!long.TryParse(quantity, out var seats) || seats < 1))
                        return (400, Error("invalid_request_error", $"line_items[{index}][quantity]", "A licensed price needs a quantity of at least 1."), false);
                    lines.Add(metered ? new JsonObject { ["price"] = price } : new JsonObject { ["price"] = price, ["quantity"] = long.Parse(quantity!) });
                }
                if (lines.Count == 0) return (400, Error("invalid_request_error", "line_items", "Missing required param: line_items.", "parameter_missing"), false);
                var id = NewId("cs");
                var session = new JsonObject
                {
                    ["id"] = id, ["object"] = "checkout.session", ["mode"] = "subscription", ["status"] = "open", ["payment_status"] = "unpaid",
                    ["customer"] = customerId, ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"), ["created"] = now,
                    ["expires_at"] = now + 86400, ["livemode"] = false, ["success_url"] = form["success_url"], ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
                    ["url"] = $"{BaseUrl}checkout/{id}", ["subscription"] = null, ["metadata"] = Metadata(form, "metadata"),
                    ["line_items"] = lines, ["subscription_metadata"] = Metadata(form, "subscription_data[metadata]"),
                };
                _sessions[id] = session;
                return (200, Public(session), false);
            }
            case ("POST", "/v1/billing/meter_events"):
            {
                if (form.GetValueOrDefault("event_name") is not { Length: > 0 } eventName)
                    return (400, Error("invalid_request_error", "event_name", "Missing required param: event_name.", "parameter_missing"), false);
                if (form.GetValueOrDefault("payload[stripe_customer_id]") is not { } customerId || !_customers.ContainsKey(customerId))
                    return (400, Error("invalid_request_error", "payload[stripe_customer_id]", $"No such customer: '{form.GetValueOrDefault("payload[stripe_customer_id]")}'", "resource_missing"), false);
                if (!decimal.TryParse(form.GetValueOrDefault("payload[value]"), System.Globalization.CultureInfo.InvariantCulture, out _))
                    return (400, Error("invalid_request_error", "payload[value]", "The meter event's value must be a number."), false);
                if (!long.TryParse(form.GetValueOrDefault("timestamp"), out var timestamp) || timestamp < now - 35 * 86400 || timestamp > now + 300)
                    return (400, Error("invalid_request_error", "timestamp", "Timestamp must be within the past 35 calendar days or up to 5 minutes in the future."), false);
                var identifier = form.GetValueOrDefault("identifier") ?? NewId("mev");
                var meterEvent = new JsonObject
                {
                    ["object"] = "billing.meter_event", ["created"] = now, ["event_name"] = eventName, ["identifier"] = identifier, ["livemode"] = false,
                    ["payload"] = new JsonObject { ["stripe_customer_id"] = customerId, ["value"] = form["payload[value]"] }, ["timestamp"] = timestamp,
                };
                // Stripe keeps one event per identifier: a second one counts nothing.
                _meterEvents.TryAdd(identifier, meterEvent);
                return (200, meterEvent.ToJsonString(), false);
            }
            case ("POST", "/v1/billing_portal/sessions"):
            {
                if (form.GetValueOrDefault("customer") is not { } customerId || !_customers.ContainsKey(customerId))
                    return (400, Error("invalid_request_error", "customer", $"No such customer: '{form.GetValueOrDefault("customer")}'", "resource_missing"), false);
                var id = NewId("bps");
                return (200, new JsonObject
                {
                    ["id"] = id, ["object"] = "billing_portal.session", ["customer"] = customerId, ["created"] = now, ["livemode"] = false,
                    ["return_url"] = form.GetValueOrDefault("return_url"), ["url"] = $"{BaseUrl}portal/{id}?return={Uri.EscapeDataString(form.GetValueOrDefault("return_url") ?? "")}",
                }.ToJsonString(), false);
            }
            case ("GET", _) when SubscriptionPath().Match(path) is { Success: true } match:
                return _subscriptions.TryGetValue(match.Groups[1].Value, out var subscription)
                    ? (200, subscription.ToJsonString(), false)
                    : (404, Error("invalid_request_error", "id", $"No such subscription: '{match.Groups[1].Value}'", "resource_missing"), false);
            default:
                return (404, Error("invalid_request_error", null, $"Unrecognized request URL ({method}: {path})."), false);
        }
    }

    IResponseMessage HostedPageAnswer(string kind, string id)
    {
        var title = kind == "checkout" ? "Stripe Checkout (fake)" : "Stripe Customer Portal (fake)";
        var known = kind == "checkout" ? _sessions.ContainsKey(id) : id.StartsWith("bps_", StringComparison.Ordinal);
        var html = $"<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body><h1>{title}</h1><p>Session {id}</p></body></html>";
        return new ResponseMessage
        {
            StatusCode = known ? 200 : 404,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("text/html; charset=utf-8") },
            BodyData = new BodyData { BodyAsString = html, DetectedBodyType = BodyType.String },
        };
    }

    /// <summary>The session without what only the fake keeps (its line items and subscription metadata).</summary>
    static string Public(JsonObject session)
    {
        var copy = session.DeepClone().AsObject();
        copy.Remove("line_items");
        copy.Remove("subscription_metadata");
        return copy.ToJsonString();
    }

    static JsonObject Metadata(Dictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(field => field.Key.StartsWith(prefix + "[", StringComparison.Ordinal)))
            metadata[name[(prefix.Length + 1)..^1]] = value;
        return metadata;
    }

    static string Error(string type, string? param, string message, string? code = null) =>
        JsonSerializer.Serialize(new { error = new { type, code, param, message, doc_url = code is null ? null : $"https://docs.stripe.com/error-codes/{code.Replace('_', '-')}" } });

    public void Dispose() => _server.Stop();
}

/// <summary>Signs a webhook body as Stripe does: <c>t=&lt;unix time&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" under the endpoint secret&gt;</c>.</summary>
public static class StripeWebhookSigner
{
    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(signature)}";
    }
}
