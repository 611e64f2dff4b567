using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AwaitHuman.Connectors.SendGrid.Inbound;

/// <summary>
/// <c>POST /connectors/sendgrid/{connection}/inbound</c>: SendGrid Inbound Parse. SendGrid does not
/// sign these posts, so the Parse URL carries basic-auth credentials
/// (<c>https://sendgrid:PASSWORD@host/connectors/sendgrid/{connection}/inbound</c>), checked in
/// constant time before the body is read; anything else gets 403 and nothing is stored.
/// </summary>
public static class InboundParseEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid connection,
        HttpContext context,
        IChannelInbox inbox,
        IOptions<SendGridOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(InboundParseEndpoint));
        var found = await inbox.FindConnectionAsync(SendGridConnection.Provider, connection, cancellationToken);
        if (found is null || !HasCredentials(context.Request, found.Secret(SendGridConnection.InboundParsePassword)))
        {
            logger.LogWarning("Inbound Parse post for connection {Connection} refused: unknown connection or wrong credentials", connection);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var settings = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = settings.MaxInboundRequestBytes;
        if (context.Request.ContentLength > settings.MaxInboundRequestBytes)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        InboundParseForm form;
        try
        {
            form = await InboundParseForm.ReadAsync(context.Request.ContentType, context.Request.Body, settings.MaxAttachmentBytes, settings.MaxTotalAttachmentBytes, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var reading = InboundEmail.Read(form, found, settings, time.GetUtcNow());
        if (reading.ForgedAddress is not null)
        {
            // Answered 200 so SendGrid does not retry a message that will never be taken.
            logger.LogWarning("Inbound email to {Address} on connection {Connection} dropped: its reply address tag is not valid", reading.ForgedAddress, connection);
            return Results.Ok();
        }
        if (reading.IsAutomatic)
        {
            logger.LogInformation("Inbound email on connection {Connection} dropped: {Reason}", connection, reading.RefusedBecause);
            return Results.Ok();
        }
        if (reading.Message is null)
            return Results.Problem(reading.RefusedBecause, statusCode: StatusCodes.Status400BadRequest);

        var result = await inbox.ReceiveAsync(found, reading.Message, cancellationToken);
        logger.LogInformation("Inbound email {MessageId} on connection {Connection}: {Result}", reading.Message.ProviderMessageId, connection, result);
        return Results.Ok();
    }

    /// <summary>Basic credentials <c>sendgrid:{inbound_parse_password}</c>, compared in constant time.</summary>
    public static bool HasCredentials(HttpRequest request, string password)
    {
        if (password.Length == 0)
            return false;
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = Encoding.UTF8.GetBytes($"{SendGridConnection.InboundParseUser}:{password}");
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
