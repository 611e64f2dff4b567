using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Client.WebChat;

namespace AwaitHuman.Connectors.WebChat.Tests;

public class SessionTokensTests
{
    const string Secret = "s3cr3t-0f-at-least-thirty-two-characters!";
    static readonly Guid Connection = Guid.Parse("0193a0c5-7a1e-7000-8000-000000000001");
    static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A token made by hand, so the tests do not depend on the code under test to sign.</summary>
    static string Sign(object header, object payload, string secret = Secret)
    {
        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Encode(signature)}";
    }

    static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static readonly object Hs256 = new { alg = "HS256", typ = "JWT" };

    static Dictionary<string, object> Claims(TimeSpan? expiresIn = null) => new()
    {
        ["aud"] = Connection.ToString(),
        ["sub"] = "visitor-42",
        ["name"] = "Ada",
        ["conversation"] = "order-1234",
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["exp"] = (Now + (expiresIn ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
    };

    static Task<(WebChatSession? Session, string? Problem)> Validate(string? token, DateTimeOffset? now = null, Guid? connection = null, string secret = Secret) =>
        SessionTokens.ValidateAsync(token, connection ?? Connection, secret, now ?? Now);

    [Fact]
    public async Task A_token_signed_with_the_connections_secret_gives_the_visitor_and_the_conversation()
    {
        var (session, problem) = await Validate(Sign(Hs256, Claims()));

        problem.ShouldBeNull();
        session.ShouldBe(new WebChatSession(Connection, "visitor-42", "Ada", "order-1234", Now + TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_token_minted_by_the_SDK_is_accepted()
    {
        var token = WebChatSessionTokens.Create(Secret, Connection, "visitor-42", "order-1234", "Ada", TimeSpan.FromHours(2), new FixedTime(Now));

        var (session, _) = await Validate(token, Now + TimeSpan.FromMinutes(5));

        session.ShouldBe(new WebChatSession(Connection, "visitor-42", "Ada", "order-1234", Now + TimeSpan.FromHours(2)));
    }

    [Fact]
    public async Task The_name_is_optional()
    {
        var claims = Claims();
        claims.Remove("name");

        var (session, _) = await Validate(Sign(Hs256, claims));

        session.ShouldNotBeNull().Name.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..")]
    public async Task Missing_or_malformed_tokens_are_refused(string? token) =>
        (await Validate(token)).Session.ShouldBeNull();

    [Fact]
    public async Task An_expired_token_is_refused_even_a_minute_after_the_tolerated_skew()
    {
        var token = Sign(Hs256, Claims(TimeSpan.FromMinutes(10)));

        (await Validate(token, Now + TimeSpan.FromMinutes(10) + SessionTokens.ClockSkew - TimeSpan.FromSeconds(1))).Session.ShouldNotBeNull();
        (await Validate(token, Now + TimeSpan.FromMinutes(11) + SessionTokens.ClockSkew)).Session.ShouldBeNull();
    }

    [Fact]
    public async Task A_token_without_exp_is_refused()
    {
        var claims = Claims();
        claims.Remove("exp");

        (await Validate(Sign(Hs256, claims))).Session.ShouldBeNull();
    }

    [Fact]
    public async Task A_token_valid_for_more_than_24_hours_is_refused()
    {
        (await Validate(Sign(Hs256, Claims(TimeSpan.FromHours(24))))).Session.ShouldNotBeNull();
        (await Validate(Sign(Hs256, Claims(TimeSpan.FromHours(25))))).Session.ShouldBeNull();
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        var claims = Claims();
        claims["nbf"] = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds();

        (await Validate(Sign(Hs256, claims))).Session.ShouldBeNull();
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused()
    {
        var (session, _) = await Validate(Sign(Hs256, Claims(), secret: "another-secret-of-thirty-two-characters-or-more"));

        session.ShouldBeNull();
    }

    [Fact]
    public async Task A_token_whose_claims_were_changed_after_signing_is_refused()
    {
        var parts = Sign(Hs256, Claims()).Split('.');
        var forged = Claims();
        forged["conversation"] = "someone-elses-order";

        var (session, _) = await Validate($"{parts[0]}.{Encode(JsonSerializer.SerializeToUtf8Bytes(forged))}.{parts[2]}");

        session.ShouldBeNull();
    }

    [Fact]
    public async Task A_token_for_another_connection_is_refused_even_with_the_same_secret()
    {
        var (session, _) = await Validate(Sign(Hs256, Claims()), connection: Guid.CreateVersion7());

        session.ShouldBeNull();
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var unsigned = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT" }))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(Claims()))}.";

        (await Validate(unsigned)).Session.ShouldBeNull();
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task Another_algorithm_is_refused_even_when_correctly_signed(string algorithm)
    {
        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm, typ = "JWT" }))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(Claims()))}";
        var key = Encoding.UTF8.GetBytes(Secret);
        var signature = algorithm == "HS384"
            ? HMACSHA384.HashData(key, Encoding.ASCII.GetBytes(signingInput))
            : HMACSHA512.HashData(key, Encoding.ASCII.GetBytes(signingInput));

        (await Validate($"{signingInput}.{Encode(signature)}")).Session.ShouldBeNull();
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("conversation")]
    public async Task A_token_without_the_visitor_or_the_conversation_is_refused(string claim)
    {
        var claims = Claims();
        claims.Remove(claim);

        var (session, problem) = await Validate(Sign(Hs256, claims));

        session.ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(claim);
    }

    [Fact]
    public async Task Claims_of_the_wrong_type_or_too_long_are_refused()
    {
        var numeric = Claims();
        numeric["sub"] = 42;
        var longName = Claims();
        longName["name"] = new string('x', 201);

        (await Validate(Sign(Hs256, numeric))).Session.ShouldBeNull();
        (await Validate(Sign(Hs256, longName))).Session.ShouldBeNull();
    }

    [Fact]
    public async Task An_oversized_token_is_refused_before_it_is_parsed()
    {
        var claims = Claims();
        claims["padding"] = new string('x', SessionTokens.MaxTokenLength);

        var (session, problem) = await Validate(Sign(Hs256, claims));

        session.ShouldBeNull();
        problem.ShouldBe("token too long");
    }

    [Fact]
    public async Task A_connection_with_a_short_secret_accepts_no_token()
    {
        const string shortSecret = "too-short";

        (await Validate(Sign(Hs256, Claims(), shortSecret), secret: shortSecret)).Session.ShouldBeNull();
    }
}

sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
