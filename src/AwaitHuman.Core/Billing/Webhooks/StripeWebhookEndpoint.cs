using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Billing.Webhooks;

/// <summary>A Stripe event whose signature was good, waiting in the durable inbox to be handled once.</summary>
public sealed record HandleStripeEvent(string EventId, string Type, string Payload);

public static class StripeWebhookEndpoint
{
    public const string Path = "/webhooks/stripe";

    /// <summary>
    /// Stripe's webhook. The signature (<c>Stripe-Signature</c>, the endpoint's secret, five minutes'
    /// tolerance) is checked before anything is read; a good event goes to the durable inbox and
    /// Stripe gets its 200 once it is stored there, so a crash after the answer loses nothing.
    /// </summary>
    [WolverinePost(Path, OperationId = "StripeWebhook")]
    [AllowAnonymous]
    // Stripe calls from a few addresses for every tenant; the signature is the gate here.
    [DisableRateLimiting]
    [ExcludeFromDescription]
    public static async Task<IResult> Post(HttpContext context, IOptions<BillingOptions> options, IMessageBus bus, TimeProvider clock, ILogger<HandleStripeEvent> logger)
    {
        var billing = options.Value;
        if (!billing.Enabled) return Results.NotFound();

        if (context.Request.Headers["Stripe-Signature"] is not [{ Length: > 0 } signature])
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad signature", detail: "The Stripe-Signature header is missing.");
        string payload;
        using (var reader = new StreamReader(context.Request.Body))
            payload = await reader.ReadToEndAsync(context.RequestAborted);
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signature, billing.WebhookSecret,
                tolerance: (long)billing.WebhookTolerance.TotalSeconds, utcNow: clock.GetUtcNow().ToUnixTimeSeconds(),
                // Only ids are read from the body (the subscription itself is read from Stripe), so an
                // endpoint pinned to another API version still works.
                throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", e.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad signature", detail: e.Message);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or Newtonsoft.Json.JsonException or ArgumentException)
        {
            logger.LogWarning(e, "Stripe webhook with a good signature but an unreadable body refused");
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an event", detail: "The body is not a Stripe event.");
        }

        if (string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an event", detail: "The event has no id or type.");
        await bus.PublishAsync(new HandleStripeEvent(stripeEvent.Id, stripeEvent.Type, payload));
        return Results.Ok();
    }
}
