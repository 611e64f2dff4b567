using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.Routing;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace AwaitHuman.Server.Hosting;

/// <summary>What every node serves the same way: logs, telemetry, health, problem details, API docs.</summary>
public static class ServiceDefaults
{
    public const string ServiceName = "awaithuman";

    /// <summary>The public API's JSON: snake_case, as agents in any language expect.</summary>
    public static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string postgresConnectionString)
    {
        AddConsole(builder.Logging, builder.Environment);
        builder.AddOpenTelemetry();

        // Deciders take `now` from here, never from DateTime.UtcNow, so tests can control time.
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddNpgSql(postgresConnectionString, name: "postgres", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));

        builder.Services.AddProblemDetails();
        // The public API speaks snake_case JSON; Wolverine.Http shares these options with minimal APIs.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = ApiJson.PropertyNamingPolicy);
        builder.Services.AddOpenApi(openApi => openApi.AddSchemaTransformer(RequiredProperties.Transform).AddSchemaTransformer((schema, context, _) =>
        {
            if (EscalationExamples.All.TryGetValue(context.JsonTypeInfo.Type, out var example)
                || OperatorActionExamples.All.TryGetValue(context.JsonTypeInfo.Type, out example)
                || RoutingExamples.All.TryGetValue(context.JsonTypeInfo.Type, out example))
                schema.Examples = [JsonSerializer.SerializeToNode(example, context.JsonTypeInfo.Type, ApiJson)!];
            return Task.CompletedTask;
        }).AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AcceptsIdempotencyKeyAttribute>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = OpenEscalationEndpoint.IdempotencyHeader,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = AcceptsIdempotencyKeyAttribute.Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                });
            }
            return Task.CompletedTask;
        }).AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "AwaitHuman API";
            document.Info.Description = "Escalation-as-a-Service: AI agents hand a conversation to a human and get a structured answer back.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (ah_live_... or ah_test_...), a personal access token (ahp_...) or an OAuth access token from /connect/token.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
            return Task.CompletedTask;
        }));

        return builder;
    }

    /// <summary>Development reads best as one line per entry; everywhere else log aggregators want JSON.</summary>
    public static void AddConsole(ILoggingBuilder logging, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
            logging.AddSimpleConsole(o => o.SingleLine = true);
        else
            logging.AddJsonConsole(o => o.IncludeScopes = true);
    }

    static void AddOpenTelemetry(this WebApplicationBuilder builder)
    {
        // Only where a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT and friends): unexported,
        // every request would still record spans with tags for itself and each of its SQL commands.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource("Wolverine", "Marten", "Npgsql"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Wolverine", "Marten"))
            .UseOtlpExporter();
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Live: the process answers. Ready: it can reach its database and may take traffic.
        // A load balancer probes from one address many times a minute: never the anonymous per-address limit.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).DisableRateLimiting();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("AwaitHuman API"));
        return app;
    }
}
