using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Connectors.Twilio.Tests;

/// <summary>The server's check (the Twilio SDK's validator) against Twilio's published examples and the test side's own signer.</summary>
public class TwilioSignatureTests
{
    const string Token = "12345";
    const string DocsUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

    static List<KeyValuePair<string, string>> DocsParameters(string caller) =>
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", caller),
        new("Digits", "1234"),
        new("From", caller),
        new("To", "+18005551212"),
    ];

    [Theory]
    // Twilio's "Validating requests" page (https://www.twilio.com/docs/usage/security#validating-requests).
    [InlineData("+12349013030", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")]
    // Twilio's api-snippets (security/signature_validation), same token and URL.
    [InlineData("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("+14158675310", "GvWf1cFY/Q7PnoempGyD5oXAezc=")]
    public void The_published_examples_compute_and_validate(string caller, string published)
    {
        TwilioWebhookSigner.Sign(Token, DocsUrl, DocsParameters(caller)).ShouldBe(published);
        TwilioSignature.IsValid(Token, published, [DocsUrl], DocsParameters(caller)).ShouldBeTrue();
    }

    [Fact]
    public void Parameters_are_sorted_by_name_whatever_order_they_came_in()
    {
        var shuffled = DocsParameters("+12349013030").AsEnumerable().Reverse().ToList();
        TwilioWebhookSigner.Sign(Token, DocsUrl, shuffled).ShouldBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        TwilioSignature.IsValid(Token, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", [DocsUrl], shuffled).ShouldBeTrue();
    }

    [Fact]
    public void Sorting_is_by_ordinal_name_so_upper_case_comes_before_lower_case()
    {
        // Ordinal: "B" < "a"; a culture-aware sort would put "a" first and sign something else.
        List<KeyValuePair<string, string>> parameters = [new("a", "1"), new("B", "2")];
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            "token"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("https://x.test/hookB2a1")));
        TwilioWebhookSigner.Sign("token", "https://x.test/hook", parameters).ShouldBe(expected);
        TwilioSignature.IsValid("token", expected, ["https://x.test/hook"], parameters).ShouldBeTrue();
    }

    [Fact]
    public void A_repeated_name_signs_each_of_its_values_in_order()
    {
        List<KeyValuePair<string, string>> parameters = [new("MediaUrl", "https://b.test"), new("Body", "hi"), new("MediaUrl", "https://a.test")];
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            "token"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("https://x.test/hookBodyhiMediaUrlhttps://a.testMediaUrlhttps://b.test")));
        TwilioWebhookSigner.Sign("token", "https://x.test/hook", parameters).ShouldBe(expected);
        TwilioSignature.IsValid("token", expected, ["https://x.test/hook"], parameters).ShouldBeTrue();
        TwilioSignature.IsValid("token", expected, ["https://x.test/hook"], [.. parameters.Take(2)]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", DocsUrl)]
    [InlineData(DocsUrl, "https://mycompany.com:443/myapp.php?foo=1&bar=2")]
    [InlineData("http://127.0.0.1/connectors/twilio/x/status?message_id=1", "http://127.0.0.1:5000/connectors/twilio/x/status?message_id=1")]
    [InlineData("http://127.0.0.1/connectors/twilio/x/status?message_id=1", "http://127.0.0.1:80/connectors/twilio/x/status?message_id=1")]
    // The port variant keeps the path and query exactly, escapes included.
    [InlineData("https://example.com:443/a%2Fb?x=%20y", "https://example.com/a%2Fb?x=%20y")]
    [InlineData("http://[::1]/h", "http://[::1]:5000/h")]
    public void A_signature_over_the_url_with_or_without_its_port_is_accepted(string signedUrl, string requestUrl)
    {
        var parameters = DocsParameters("+12349013030");
        var signature = TwilioWebhookSigner.Sign(Token, signedUrl, parameters);
        TwilioSignature.IsValid(Token, signature, [requestUrl], parameters).ShouldBeTrue();
    }

    [Fact]
    public void Another_port_is_not_the_same_url()
    {
        var parameters = DocsParameters("+12349013030");
        var signature = TwilioWebhookSigner.Sign(Token, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", parameters);
        TwilioSignature.IsValid(Token, signature, [DocsUrl], parameters).ShouldBeFalse();
    }

    [Fact]
    public void Any_of_the_urls_may_be_the_signed_one()
    {
        var parameters = DocsParameters("+12349013030");
        TwilioSignature.IsValid(Token, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", ["http://10.0.0.5:8080/myapp.php?foo=1&bar=2", DocsUrl], parameters).ShouldBeTrue();
    }

    public static TheoryData<string, string?, string, List<KeyValuePair<string, string>>> Forgeries()
    {
        var signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
        var parameters = DocsParameters("+12349013030");
        return new()
        {
            { "another token", signature, DocsUrl, parameters },
            { Token, null, DocsUrl, parameters },
            { Token, "", DocsUrl, parameters },
            { Token, signature[..^2], DocsUrl, parameters },
            { Token, signature, "https://mycompany.com/myapp.php?foo=1&bar=3", parameters },
            { Token, signature, "https://evil.example/myapp.php?foo=1&bar=2", parameters },
            { Token, signature, DocsUrl, [.. parameters.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p)] },
            { Token, signature, DocsUrl, [.. parameters, new("Body", "extra")] },
            { Token, signature, DocsUrl, [.. parameters.Where(p => p.Key != "To")] },
        };
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Anything_changed_is_refused(string token, string? signature, string url, List<KeyValuePair<string, string>> parameters) =>
        TwilioSignature.IsValid(token, signature, [url], parameters).ShouldBeFalse();

    [Fact]
    public void No_auth_token_validates_nothing() =>
        TwilioSignature.IsValid("", TwilioWebhookSigner.Sign("", DocsUrl, []), [DocsUrl], []).ShouldBeFalse();
}
