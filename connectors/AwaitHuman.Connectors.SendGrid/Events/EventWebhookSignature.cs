using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Connectors.SendGrid.Events;

/// <summary>
/// SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (DER, base64) in
/// <c>X-Twilio-Email-Event-Webhook-Signature</c> over the <c>X-Twilio-Email-Event-Webhook-Timestamp</c>
/// value followed by the raw request body. Checked with .NET's ECDsa on the exact bytes received,
/// not with the SendGrid package's RequestValidator, which takes the body as a string and runs a
/// managed ECDSA of its own.
/// </summary>
public static class EventWebhookSignature
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public static bool TryImportPublicKey(string base64Der, out ECDsa? key)
    {
        key = null;
        var candidate = ECDsa.Create();
        try
        {
            candidate.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64Der.Trim()), out _);
            if (candidate.KeySize != 256)
                throw new CryptographicException("SendGrid signs with P-256.");
            key = candidate;
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            candidate.Dispose();
            return false;
        }
    }

    public static SignatureCheck Check(string? publicKey, string? signature, string? timestamp, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(publicKey))
            return SignatureCheck.NoKey;
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
            return SignatureCheck.Unsigned;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return SignatureCheck.Invalid;
        if (!TryImportPublicKey(publicKey, out var key))
            return SignatureCheck.NoKey;
        using (key)
        {
            byte[] der;
            try
            {
                der = Convert.FromBase64String(signature);
            }
            catch (FormatException)
            {
                return SignatureCheck.Invalid;
            }
            var signed = new byte[Encoding.ASCII.GetByteCount(timestamp) + body.Length];
            var written = Encoding.ASCII.GetBytes(timestamp, signed);
            body.CopyTo(signed.AsSpan(written));
            bool valid;
            try
            {
                valid = key!.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }
            catch (CryptographicException)
            {
                valid = false;
            }
            if (!valid)
                return SignatureCheck.Invalid;
        }
        // Checked after the signature so that a stale answer never tells a forger anything.
        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age.Duration() > tolerance ? SignatureCheck.Stale : SignatureCheck.Valid;
    }
}

public enum SignatureCheck
{
    Valid,
    /// <summary>The connection has no (usable) public key: nothing can be verified.</summary>
    NoKey,
    Unsigned,
    Invalid,
    /// <summary>Correctly signed, but too old (or too far ahead) to be anything but a replay.</summary>
    Stale,
}
