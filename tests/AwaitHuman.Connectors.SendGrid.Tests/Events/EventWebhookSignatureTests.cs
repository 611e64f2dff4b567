using System.Text;
using AwaitHuman.Connectors.SendGrid.Events;

namespace AwaitHuman.Connectors.SendGrid.Tests.Events;

public sealed class EventWebhookSignatureTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset ExampleTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(EventKeys.SendGridExampleTimestamp));
    private static readonly byte[] ExampleBody = Encoding.UTF8.GetBytes(EventKeys.SendGridExamplePayload);

    private static SignatureCheck CheckExample(string? publicKey = EventKeys.SendGridExamplePublicKey, string? signature = EventKeys.SendGridExampleSignature,
        string? timestamp = EventKeys.SendGridExampleTimestamp, byte[]? body = null, DateTimeOffset? now = null) =>
        EventWebhookSignature.Check(publicKey, signature, timestamp, body ?? ExampleBody, now ?? ExampleTime.AddSeconds(5), Tolerance);

    [Fact]
    public void SendGrids_published_example_verifies() => CheckExample().ShouldBe(SignatureCheck.Valid);

    [Fact]
    public void The_example_under_another_key_does_not() =>
        CheckExample(publicKey: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==")
            .ShouldBe(SignatureCheck.Invalid);

    [Fact]
    public void A_changed_payload_does_not_verify() => CheckExample(body: Encoding.UTF8.GetBytes("payload")).ShouldBe(SignatureCheck.Invalid);

    [Fact]
    public void A_garbage_signature_does_not_verify() => CheckExample(signature: "signature").ShouldBe(SignatureCheck.Invalid);

    [Fact]
    public void A_changed_timestamp_does_not_verify() => CheckExample(timestamp: "1588788368").ShouldBe(SignatureCheck.Invalid);

    [Fact]
    public void A_non_numeric_timestamp_does_not_verify() => CheckExample(timestamp: "timestamp").ShouldBe(SignatureCheck.Invalid);

    [Fact]
    public void A_correctly_signed_but_old_post_is_stale() => CheckExample(now: ExampleTime.AddMinutes(16)).ShouldBe(SignatureCheck.Stale);

    [Fact]
    public void A_post_dated_far_in_the_future_is_stale() => CheckExample(now: ExampleTime.AddMinutes(-16)).ShouldBe(SignatureCheck.Stale);

    [Fact]
    public void Missing_headers_are_unsigned()
    {
        CheckExample(signature: null).ShouldBe(SignatureCheck.Unsigned);
        CheckExample(timestamp: "").ShouldBe(SignatureCheck.Unsigned);
    }

    [Fact]
    public void Without_a_public_key_nothing_verifies()
    {
        CheckExample(publicKey: null).ShouldBe(SignatureCheck.NoKey);
        CheckExample(publicKey: "not base64!").ShouldBe(SignatureCheck.NoKey);
    }

    [Fact]
    public void A_key_pair_of_our_own_signs_and_verifies_like_SendGrid()
    {
        using var signer = new EventKeys.Signer();
        using var other = new EventKeys.Signer();
        var body = Encoding.UTF8.GetBytes("""[{"event":"delivered","email":"jöhn@example.com"}]""");
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString();

        EventWebhookSignature.Check(signer.PublicKey, signer.Sign(timestamp, body), timestamp, body, now, Tolerance).ShouldBe(SignatureCheck.Valid);
        EventWebhookSignature.Check(signer.PublicKey, other.Sign(timestamp, body), timestamp, body, now, Tolerance).ShouldBe(SignatureCheck.Invalid);
    }

    [Fact]
    public void Only_P256_keys_are_accepted()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        EventWebhookSignature.TryImportPublicKey(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()), out _).ShouldBeFalse();
        EventWebhookSignature.TryImportPublicKey(EventKeys.SendGridExamplePublicKey, out var key).ShouldBeTrue();
        key!.Dispose();
    }
}
