using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Core.Accounts;

/// <summary>
/// A person who signs in (owner, admin, supervisor, operator). People are global: the tenants
/// they belong to and their role in each are <see cref="Members.Membership"/>s in Marten.
/// </summary>
public sealed class Person : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
