using System.Globalization;
using System.Threading.RateLimiting;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Onboarding.Signup;
using AwaitHuman.Core.Security;

namespace AwaitHuman.Server.Security;

/// <summary>Requests per window; configuration section <c>RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public int PerCredentialPerMinute { get; set; } = 600;
    public int PerTenantPerMinute { get; set; } = 3000;
    public int AnonymousPerAddressPerMinute { get; set; } = 120;
    /// <summary>Signup and its verification, per client address.</summary>
    public int SignupPerAddressPerHour { get; set; } = 20;
    /// <summary>Sign-in and password reset, per client address (lockout protects each account on top).</summary>
    public int SignInPerAddressPerMinute { get; set; } = 30;
}

/// <summary>
/// ASP.NET Core rate limiting: every request counts against its credential and its tenant (or its
/// address when anonymous); the public account endpoints have tighter per-address limits.
/// </summary>
public static class RateLimits
{
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Caller.From(context.User) is { } caller
                    ? Window($"credential:{caller.CredentialType}:{caller.CredentialId}", limits.PerCredentialPerMinute, TimeSpan.FromMinutes(1))
                    : Window($"address:{Address(context)}", limits.AnonymousPerAddressPerMinute, TimeSpan.FromMinutes(1))),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Caller.From(context.User) is { } caller
                    ? Window($"tenant:{caller.TenantId}", limits.PerTenantPerMinute, TimeSpan.FromMinutes(1))
                    : RateLimitPartition.GetNoLimiter("anonymous")));

            options.AddPolicy(SignupEndpoints.RateLimitPolicy, context =>
                Window($"signup:{Address(context)}", limits.SignupPerAddressPerHour, TimeSpan.FromHours(1)));
            options.AddPolicy(SignInEndpoints.RateLimitPolicy, context =>
                Window($"sign-in:{Address(context)}", limits.SignInPerAddressPerMinute, TimeSpan.FromMinutes(1)));

            options.OnRejected = async (rejected, ct) =>
            {
                var response = rejected.HttpContext.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
                if (rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RateLimitedPage>() is { } page)
                {
                    await (await page.Answer(rejected.HttpContext, Math.Max(1, retryAfter))).ExecuteAsync(rejected.HttpContext);
                    return;
                }
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Slow down: try again in {Math.Max(1, retryAfter)} seconds.",
                    },
                });
            };
        });
        return builder;
    }

    static RateLimitPartition<string> Window(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });

    static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
