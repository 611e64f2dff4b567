using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Testing;

/// <summary>Scenario helpers for people: sign one in as a browser would, look one up as Identity stores them.</summary>
public static class TestPeople
{
    /// <summary>An HTTP client holding the session cookie of <paramref name="email"/>, signed in to their (only, or named) tenant.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this AwaitHumanApp app, string email, string password, string? tenant = null)
    {
        var client = app.CreateHttpClient();
        using var response = await client.PostAsJsonAsync("/v1/auth/login", new { email, password, tenant });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            client.Dispose();
            throw new InvalidOperationException($"Could not sign in {email}: {(int)response.StatusCode} {body}");
        }
        return client;
    }

    public static async Task<Person?> FindPersonAsync(this AwaitHumanApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<Person>>().FindByEmailAsync(email);
    }
}
