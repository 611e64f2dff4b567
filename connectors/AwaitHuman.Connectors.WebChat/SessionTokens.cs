using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AwaitHuman.Connectors.WebChat;

/// <summary>Who is chatting, as the tenant's backend vouched for it in the session token.</summary>
/// <param name="VisitorId">The token's <c>sub</c>: the customer's address on the web chat channel.</param>
/// <param name="Conversation">The agent's <c>external_ref</c> of the conversation: which escalation the visitor sees.</param>
public sealed record WebChatSession(Guid ConnectionId, string VisitorId, string? Name, string Conversation, DateTimeOffset ExpiresAt);

/// <summary>
/// Checks customer session tokens: compact JWS (a JWT) signed by the tenant's backend with HS256 and
/// the connection's <c>signing_secret</c>; <c>aud</c> is the connection id, <c>sub</c> the visitor,
/// <c>conversation</c> the agent's external_ref, <c>name</c> optional, <c>exp</c> at most 24 hours ahead.
/// Anything else (another algorithm, <c>none</c>, another connection, expired) is refused.
/// </summary>
public static class SessionTokens
{
    public const string Algorithm = SecurityAlgorithms.HmacSha256;

    /// <summary>Tokens live at most this long: a leaked one is useless by tomorrow.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>Tolerated difference between the tenant's clock and ours.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public const int MaxTokenLength = 4096;
    public const int MaxClaimLength = 200;

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinSecretLength = 32;

    static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };

    /// <summary>The session, or the reason the token is refused (for logs, never shown to the visitor).</summary>
    public static async Task<(WebChatSession? Session, string? Problem)> ValidateAsync(
        string? token, Guid connectionId, string signingSecret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token)) return (null, "no token");
        if (token.Length > MaxTokenLength) return (null, "token too long");
        if (signingSecret.Length < MinSecretLength) return (null, "the connection's signing secret is too short");

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingSecret)),
            ValidAlgorithms = [Algorithm],
            RequireSignedTokens = true,
            ValidateIssuer = false,
            ValidateAudience = true,
            ValidAudience = connectionId.ToString(),
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            // The handler's default clock is the system's; ours is the injected one.
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && exp.ToUniversalTime() > now.UtcDateTime - ClockSkew &&
                (notBefore is not { } nbf || nbf.ToUniversalTime() <= now.UtcDateTime + ClockSkew),
        };

        var result = await Handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
            return (null, result.Exception?.Message ?? "invalid token");
        // Encrypted tokens (JWE) are not what tenants are told to send.
        if (jwt.IsEncrypted) return (null, "encrypted tokens are not accepted");

        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expires > now + MaxLifetime + ClockSkew) return (null, "exp is more than 24 hours ahead");

        // Read from the JSON itself: the library turns a numeric sub into a string, and strictness means strings only.
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload));
        var visitor = Claim(payload, JwtRegisteredClaimNames.Sub);
        var conversation = Claim(payload, "conversation");
        var name = Claim(payload, "name");
        if (visitor is null) return (null, "sub (the visitor id) is missing, not a string or too long");
        if (conversation is null) return (null, "conversation (the agent's external_ref) is missing, not a string or too long");
        if (name is null && payload.RootElement.TryGetProperty("name", out _)) return (null, "name is not a string or too long");

        return (new WebChatSession(connectionId, visitor, name, conversation, expires), null);
    }

    static string? Claim(JsonDocument payload, string name) =>
        payload.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
        value.GetString() is { Length: > 0 and <= MaxClaimLength } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;
}
