using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Client.Webhooks;

/// <summary>
/// Checks that a webhook really comes from AwaitHuman before your server acts on it, as the
/// Standard Webhooks specification says: HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>
/// with your endpoint's secret, compared in constant time, and a timestamp close to now (replays of
/// old deliveries fail). Several secrets may be given while one is rotated out.
/// </summary>
/// <remarks>Thread-safe; make one and keep it.</remarks>
public sealed class WebhookVerifier
{
    /// <summary>The header with the delivery's id (the same on every retry of one delivery: use it to drop duplicates).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header with the time of sending, in Unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header with the signatures, space-separated <c>v1,&lt;base64&gt;</c>.</summary>
    public const string SignatureHeader = "webhook-signature";

    const string SecretPrefix = "whsec_";
    const string SignatureVersion = "v1";

    /// <summary>How far a delivery's timestamp may be from now when no tolerance is given.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    readonly byte[][] _keys;
    readonly TimeSpan _tolerance;
    readonly TimeProvider _timeProvider;

    /// <summary>A verifier for one secret.</summary>
    /// <param name="secret">The endpoint's signing secret, <c>whsec_&lt;base64&gt;</c> (the prefix may be left out).</param>
    public WebhookVerifier(string secret) : this([secret])
    {
    }

    /// <summary>A verifier that accepts a signature made with any of <paramref name="secrets"/> (during a rotation).</summary>
    /// <param name="secrets">The signing secrets, <c>whsec_&lt;base64&gt;</c> each.</param>
    /// <param name="tolerance">How far the timestamp may be from now; <see cref="DefaultTolerance"/> (5 minutes) when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <exception cref="ArgumentException">No secret, or one that is not base64.</exception>
    public WebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(KeyOf)];
        if (_keys.Length == 0) throw new ArgumentException("Give at least one secret.", nameof(secrets));
        _tolerance = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_tolerance, TimeSpan.Zero, nameof(tolerance));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    static byte[] KeyOf(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret, nameof(secret));
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(encoded);
            return key.Length > 0 ? key : throw new ArgumentException("A webhook secret must not be empty.", nameof(secret));
        }
        catch (FormatException)
        {
            throw new ArgumentException("A webhook secret is whsec_ followed by base64.", nameof(secret));
        }
    }

    /// <summary>Verifies a delivery and reads its event.</summary>
    /// <param name="body">The request body exactly as received (before any JSON parsing).</param>
    /// <param name="header">Looks a request header up by name, e.g. <c>name =&gt; Request.Headers[name]</c>.</param>
    /// <returns>The event, once its signature and timestamp are good.</returns>
    /// <exception cref="WebhookVerificationException">Not from AwaitHuman, too old, or not an event: answer 400 or 401 and ignore it.</exception>
    public WebhookEvent Verify(ReadOnlySpan<byte> body, Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Verify(body, header(IdHeader), header(TimestampHeader), header(SignatureHeader));
    }

    /// <summary>Verifies a delivery whose body you hold as text (it is signed as UTF-8).</summary>
    /// <inheritdoc cref="Verify(ReadOnlySpan{byte}, Func{string, string?})"/>
    public WebhookEvent Verify(string body, Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(Encoding.UTF8.GetBytes(body), header);
    }

    /// <summary>Verifies a delivery given the values of its three headers.</summary>
    /// <param name="body">The request body exactly as received.</param>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <returns>The event, once its signature and timestamp are good.</returns>
    /// <exception cref="WebhookVerificationException">Not from AwaitHuman, too old, or not an event.</exception>
    public WebhookEvent Verify(ReadOnlySpan<byte> body, string? webhookId, string? webhookTimestamp, string? webhookSignature)
    {
        if (string.IsNullOrEmpty(webhookId)) throw Missing(IdHeader);
        if (string.IsNullOrEmpty(webhookTimestamp)) throw Missing(TimestampHeader);
        if (string.IsNullOrEmpty(webhookSignature)) throw Missing(SignatureHeader);

        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw new WebhookVerificationException(WebhookVerificationFailure.InvalidTimestamp, $"The {TimestampHeader} header is not Unix seconds.");
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var skew = _timeProvider.GetUtcNow() - sentAt;
        if (skew.Duration() > _tolerance)
            throw new WebhookVerificationException(
                WebhookVerificationFailure.TimestampOutOfTolerance,
                skew > TimeSpan.Zero ? $"The delivery is {skew} old, more than the {_tolerance} allowed." : $"The delivery is dated {skew.Duration()} in the future.");

        if (!Signed(SignedContent(webhookId, webhookTimestamp, body), webhookSignature))
            throw new WebhookVerificationException(WebhookVerificationFailure.NoMatchingSignature, "No signature matches any of the secrets.");

        return WebhookEvent.Parse(webhookId, sentAt, body);
    }

    /// <summary>
    /// Signs a delivery the way AwaitHuman does, giving a <c>webhook-signature</c> value. For tests
    /// of your own webhook endpoint; verification never needs it.
    /// </summary>
    /// <param name="secret">The signing secret, <c>whsec_&lt;base64&gt;</c>.</param>
    /// <param name="webhookId">The delivery's id.</param>
    /// <param name="timestamp">The time of sending.</param>
    /// <param name="body">The body to send.</param>
    public static string Sign(string secret, string webhookId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var content = SignedContent(webhookId, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), body);
        return $"{SignatureVersion},{Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content))}";
    }

    static byte[] SignedContent(string webhookId, string webhookTimestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }

    bool Signed(byte[] content, string signatureHeader)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> received = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var key in _keys)
        {
            HMACSHA256.HashData(key, content, expected);
            foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // Other versions (e.g. v1a, asymmetric) are for other verifiers: skip, do not fail.
                var comma = entry.IndexOf(',');
                if (comma < 0 || !entry.AsSpan(0, comma).SequenceEqual(SignatureVersion)) continue;
                if (Convert.TryFromBase64String(entry[(comma + 1)..], received, out var written)
                    && written == received.Length
                    && CryptographicOperations.FixedTimeEquals(expected, received))
                    return true;
            }
        }
        return false;
    }

    static WebhookVerificationException Missing(string header) =>
        new(WebhookVerificationFailure.MissingHeader, $"The {header} header is missing.");
}
