using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace AwaitHuman.Portal.Session;

/// <summary>The signed-in person of this circuit as the core knows callers: tenant, role, person.</summary>
public sealed class ConsoleCaller(AuthenticationStateProvider authentication)
{
    public async Task<Caller> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Caller.From(state.User) is { PersonId: not null } caller
            ? caller
            : throw new InvalidOperationException("The console's pages require a signed-in person.");
    }
}
