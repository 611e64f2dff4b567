using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Components.Authorization;

namespace AwaitHuman.Portal.Session;

/// <summary>The signed-in person of this circuit as the core knows callers: tenant, role, person.</summary>
public sealed class ConsoleCaller(AuthenticationStateProvider authentication, IDocumentStore store, CredentialCache credentials)
{
    public async Task<Caller> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (Caller.From(state.User) is not { PersonId: { } personId } caller)
            throw new InvalidOperationException("The console's pages require a signed-in person.");
        // The circuit's claims are as old as the circuit; a display name changed since must still sign replies.
        return caller with { DisplayName = await credentials.DisplayNameAsync(store, personId, CancellationToken.None) ?? caller.DisplayName };
    }
}
