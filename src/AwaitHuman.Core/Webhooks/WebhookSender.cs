using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace AwaitHuman.Core.Webhooks;

/// <summary>Makes one attempt: signs the stored body for this moment, POSTs it, and says what happened.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecretProtector secrets, TimeProvider clock)
{
    /// <summary>How much of an agent's answer is kept with the attempt.</summary>
    public const int ExcerptBytes = 1024;

    public async Task<WebhookAttempt> AttemptAsync(
        string tenantId, WebhookEndpoint endpoint, WebhookDelivery delivery, string trigger, CancellationToken ct)
    {
        var number = delivery.Attempts.Count + 1;
        var at = clock.GetUtcNow();
        var timestamp = at.ToUnixTimeSeconds();
        var signingSecrets = endpoint.ProtectedSecretsAt(at).Select(secret => secrets.Unprotect(tenantId, secret));

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignatures.Header(signingSecrets, delivery.Id, timestamp, delivery.Body));

        var client = clients.CreateClient(WebhookHttp.ClientName);
        // The client's timeout ends at the headers; this one covers a body that trickles in too.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(client.Timeout);
        var started = clock.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var excerpt = await ExcerptAsync(response, limit.Token);
            return new WebhookAttempt(number, delivery.Series, at, trigger, (int)response.StatusCode, null, Elapsed(started), excerpt);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var error = e switch
            {
                OperationCanceledException => $"No answer within {client.Timeout.TotalSeconds:0.#} s.",
                _ when e.InnerException is RefusedAddressException refused => refused.Message,
                _ => e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message,
            };
            return new WebhookAttempt(number, delivery.Series, at, trigger, null, error, Elapsed(started), null);
        }
    }

    long Elapsed(long started) => (long)clock.GetElapsedTime(started).TotalMilliseconds;

    static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), ct) is > 0 and var count) read += count;
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }
}
