using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Connectors.SendGrid.Tests;

/// <summary>SendGrid's published verification example, and key pairs of our own that sign like SendGrid.</summary>
public static class EventKeys
{
    // The example SendGrid's libraries verify against (sendgrid-csharp RequestValidatorTests).
    public const string SendGridExamplePublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    public const string SendGridExamplePayload = """{"category":"example_payload","event":"test_event","message_id":"message_id"}""";
    public const string SendGridExampleSignature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    public const string SendGridExampleTimestamp = "1588788367";

    public sealed class Signer : IDisposable
    {
        private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public string PublicKey => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

        public string Sign(string timestamp, byte[] body) =>
            Convert.ToBase64String(key.SignData([.. Encoding.ASCII.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        public void Dispose() => key.Dispose();
    }
}
