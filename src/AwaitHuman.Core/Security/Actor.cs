using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Core.Security;

/// <summary>Who made a security-relevant change and from where, as recorded on its event.</summary>
/// <param name="Kind">A credential type, <c>person</c>, <c>platform</c> (the admin command line) or <c>system</c>.</param>
public sealed record Actor(string Kind, string? Id, string Name, string? SourceIp)
{
    public static Actor Platform(string name) => new("platform", null, name, null);

    public static Actor System(string name) => new("system", null, name, null);

    public static Actor Person(Guid personId, string email, HttpContext context) =>
        new("person", personId.ToString(), email, SourceIpOf(context));

    /// <summary>The client's address as Kestrel sees it; behind a proxy, forwarded headers middleware sets it.</summary>
    public static string? SourceIpOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
