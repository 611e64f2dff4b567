using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.DataRights;

/// <param name="TranscriptRetentionDays">Days after an escalation ends until its transcript is masked; null keeps transcripts.</param>
public sealed record RetentionSetting(int? TranscriptRetentionDays);

/// <summary>
/// Customer data rights over the API. The customer's identifiers travel in a POST body, never in a
/// URL, so they stay out of access logs and browser histories.
/// </summary>
public static class DataRightsEndpoints
{
    public const int MaxRetentionDays = 3650;

    [WolverinePost("/v1/customer-data/export", OperationId = "ExportCustomerData")]
    [Authorize(Policy = Policies.CustomerDataRead)]
    [Tags("Customer data")]
    [EndpointSummary("Everything stored about one customer, found by email, phone or external reference")]
    public static async Task<IResult> Export(CustomerLookup request, CustomerDataRights rights, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await rights.ExportAsync(caller.TenantId, request, caller.AsActor(context), ct));
    }

    [WolverinePost("/v1/customer-data/erase", OperationId = "EraseCustomerData")]
    [Authorize(Policy = Policies.CustomerDataErase)]
    [Tags("Customer data")]
    [EndpointSummary("Erases one customer's personal data from every escalation; the escalations remain, masked")]
    public static async Task<IResult> Erase(CustomerLookup request, CustomerDataRights rights, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await rights.EraseAsync(caller.TenantId, request, caller.AsActor(context), ct));
    }

    [WolverineGet("/v1/customer-data/retention", OperationId = "GetTranscriptRetention")]
    [Authorize(Policy = Policies.CustomerDataRead)]
    [Tags("Customer data")]
    [EndpointSummary("How long transcripts of ended escalations are kept")]
    public static async Task<IResult> GetRetention(IDocumentStore store, HttpContext context, CancellationToken ct) =>
        Problems.Of(await RetentionAsync(store, Caller.Of(context).TenantId, ct));

    [WolverinePut("/v1/customer-data/retention", OperationId = "SetTranscriptRetention")]
    [Authorize(Policy = Policies.CustomerDataErase)]
    [Tags("Customer data")]
    [EndpointSummary("Sets how long transcripts of ended escalations are kept (null: until erased)")]
    public static async Task<IResult> SetRetention(RetentionSetting request, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await SetRetentionAsync(store, caller.TenantId, request.TranscriptRetentionDays, caller.AsActor(context), clock.GetUtcNow(), ct));
    }

    public static async Task<Outcome<RetentionSetting>> RetentionAsync(IDocumentStore store, string tenantId, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        var tenant = await session.LoadAsync<Tenant>(Guid.Parse(tenantId), ct);
        return tenant is null ? Failure.NotFound.Of("tenant") : new RetentionSetting(tenant.TranscriptRetentionDays);
    }

    public static async Task<Outcome<RetentionSetting>> SetRetentionAsync(IDocumentStore store, string tenantId, int? days, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        if (days is < 1 or > MaxRetentionDays)
            return Failure.Invalid.Of("transcript_retention_days", $"Between 1 and {MaxRetentionDays} days, or null to keep transcripts until they are erased.");
        await using var session = store.LightweightSession(tenantId);
        var tenant = await session.LoadAsync<Tenant>(Guid.Parse(tenantId), ct);
        if (tenant is null) return Failure.NotFound.Of("tenant");
        if (tenant.TranscriptRetentionDays != days)
        {
            session.Events.Append(tenant.Id, new TranscriptRetentionSet(tenant.Id, days, by, now));
            await session.SaveChangesAsync(ct);
        }
        return new RetentionSetting(days);
    }
}
