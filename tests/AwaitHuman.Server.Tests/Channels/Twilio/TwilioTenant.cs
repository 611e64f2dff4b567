using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AwaitHuman.Connectors.Twilio;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Server.Tests.Channels.Twilio;

/// <summary>
/// A tenant with a Twilio connection of its own account SID on <paramref name="App"/>, its operator,
/// and Twilio's side of things: signed webhooks as Twilio sends them.
/// </summary>
public sealed record TwilioTenant(AwaitHumanApp App, TestTenantAccount Tenant, HttpClient Agent, HttpClient Operator, Guid ConnectionId, string AccountSid, string AuthToken)
{
    public const string From = "+14155550100";
    public const string WhatsAppFrom = "+14155550111";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TwilioTenant> CreateAsync(AwaitHumanApp app)
    {
        var tenant = await app.NewTenantAsync();
        var admin = app.CreateHttpClient((await app.NewMemberAsync(tenant, "admin")).Token);
        var accountSid = TwilioApiFake.NewAccountSid();
        var authToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "twilio",
            name = "Support line",
            channels = new[] { "sms", "whatsapp" },
            settings = new Dictionary<string, string> { ["account_sid"] = accountSid, ["from"] = From, ["whatsapp_from"] = WhatsAppFrom },
            secrets = new Dictionary<string, string> { ["auth_token"] = authToken },
        }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var connection = await created.JsonAsync();
        var id = connection.GetProperty("id").GetGuid();
        connection.GetProperty("webhook_urls").GetProperty("inbound").GetString().ShouldBe(new Uri(app.Address, $"connectors/twilio/{id}/inbound").ToString());
        connection.TryGetProperty("secrets", out _).ShouldBeFalse();

        return new TwilioTenant(app, tenant, app.CreateHttpClient(tenant.ApiKey), app.CreateHttpClient((await app.NewMemberAsync(tenant, "operator")).Token),
            id, accountSid, authToken);
    }

    /// <summary>A new customer phone number, so tests never share a customer.</summary>
    public static string NewPhone() => "+1415" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999);

    /// <summary>An escalation whose customer has <paramref name="phone"/> and prefers <paramref name="channel"/>; the agent's transcript is days old.</summary>
    public async Task<Guid> OpenEscalationAsync(string phone, string channel = "sms")
    {
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["phone"] = phone;
        request["customer"]!["preferred_channel"] = channel;
        foreach (var line in request["transcript"]!.AsArray())
            line!["at"] = "2026-01-05T09:00:00Z";
        return (await Agent.OpenEscalationAsync(request)).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> ReplyAsync(Guid escalationId, object body) => Operator.ActAsync(escalationId.ToString(), "reply", body);

    public async Task<Escalation> EscalationAsync(Guid id)
    {
        await using var session = App.Store.QuerySession(Tenant.TenantId);
        return (await session.LoadAsync<Escalation>(id, Ct)).ShouldNotBeNull();
    }

    public Task<Escalation> EscalationWhenAsync(Guid id, Func<Escalation, bool> condition, string what) =>
        Eventually.GetAsync(async () => await EscalationAsync(id) is var e && condition(e) ? e : null, TimeSpan.FromSeconds(30), what);

    public Uri WebhookUrl(string path, Guid? connectionId = null) => new(App.Address, $"connectors/twilio/{connectionId ?? ConnectionId}/{path}");

    /// <summary>Posts a webhook as Twilio does: form-encoded, signed over <paramref name="signedUrl"/> (the URL posted to unless given).</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(
        Uri url, IReadOnlyList<KeyValuePair<string, string>> form, string? signature = "sign", Uri? signedUrl = null, Action<HttpRequestMessage>? alter = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
            request.Headers.Add("X-Twilio-Signature", signature == "sign" ? TwilioWebhookSigner.Sign(AuthToken, (signedUrl ?? url).ToString(), form) : signature);
        alter?.Invoke(request);
        using var http = App.CreateHttpClient();
        return await http.SendAsync(request, Ct);
    }

    /// <summary>An incoming message's form as Twilio posts it.</summary>
    public List<KeyValuePair<string, string>> Incoming(string fromPhone, string body, string? sid = null, string channel = "sms", string? optOutType = null)
    {
        var prefix = channel == "whatsapp" ? "whatsapp:" : "";
        sid ??= "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        List<KeyValuePair<string, string>> form =
        [
            new("ToCountry", "US"),
            new("SmsMessageSid", sid),
            new("NumMedia", "0"),
            new("SmsSid", sid),
            new("SmsStatus", "received"),
            new("Body", body),
            new("To", prefix + (channel == "whatsapp" ? WhatsAppFrom : From)),
            new("NumSegments", "1"),
            new("MessageSid", sid),
            new("AccountSid", AccountSid),
            new("From", prefix + fromPhone),
            new("ApiVersion", "2010-04-01"),
        ];
        if (channel == "whatsapp") form.Add(new("ProfileName", "Ada"));
        if (optOutType is not null) form.Add(new("OptOutType", optOutType));
        return form;
    }

    /// <summary>A status callback's form as Twilio posts it.</summary>
    public List<KeyValuePair<string, string>> Status(string sid, string status, string toPhone, string? errorCode = null)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("SmsSid", sid),
            new("SmsStatus", status),
            new("MessageStatus", status),
            new("To", toPhone),
            new("MessageSid", sid),
            new("AccountSid", AccountSid),
            new("From", From),
            new("ApiVersion", "2010-04-01"),
        ];
        if (errorCode is not null) form.Add(new("ErrorCode", errorCode));
        return form;
    }

    public static async Task ShouldBeEmptyTwimlAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/xml");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe(TwilioWebhooks.EmptyTwiml);
    }
}
