using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// Sends the SDK's requests, which always name <c>https://api.twilio.com</c>, to
/// <see cref="TwilioOptions.ApiBaseUrl"/>: the same place unless configured otherwise (tests point
/// it at a fake on loopback).
/// </summary>
sealed class TwilioApiAddress(IOptions<TwilioOptions> options) : DelegatingHandler
{
    static readonly Uri TwilioApi = new("https://api.twilio.com/");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && Uri.Compare(uri, TwilioApi, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0)
            request.RequestUri = new Uri(options.Value.ApiBaseUrl, uri.PathAndQuery.TrimStart('/'));
        return base.SendAsync(request, cancellationToken);
    }
}
