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

    /// <summary>The token of the newest invitation mailed to <paramref name="email"/>, as its link carries it.</summary>
    public static async Task<string> InvitationTokenAsync(this AwaitHumanApp app, string email) =>
        (await app.LatestSandboxEmailAsync(email, "invitation"))?.Code ?? throw new InvalidOperationException($"No invitation was mailed to {email}.");

    /// <summary>Invites <paramref name="email"/> with <paramref name="inviter"/> and accepts as a new person with <paramref name="password"/>; the membership's id.</summary>
    public static async Task<string> InviteAndAcceptAsync(this AwaitHumanApp app, HttpClient inviter, string email, string role, string password)
    {
        using var invited = await inviter.PostAsJsonAsync("/v1/members", new { email, role });
        if (invited.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Could not invite {email}: {await invited.Content.ReadAsStringAsync()}");
        using var anonymous = app.CreateHttpClient();
        using var accepted = await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token = await app.InvitationTokenAsync(email), password });
        var body = await accepted.Content.ReadAsStringAsync();
        if (accepted.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Could not accept for {email}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("membership_id").GetString()!;
    }

    public static async Task<Person?> FindPersonAsync(this AwaitHumanApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<Person>>().FindByEmailAsync(email);
    }
}
