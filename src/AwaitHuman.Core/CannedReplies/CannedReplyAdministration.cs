using System.Text.RegularExpressions;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using Marten;

namespace AwaitHuman.Core.CannedReplies;

/// <param name="TeamId">The team whose operators use it; leave out for every operator of the tenant.</param>
/// <param name="Shortcut">2 to 32 lowercase letters, digits, '-' or '_', unique among the tenant's (or the team's) replies.</param>
public sealed record CannedReplyInput(string? Title, string? Shortcut, string? Text, Guid? TeamId = null);

/// <summary>A canned reply as the API and the pages show it.</summary>
public sealed record CannedReplyInfo(
    Guid Id, string Title, string Shortcut, string Text, Guid? TeamId, string CreatedBy, DateTimeOffset CreatedAt, string? UpdatedBy, DateTimeOffset? UpdatedAt)
{
    public static CannedReplyInfo Of(CannedReply reply) =>
        new(reply.Id, reply.Title, reply.Shortcut, reply.Text, reply.TeamId, reply.CreatedBy, reply.CreatedAt, reply.UpdatedBy, reply.UpdatedAt);
}

/// <summary>
/// Canned replies for the API, the canned replies page and the composer. Who may change which:
/// admins and owners (and machine credentials with <c>canned_replies:manage</c>) every reply;
/// supervisors the replies of the teams they are members of, not tenant-wide ones; operators none.
/// Operators and supervisors see the tenant-wide replies and their teams'; admins see all.
/// </summary>
public sealed partial class CannedReplyAdministration(IDocumentStore store, TimeProvider clock)
{
    public const int MaxTitle = 80;
    public const int MaxText = 4000;
    /// <summary>Bounds what one tenant keeps, so a list is read whole and filtered by who asks.</summary>
    public const int MaxPerTenant = 1000;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,31}$")]
    private static partial Regex ShortcutPattern();

    /// <summary>The replies the caller may see, by title, in the list envelope; <paramref name="teamId"/> narrows to one team's.</summary>
    /// <param name="cursor">The previous page's <c>next_cursor</c>.</param>
    public async Task<Outcome<ListPage<CannedReplyInfo>>> ListAsync(Caller caller, Guid? teamId, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new Problems.Errors();
        var page = Paging.Read(errors, limit, cursor);
        if (errors.Any) return errors.ToFailure();

        var visible = await VisibleAsync(caller, ct);
        return Paging.Slice(visible.Where(r => teamId is null || r.TeamId == teamId).Select(CannedReplyInfo.Of), reply => Paging.ByName(reply.Title, reply.Id), page);
    }

    /// <summary>Every reply the caller may see, by title: the composer's list.</summary>
    public async Task<IReadOnlyList<CannedReply>> VisibleAsync(Caller caller, CancellationToken ct)
    {
        await using var query = store.QuerySession(caller.TenantId);
        var replies = await query.Query<CannedReply>().OrderBy(r => r.Title).ToListAsync(ct);
        if (SeesAll(caller)) return replies;
        var teams = await TeamsOfAsync(query, caller, ct);
        return replies.Where(r => r.TeamId is null || teams.Contains(r.TeamId.Value)).ToList();
    }

    public async Task<Outcome<CannedReplyInfo>> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var query = store.QuerySession(caller.TenantId);
        var reply = await query.LoadAsync<CannedReply>(id, ct);
        if (reply is null || !await MaySeeAsync(query, caller, reply, ct)) return Failure.NotFound.Of("canned reply");
        return CannedReplyInfo.Of(reply);
    }

    public async Task<Outcome<CannedReplyInfo>> CreateAsync(Caller caller, CannedReplyInput request, CancellationToken ct)
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var errors = await ProblemsOfAsync(session, request, ct);
        if (errors.Any) return errors.ToFailure();
        if (await RefusalAsync(session, caller, request.TeamId, ct) is { } refused) return refused;
        if (await session.Query<CannedReply>().CountAsync(ct) >= MaxPerTenant)
            return new Failure.CannotBeDone($"A tenant keeps at most {MaxPerTenant} canned replies; delete some first.");

        var now = clock.GetUtcNow();
        var reply = new CannedReply { Id = Guid.CreateVersion7(now), CreatedBy = caller.Name, CreatedAt = now };
        Apply(reply, request);
        session.Insert(reply);
        return await SaveAsync(session, reply, request, ct);
    }

    public async Task<Outcome<CannedReplyInfo>> ReplaceAsync(Caller caller, Guid id, CannedReplyInput request, CancellationToken ct)
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var reply = await session.LoadAsync<CannedReply>(id, ct);
        if (reply is null || !await MaySeeAsync(session, caller, reply, ct)) return Failure.NotFound.Of("canned reply");
        var errors = await ProblemsOfAsync(session, request, ct);
        if (errors.Any) return errors.ToFailure();
        // Both the scope it leaves and the one it moves to must be the caller's to manage.
        if (await RefusalAsync(session, caller, reply.TeamId, ct) is { } refusedHere) return refusedHere;
        if (await RefusalAsync(session, caller, request.TeamId, ct) is { } refusedThere) return refusedThere;

        Apply(reply, request);
        reply.UpdatedBy = caller.Name;
        reply.UpdatedAt = clock.GetUtcNow();
        session.Update(reply);
        return await SaveAsync(session, reply, request, ct);
    }

    /// <returns>The reply as it was.</returns>
    public async Task<Outcome<CannedReplyInfo>> DeleteAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var reply = await session.LoadAsync<CannedReply>(id, ct);
        if (reply is null || !await MaySeeAsync(session, caller, reply, ct)) return Failure.NotFound.Of("canned reply");
        if (await RefusalAsync(session, caller, reply.TeamId, ct) is { } refused) return refused;
        session.Delete(reply);
        await session.SaveChangesAsync(ct);
        return CannedReplyInfo.Of(reply);
    }

    /// <summary>Whether the caller may change any reply (their own teams' at least, for supervisors).</summary>
    public static bool MayManage(Caller caller) => caller.Has(Scopes.CannedRepliesManage);

    /// <summary>Admins and owners, and machine credentials (which have no role), manage every reply.</summary>
    public static bool SeesAll(Caller caller) => caller.Role is null ? caller.Has(Scopes.CannedRepliesManage) : Roles.IsAtLeast(caller.Role, Roles.Admin);

    /// <summary>The teams the caller is a member of.</summary>
    public static async Task<HashSet<Guid>> TeamsOfAsync(IQuerySession query, Caller caller, CancellationToken ct)
    {
        if (caller.PersonId is not { } personId) return [];
        var teams = await query.Query<Team>().ToListAsync(ct);
        return teams.Where(t => t.Member(personId) is not null).Select(t => t.Id).ToHashSet();
    }

    static async Task<bool> MaySeeAsync(IQuerySession query, Caller caller, CannedReply reply, CancellationToken ct) =>
        SeesAll(caller) || reply.TeamId is null || (await TeamsOfAsync(query, caller, ct)).Contains(reply.TeamId.Value);

    /// <summary>Why the caller may not change the replies of this scope, or null when they may.</summary>
    static async Task<Failure?> RefusalAsync(IQuerySession query, Caller caller, Guid? teamId, CancellationToken ct)
    {
        if (!MayManage(caller)) return new Failure.Forbidden($"Managing canned replies needs the {Scopes.CannedRepliesManage} scope (supervisors, admins and owners).");
        if (SeesAll(caller)) return null;
        if (teamId is null) return new Failure.Forbidden("Tenant-wide canned replies are managed by admins and owners; supervisors manage their teams' replies.");
        return (await TeamsOfAsync(query, caller, ct)).Contains(teamId.Value)
            ? null
            : new Failure.Forbidden("Supervisors manage the canned replies of the teams they are members of only.");
    }

    static void Apply(CannedReply reply, CannedReplyInput request)
    {
        reply.Title = request.Title!.Trim();
        reply.Shortcut = request.Shortcut!.Trim();
        reply.Text = request.Text!;
        reply.TeamId = request.TeamId;
        reply.Scope = CannedReply.ScopeOf(request.TeamId);
    }

    static async Task<Outcome<CannedReplyInfo>> SaveAsync(IDocumentSession session, CannedReply reply, CannedReplyInput request, CancellationToken ct)
    {
        if (await session.Query<CannedReply>().AnyAsync(r => r.Scope == reply.Scope && r.Shortcut == reply.Shortcut && r.Id != reply.Id, ct))
            return ShortcutTaken(request);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (PersonRules.IsUniqueViolation(e))
        {
            // Someone took the shortcut between the check above and this commit.
            return ShortcutTaken(request);
        }
        return CannedReplyInfo.Of(reply);
    }

    static Failure.Conflict ShortcutTaken(CannedReplyInput request) =>
        new($"The shortcut '{request.Shortcut!.Trim()}' is taken by another reply {(request.TeamId is null ? "of the tenant" : "of this team")}.", "shortcut");

    static async Task<Problems.Errors> ProblemsOfAsync(IQuerySession query, CannedReplyInput request, CancellationToken ct)
    {
        var unknown = request.Text is null ? [] : CannedReplyVariables.UnknownIn(request.Text);
        var errors = new Problems.Errors()
            .Check("title", string.IsNullOrWhiteSpace(request.Title) ? "The title is required."
                : request.Title.Trim().Length > MaxTitle ? $"The title is at most {MaxTitle} characters." : null)
            .Check("shortcut", string.IsNullOrWhiteSpace(request.Shortcut) ? "The shortcut is required."
                : !ShortcutPattern().IsMatch(request.Shortcut.Trim()) ? "A shortcut is 2 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit." : null)
            .Check("text", string.IsNullOrWhiteSpace(request.Text) ? "The text is required."
                : request.Text.Length > MaxText ? "The text is at most 4,000 characters."
                : unknown.Count > 0 ? $"Unknown {(unknown.Count == 1 ? "variable" : "variables")} {string.Join(", ", unknown)}; the variables are {string.Join(", ", CannedReplyVariables.All.Select(v => v.Token))}." : null);
        if (request.TeamId is { } teamId && await query.LoadAsync<Team>(teamId, ct) is null)
            errors.Check("team_id", "No team of this tenant has that id.");
        return errors;
    }
}
