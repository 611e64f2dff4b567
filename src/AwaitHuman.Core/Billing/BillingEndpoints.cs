using AwaitHuman.Core.Billing.GettingDetails;
using AwaitHuman.Core.Billing.Subscribing;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Billing;

/// <summary>The owner's billing over HTTP: what the tenant pays for, and the two Stripe pages.</summary>
public static class BillingEndpoints
{
    [WolverineGet("/v1/billing", OperationId = "GetBilling")]
    [Authorize(Policy = Policies.Owner)]
    [Tags("Billing")]
    [EndpointSummary("The tenant's plan, seats, subscription and invoices")]
    public static Task<BillingDetails> Get(IQuerySession session, BillingDetailsReader reader, HttpContext context, CancellationToken ct) =>
        reader.ReadAsync(session, Caller.Of(context).TenantGuid, ct);

    [WolverinePost("/v1/billing/checkout", OperationId = "StartCheckout")]
    [Authorize(Policy = Policies.Owner)]
    [Tags("Billing")]
    [EndpointSummary("A Stripe Checkout page that subscribes the tenant to a paid plan")]
    public static async Task<IResult> Checkout(StartCheckout request, BillingUseCases billing, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await billing.StartCheckoutAsync(caller.TenantGuid, caller.PersonId, request, ct));
    }

    [WolverinePost("/v1/billing/portal", OperationId = "OpenCustomerPortal")]
    [Authorize(Policy = Policies.Owner)]
    [Tags("Billing")]
    [EndpointSummary("A Stripe Customer Portal page: card, invoices, seats, cancellation")]
    public static async Task<IResult> Portal(BillingUseCases billing, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await billing.OpenCustomerPortalAsync(caller.TenantGuid, caller.PersonId, ct));
    }
}
