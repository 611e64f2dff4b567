using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AwaitHuman.Client.WebChat;

/// <summary>
/// Mints the customer session token your backend hands to the AwaitHuman web chat widget: a JWT
/// signed with HS256 and the web chat connection's <c>signing_secret</c>, naming the connection
/// (<c>aud</c>), the visitor (<c>sub</c>), the visitor's display name (<c>name</c>) and the
/// conversation (<c>conversation</c>: the <c>external_ref</c> your agent escalated with). Mint it on
/// your server, never in the browser: whoever holds the secret can speak for any visitor.
/// </summary>
public static class WebChatSessionTokens
{
    /// <summary>The longest life AwaitHuman accepts; a token valid for longer is refused.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>The life of a token when none is given: a working day of chatting.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    /// <summary>HS256 needs a key of at least 256 bits; AwaitHuman refuses shorter secrets.</summary>
    public const int MinSecretLength = 32;

    const int MaxClaimLength = 200;

    /// <summary>A signed session token for one visitor in one conversation.</summary>
    /// <param name="signingSecret">The web chat connection's <c>signing_secret</c>.</param>
    /// <param name="connectionId">The web chat connection's id (the widget's <c>data-connection</c>).</param>
    /// <param name="visitorId">Your stable id of the visitor (at most 200 characters).</param>
    /// <param name="conversation">The <c>external_ref</c> your agent gave the escalation: the conversation the visitor sees.</param>
    /// <param name="name">The visitor's name as operators should see it; optional.</param>
    /// <param name="lifetime">How long the token is valid, at most 24 hours; <see cref="DefaultLifetime"/> when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <exception cref="ArgumentException">A secret shorter than 32 characters, an empty or over-long id, or a lifetime outside (0, 24 h].</exception>
    public static string Create(
        string signingSecret,
        Guid connectionId,
        string visitorId,
        string conversation,
        string? name = null,
        TimeSpan? lifetime = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        if (signingSecret.Length < MinSecretLength)
            throw new ArgumentException($"The signing secret is at least {MinSecretLength} characters.", nameof(signingSecret));
        CheckClaim(visitorId, nameof(visitorId));
        CheckClaim(conversation, nameof(conversation));
        if (name is not null && name.Length > MaxClaimLength)
            throw new ArgumentException($"The name is at most {MaxClaimLength} characters.", nameof(name));
        var life = lifetime ?? DefaultLifetime;
        if (life <= TimeSpan.Zero || life > MaxLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), life, "A session token lives more than 0 and at most 24 hours.");

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url(Payload(connectionId, visitorId, conversation, name, now, now + (long)life.TotalSeconds));
        var signingInput = $"{header}.{payload}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url(signature)}";
    }

    static byte[] Payload(Guid connectionId, string visitorId, string conversation, string? name, long issuedAt, long expires)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("aud", connectionId.ToString());
            json.WriteString("sub", visitorId);
            json.WriteString("conversation", conversation);
            if (name is not null) json.WriteString("name", name);
            json.WriteNumber("iat", issuedAt);
            json.WriteNumber("exp", expires);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static void CheckClaim(string value, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        if (value.Length > MaxClaimLength) throw new ArgumentException($"At most {MaxClaimLength} characters.", parameter);
    }

    static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
