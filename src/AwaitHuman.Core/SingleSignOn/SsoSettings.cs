using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;

namespace AwaitHuman.Core.SingleSignOn;

/// <param name="Issuer">The identity provider's issuer URL, exactly as its tokens name it (e.g. https://acme.okta.com).</param>
/// <param name="ClientSecret">Required the first time; left out, the stored secret stays.</param>
/// <param name="Domains">The email domains the provider vouches for; people of them are sent to it from the sign-in page.</param>
/// <param name="DefaultRole">The role a person gets on their first sign-in: operator (default), supervisor or admin.</param>
/// <param name="RequireSso">Refuse password sign-in for everyone but <paramref name="BreakGlassEmail"/>.</param>
/// <param name="BreakGlassEmail">An owner who may still sign in with a password; required with <paramref name="RequireSso"/>.</param>
public sealed record ConfigureSingleSignOn(
    string? Issuer, string? ClientId, string? ClientSecret, string[]? Domains, string? DefaultRole, bool? RequireSso, string? BreakGlassEmail);

/// <summary>The tenant's single sign-on as shown back: never the client secret, only that one is stored.</summary>
/// <param name="RedirectUri">The address to register at the identity provider as the sign-in redirect URI.</param>
/// <param name="SignInUrl">A link that starts single sign-on for this tenant.</param>
public sealed record SingleSignOnDetails(
    string Issuer, string ClientId, bool ClientSecretSet, string[] Domains, string DefaultRole, bool RequireSso, string? BreakGlassEmail,
    string RedirectUri, string SignInUrl, DateTimeOffset UpdatedAt)
{
    public static SingleSignOnDetails Of(SsoConnection connection, string tenantSlug, string baseUrl) => new(
        connection.Issuer, connection.ClientId, connection.ProtectedClientSecret.Length > 0, connection.Domains, connection.DefaultRole,
        connection.RequireSso, connection.BreakGlassEmail,
        baseUrl.TrimEnd('/') + SsoPaths.Callback(tenantSlug), baseUrl.TrimEnd('/') + SsoPaths.Start(tenantSlug), connection.UpdatedAt);
}

/// <summary>Setting, reading and removing a tenant's single sign-on, for the API and the owner's page alike.</summary>
public static class SingleSignOnUseCases
{
    public static readonly IReadOnlyList<string> DefaultRoles = [Roles.Operator, Roles.Supervisor, Roles.Admin];

    /// <summary>The tenant's connection, in a session of that tenant.</summary>
    public static Task<SsoConnection?> FindAsync(IQuerySession session, CancellationToken ct) =>
        session.Query<SsoConnection>().FirstOrDefaultAsync(ct);

    /// <summary>Checks every field, then records the change in <paramref name="session"/> (the tenant's); the caller saves it.</summary>
    public static async Task<Outcome<SsoConnection>> ConfigureAsync(
        IDocumentSession session, ConfigureSingleSignOn request, SsoSecrets secrets, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var tenantId = session.TenantId;
        var existing = await FindAsync(session, ct);
        var issuer = request.Issuer?.Trim() ?? "";
        var clientId = request.ClientId?.Trim() ?? "";
        var secret = request.ClientSecret?.Trim();
        var domains = (request.Domains ?? []).Select(domain => domain.Trim().TrimStart('@').ToLowerInvariant()).Where(domain => domain.Length > 0).Distinct().ToArray();
        var role = string.IsNullOrWhiteSpace(request.DefaultRole) ? Roles.Operator : request.DefaultRole.Trim();
        var requireSso = request.RequireSso ?? false;
        var breakGlass = string.IsNullOrWhiteSpace(request.BreakGlassEmail) ? null : request.BreakGlassEmail.Trim();

        var errors = new Problems.Errors()
            .Check("issuer", IssuerProblem(issuer))
            .Check("client_id", clientId.Length == 0 ? "The client id is required: the one the identity provider gave this application."
                : clientId.Length > 200 || clientId.Any(char.IsControl) ? "The client id is at most 200 characters, without control characters." : null)
            .Check("client_secret", string.IsNullOrEmpty(secret) ? (existing is null ? "The client secret is required the first time." : null)
                : secret.Length > 1000 ? "The client secret is at most 1000 characters." : null)
            .Check("domains", domains.Length == 0 ? "At least one email domain is required, e.g. example.com."
                : domains.Length > 50 ? "At most 50 domains."
                : domains.FirstOrDefault(domain => Uri.CheckHostName(domain) != UriHostNameType.Dns || !domain.Contains('.')) is { } bad ? $"'{bad}' is not an email domain such as example.com."
                : null)
            .Check("default_role", DefaultRoles.Contains(role) ? null : "The default role is operator, supervisor or admin (owners are made by hand).")
            .Check("break_glass_email", requireSso && breakGlass is null
                ? "Name an owner who may still sign in with a password when single sign-on is required, in case the identity provider is down."
                : breakGlass is not null && !await IsOwnerAsync(session, breakGlass, ct) ? $"{breakGlass} is not an owner of this company." : null);
        if (errors.Any) return errors.ToFailure();

        // A domain sends its people to one company's identity provider, so it belongs to one tenant only.
        foreach (var domain in domains)
            if ((await session.Query<SsoConnection>().Where(c => c.AnyTenant() && c.Domains.Contains(domain)).ToListAsync(ct)).Any(c => c.TenantId != tenantId))
                return new Failure.Conflict($"The domain {domain} already signs in with another company's single sign-on.", "domains");

        var now = clock.GetUtcNow();
        var protectedSecret = string.IsNullOrEmpty(secret) ? existing!.ProtectedClientSecret : secrets.Protect(tenantId, secret);
        var configured = new SingleSignOnConfigured(existing?.Id ?? Guid.CreateVersion7(now), issuer, clientId, protectedSecret, domains, role,
            requireSso, breakGlass, by, now);
        if (existing is null)
        {
            session.Events.StartStream<SsoConnection>(configured.ConnectionId, configured);
            return SsoConnection.Create(configured);
        }
        session.Events.Append(existing.Id, configured);
        existing.Apply(configured);
        return existing;
    }

    public static async Task<Outcome<SsoConnection>> RemoveAsync(IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(session, ct) is not { } existing) return new Failure.NotFound("No single sign-on is configured for this company.");
        session.Events.Append(existing.Id, new SingleSignOnRemoved(existing.Id, existing.Issuer, by, clock.GetUtcNow()));
        return existing;
    }

    /// <summary>
    /// True when the tenant requires single sign-on and this person is not its break-glass owner:
    /// the password sign-in (and a switch into the tenant) is refused then.
    /// </summary>
    public static async Task<bool> RequiresSsoAsync(IDocumentStore store, string tenantId, string email, string role, CancellationToken ct)
    {
        await using var query = store.QuerySession(tenantId);
        return await FindAsync(query, ct) is { RequireSso: true } connection && !(connection.IsBreakGlass(email) && role == Roles.Owner);
    }

    /// <summary>The connection covering an email's domain, in whichever tenant it is.</summary>
    public static async Task<SsoConnection?> ForEmailAsync(IQuerySession session, string email, CancellationToken ct) =>
        SsoConnection.DomainOf(email) is { } domain
            ? await session.Query<SsoConnection>().Where(c => c.AnyTenant() && c.Domains.Contains(domain)).FirstOrDefaultAsync(ct)
            : null;

    static string? IssuerProblem(string issuer)
    {
        if (issuer.Length == 0) return "The issuer is required: your identity provider's issuer URL, e.g. https://acme.okta.com.";
        if (issuer.Length > 500 || !Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "The issuer must be an absolute https URL, e.g. https://acme.okta.com.";
        // Metadata and keys over plain http could be swapped on the way; only a provider on this machine may use it.
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback) return "The issuer must use https.";
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return "The issuer is a URL without a query, fragment or user name.";
        return null;
    }

    static async Task<bool> IsOwnerAsync(IQuerySession session, string email, CancellationToken ct) =>
        (await session.Query<Membership>().Where(m => m.Role == Roles.Owner).ToListAsync(ct))
            .Any(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The owner's single sign-on page (a Blazor circuit has no request): the same use cases as
/// <c>/v1/sso</c>, in a session of the caller's tenant, committed only when the use case succeeded.
/// </summary>
public sealed class SingleSignOnAdministration(IDocumentStore store, SsoSecrets secrets, TimeProvider clock)
{
    public async Task<SsoConnection?> FindAsync(Caller caller, CancellationToken ct)
    {
        await using var query = store.QuerySession(caller.TenantId);
        return await SingleSignOnUseCases.FindAsync(query, ct);
    }

    public Task<Outcome<SsoConnection>> ConfigureAsync(Caller caller, Actor by, ConfigureSingleSignOn request, CancellationToken ct) =>
        RunAsync(caller, session => SingleSignOnUseCases.ConfigureAsync(session, request, secrets, by, clock, ct), ct);

    public Task<Outcome<SsoConnection>> RemoveAsync(Caller caller, Actor by, CancellationToken ct) =>
        RunAsync(caller, session => SingleSignOnUseCases.RemoveAsync(session, by, clock, ct), ct);

    async Task<Outcome<SsoConnection>> RunAsync(Caller caller, Func<IDocumentSession, Task<Outcome<SsoConnection>>> change, CancellationToken ct)
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var outcome = await change(session);
        if (outcome.Succeeded) await session.SaveChangesAsync(ct);
        return outcome;
    }
}
