using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Client.WebChat;

namespace AwaitHuman.Client.Tests.WebChat;

public class WebChatSessionTokensTests
{
    const string Secret = "s3cr3t-0f-at-least-thirty-two-characters!";
    static readonly Guid Connection = Guid.Parse("0193a0c5-7a1e-7000-8000-000000000001");
    static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    static JsonElement Part(string token, int index)
    {
        var part = token.Split('.')[index].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(part.PadRight(part.Length + (4 - part.Length % 4) % 4, '='))).RootElement;
    }

    [Fact]
    public void The_token_is_an_HS256_JWT_naming_the_connection_visitor_and_conversation()
    {
        var token = WebChatSessionTokens.Create(Secret, Connection, "visitor-42", "order-1234", "Ada", TimeSpan.FromHours(2), new FixedTime(Now));

        token.Split('.').Length.ShouldBe(3);
        Part(token, 0).GetRawText().ShouldBe("""{"alg":"HS256","typ":"JWT"}""");
        var claims = Part(token, 1);
        claims.GetProperty("aud").GetString().ShouldBe(Connection.ToString());
        claims.GetProperty("sub").GetString().ShouldBe("visitor-42");
        claims.GetProperty("conversation").GetString().ShouldBe("order-1234");
        claims.GetProperty("name").GetString().ShouldBe("Ada");
        claims.GetProperty("iat").GetInt64().ShouldBe(Now.ToUnixTimeSeconds());
        claims.GetProperty("exp").GetInt64().ShouldBe((Now + TimeSpan.FromHours(2)).ToUnixTimeSeconds());
    }

    [Fact]
    public void The_signature_is_the_HMAC_SHA256_of_header_and_payload_with_the_secret()
    {
        var token = WebChatSessionTokens.Create(Secret, Connection, "visitor-42", "order-1234", timeProvider: new FixedTime(Now));
        var parts = token.Split('.');

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));

        parts[2].ShouldBe(Convert.ToBase64String(expected).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        Part(token, 1).TryGetProperty("name", out _).ShouldBeFalse();
    }

    [Fact]
    public void The_SDK_mints_the_same_token_as_the_Node_snippet_in_docs_channels_md()
    {
        // Printed by that snippet with Date.now() at 2026-11-24T10:00:00Z and the same arguments.
        const string fromNode =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
            "eyJhdWQiOiIwMTkzYTBjNS03YTFlLTcwMDAtODAwMC0wMDAwMDAwMDAwMDEiLCJzdWIiOiJ2aXNpdG9yLTQyIiwiY29udmVyc2F0aW9uIjoib3JkZXItMTIzNCIsIm5hbWUiOiJBZGEiLCJpYXQiOjE3OTU1MTQ0MDAsImV4cCI6MTc5NTUyMTYwMH0." +
            "e5Lodn6_A6_p9Vlrw1n-F0GwIgEFTEdZILU_1RQSv2o";

        WebChatSessionTokens.Create(Secret, Connection, "visitor-42", "order-1234", "Ada", TimeSpan.FromHours(2), new FixedTime(Now))
            .ShouldBe(fromNode);
    }

    [Fact]
    public void Without_a_lifetime_the_token_lives_eight_hours() =>
        Part(WebChatSessionTokens.Create(Secret, Connection, "v", "c", timeProvider: new FixedTime(Now)), 1)
            .GetProperty("exp").GetInt64().ShouldBe((Now + TimeSpan.FromHours(8)).ToUnixTimeSeconds());

    [Fact]
    public void A_short_secret_empty_ids_and_lifetimes_over_a_day_are_refused()
    {
        Should.Throw<ArgumentException>(() => WebChatSessionTokens.Create("short", Connection, "v", "c")).ParamName.ShouldBe("signingSecret");
        Should.Throw<ArgumentException>(() => WebChatSessionTokens.Create(Secret, Connection, " ", "c")).ParamName.ShouldBe("visitorId");
        Should.Throw<ArgumentException>(() => WebChatSessionTokens.Create(Secret, Connection, "v", "")).ParamName.ShouldBe("conversation");
        Should.Throw<ArgumentException>(() => WebChatSessionTokens.Create(Secret, Connection, "v", "c", new string('n', 201))).ParamName.ShouldBe("name");
        Should.Throw<ArgumentOutOfRangeException>(() => WebChatSessionTokens.Create(Secret, Connection, "v", "c", lifetime: TimeSpan.FromHours(25)));
        Should.Throw<ArgumentOutOfRangeException>(() => WebChatSessionTokens.Create(Secret, Connection, "v", "c", lifetime: TimeSpan.Zero));
    }
}
