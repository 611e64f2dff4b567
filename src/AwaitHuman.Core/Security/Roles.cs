namespace AwaitHuman.Core.Security;

/// <summary>A person's role in one tenant. Each role includes everything the roles below it may do.</summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Supervisor = "supervisor";
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Supervisor, Operator];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    /// <summary>Higher is more powerful; 0 for no role (machine credentials).</summary>
    public static int Rank(string? role) => role switch
    {
        Owner => 4,
        Admin => 3,
        Supervisor => 2,
        Operator => 1,
        _ => 0,
    };

    public static bool IsAtLeast(string? role, string minimum) => Rank(role) >= Rank(minimum);

    /// <summary>The least powerful role that holds <paramref name="scope"/>, to tell a refused person who may.</summary>
    public static string? LowestHolding(string scope) => All.Reverse().FirstOrDefault(role => ScopesOf(role).Contains(scope));

    /// <summary>The scopes a person of this role acts with, whatever credential they use.</summary>
    public static IReadOnlyList<string> ScopesOf(string role) => role switch
    {
        Owner => Scopes.All,
        Admin => Scopes.All.Where(scope => scope != Scopes.TenantManage).ToArray(),
        Supervisor => [Scopes.EscalationsRead, Scopes.EscalationsWrite, Scopes.TeamsRead, Scopes.RoutingRead, Scopes.MembersRead, Scopes.AuditRead, Scopes.CannedRepliesManage],
        // Operators see teams (to transfer), rules and SLA policies (why work reached them).
        Operator => [Scopes.EscalationsRead, Scopes.EscalationsWrite, Scopes.TeamsRead, Scopes.RoutingRead],
        _ => [],
    };
}
