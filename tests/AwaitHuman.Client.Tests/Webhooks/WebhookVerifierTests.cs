using System.Security.Cryptography;
using System.Text;
using AwaitHuman.Client.Webhooks;

namespace AwaitHuman.Client.Tests.Webhooks;

public class WebhookVerifierTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 5, 0, TimeSpan.Zero);
    static readonly string Secret = NewSecret();
    const string Id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

    static readonly string Body = $$$"""
        {"type":"escalation.resolved","timestamp":"2026-03-01T10:05:00Z","data":{"escalation_id":"{{{Samples.EscalationId}}}","hand_back":{{{Samples.HandBack}}}}}
        """;

    static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    static WebhookVerifier Verifier(params string[] secrets) => new(secrets, timeProvider: new FixedTime(Now));

    static Dictionary<string, string?> Headers(string signature, DateTimeOffset? sentAt = null, string id = Id) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = (sentAt ?? Now).ToUnixTimeSeconds().ToString(),
        ["webhook-signature"] = signature,
    };

    static string SignatureOf(string body, string secret, DateTimeOffset? sentAt = null, string id = Id) =>
        WebhookVerifier.Sign(secret, id, sentAt ?? Now, Encoding.UTF8.GetBytes(body));

    static WebhookVerificationFailure FailureOf(Action verify) => Should.Throw<WebhookVerificationException>(verify).Failure;

    [Fact]
    public void Signing_reproduces_the_published_Standard_Webhooks_test_vector()
    {
        WebhookVerifier.Sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                DateTimeOffset.FromUnixTimeSeconds(1614265330), """{"test": 2432232314}"""u8)
            .ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public void The_published_test_vector_passes_the_signature_check()
    {
        var verifier = new WebhookVerifier(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], timeProvider: new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1614265330)));

        // Its body is no event, so the last check fails: every check before it passed.
        FailureOf(() => verifier.Verify("""{"test": 2432232314}"""u8, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="))
            .ShouldBe(WebhookVerificationFailure.InvalidPayload);
    }

    [Fact]
    public void A_good_signature_gives_the_event_with_its_escalation_and_hand_back()
    {
        var headers = Headers(SignatureOf(Body, Secret));

        var received = Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name));

        received.Id.ShouldBe(Id);
        received.SentAt.ShouldBe(Now);
        received.Type.ShouldBe("escalation.resolved");
        received.Timestamp.ShouldBe(Now);
        received.EscalationId.ShouldBe(Samples.EscalationId);
        received.HandBack.ShouldNotBeNull().Outcome.ShouldBe(HandBackOutcome.Edited);
        received.HandBack!.Decision!.Arguments!["amount"]!.GetValue<int>().ShouldBe(200);
    }

    [Fact]
    public void A_signature_made_with_another_secret_is_refused()
    {
        var headers = Headers(SignatureOf(Body, NewSecret()));

        FailureOf(() => Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name)))
            .ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
    }

    [Theory]
    [InlineData("escalation.resolved", "escalation.cancelled")]
    [InlineData("\"data\":{", "\"data\":{ ")]
    [InlineData("}}", "}} ")]
    public void A_changed_body_is_refused(string original, string replacement)
    {
        var headers = Headers(SignatureOf(Body, Secret));
        var tampered = Body.Replace(original, replacement);
        tampered.ShouldNotBe(Body);

        FailureOf(() => Verifier(Secret).Verify(tampered, name => headers.GetValueOrDefault(name)))
            .ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
    }

    [Fact]
    public void A_changed_id_or_timestamp_is_refused()
    {
        var signature = SignatureOf(Body, Secret);
        var verifier = Verifier(Secret);

        FailureOf(() => verifier.Verify(Encoding.UTF8.GetBytes(Body), "msg_other", Now.ToUnixTimeSeconds().ToString(), signature))
            .ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
        FailureOf(() => verifier.Verify(Encoding.UTF8.GetBytes(Body), Id, (Now.ToUnixTimeSeconds() - 1).ToString(), signature))
            .ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void A_timestamp_more_than_five_minutes_from_now_is_refused_even_when_signed(int secondsFromNow)
    {
        var sentAt = Now.AddSeconds(secondsFromNow);
        var headers = Headers(SignatureOf(Body, Secret, sentAt), sentAt);

        FailureOf(() => Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name)))
            .ShouldBe(WebhookVerificationFailure.TimestampOutOfTolerance);
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void A_timestamp_within_five_minutes_is_accepted(int secondsFromNow)
    {
        var sentAt = Now.AddSeconds(secondsFromNow);
        var headers = Headers(SignatureOf(Body, Secret, sentAt), sentAt);

        Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name)).SentAt.ShouldBe(sentAt);
    }

    [Fact]
    public void The_tolerance_can_be_changed()
    {
        var sentAt = Now.AddMinutes(-8);
        var headers = Headers(SignatureOf(Body, Secret, sentAt), sentAt);

        new WebhookVerifier([Secret], TimeSpan.FromMinutes(10), new FixedTime(Now))
            .Verify(Body, name => headers.GetValueOrDefault(name)).Type.ShouldBe("escalation.resolved");
    }

    [Fact]
    public void One_matching_signature_among_several_is_enough_and_other_versions_are_skipped()
    {
        var good = SignatureOf(Body, Secret);
        var forged = SignatureOf(Body, NewSecret());
        var headers = Headers($"v1a,{good[3..]} {forged}  v1,not-base64 {good} v2,abc");

        Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name)).Id.ShouldBe(Id);
    }

    [Fact]
    public void A_good_signature_under_another_version_is_not_accepted()
    {
        var headers = Headers("v1a," + SignatureOf(Body, Secret)[3..]);

        FailureOf(() => Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name)))
            .ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
    }

    [Fact]
    public void During_a_rotation_deliveries_signed_with_the_old_or_the_new_secret_pass()
    {
        var oldSecret = NewSecret();
        var newSecret = NewSecret();
        var verifier = Verifier(newSecret, oldSecret);

        foreach (var secret in new[] { oldSecret, newSecret })
        {
            var headers = Headers(SignatureOf(Body, secret));
            verifier.Verify(Body, name => headers.GetValueOrDefault(name)).Type.ShouldBe("escalation.resolved");
        }
        var retired = Headers(SignatureOf(Body, NewSecret()));
        FailureOf(() => verifier.Verify(Body, name => retired.GetValueOrDefault(name))).ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
    }

    [Fact]
    public void A_secret_without_the_whsec_prefix_works_the_same()
    {
        var headers = Headers(SignatureOf(Body, Secret));

        Verifier(Secret["whsec_".Length..]).Verify(Body, name => headers.GetValueOrDefault(name)).Id.ShouldBe(Id);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void A_missing_header_is_refused(string header)
    {
        var headers = Headers(SignatureOf(Body, Secret));
        headers.Remove(header);

        var refusal = Should.Throw<WebhookVerificationException>(() => Verifier(Secret).Verify(Body, name => headers.GetValueOrDefault(name)));

        refusal.Failure.ShouldBe(WebhookVerificationFailure.MissingHeader);
        refusal.Message.ShouldContain(header);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1614265330")]
    [InlineData("1614265330.5")]
    [InlineData("99999999999999999999")]
    public void A_timestamp_that_is_not_unix_seconds_is_refused(string timestamp)
    {
        FailureOf(() => Verifier(Secret).Verify(Encoding.UTF8.GetBytes(Body), Id, timestamp, SignatureOf(Body, Secret)))
            .ShouldBe(WebhookVerificationFailure.InvalidTimestamp);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"data":{}}""")]
    [InlineData("[1,2]")]
    public void A_signed_body_that_is_no_event_is_refused(string body)
    {
        var headers = Headers(SignatureOf(body, Secret));

        FailureOf(() => Verifier(Secret).Verify(body, name => headers.GetValueOrDefault(name)))
            .ShouldBe(WebhookVerificationFailure.InvalidPayload);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("")]
    public void A_malformed_secret_is_refused_at_once(string secret)
    {
        Should.Throw<ArgumentException>(() => new WebhookVerifier(secret));
    }

    [Fact]
    public void No_secret_at_all_is_refused()
    {
        Should.Throw<ArgumentException>(() => new WebhookVerifier(Array.Empty<string>()));
    }
}
