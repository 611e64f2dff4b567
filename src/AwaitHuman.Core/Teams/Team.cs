using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.Teams;

/// <param name="Skills">Skill name to level, 1 (basic) to 5 (expert).</param>
/// <param name="Capacity">How many escalations the system gives them at once (offers included).</param>
/// <param name="ChannelCapacity">Lower limits for single channels, e.g. at most 1 <c>whatsapp</c> at a time.</param>
/// <param name="Supervisor">Notified by SLA ladders; still takes work like any member.</param>
public sealed record TeamMember(Guid PersonId, Dictionary<string, int> Skills, int Capacity, Dictionary<string, int> ChannelCapacity, bool Supervisor);

/// <summary>A team's settings (not its members), as created or last replaced.</summary>
public sealed record TeamDefined(
    Guid TeamId,
    string Name,
    string Strategy,
    string Assignment,
    int OfferSeconds,
    int AverageHandleSeconds,
    BusinessHours? BusinessHours,
    Actor By,
    DateTimeOffset At);

public sealed record TeamMemberSet(Guid TeamId, TeamMember Member, Actor By, DateTimeOffset At);

public sealed record TeamMemberRemoved(Guid TeamId, Guid PersonId, Actor By, DateTimeOffset At);

public sealed record TeamDeleted(Guid TeamId, Actor By, DateTimeOffset At);

public static class AssignmentStrategies
{
    /// <summary>Each member in turn: the one who got work longest ago goes next.</summary>
    public const string RoundRobin = "round_robin";
    /// <summary>The member with the most free capacity, relative to their capacity.</summary>
    public const string LeastLoaded = "least_loaded";
    /// <summary>Only members with the skills the rule asks for; the most skilled first, then the least loaded.</summary>
    public const string SkillsBased = "skills_based";
    public static readonly string[] All = [RoundRobin, LeastLoaded, SkillsBased];
}

public static class AssignmentModes
{
    /// <summary>The chosen operator owns it at once (with the usual claim lease).</summary>
    public const string Direct = "direct";
    /// <summary>The chosen operator is offered it and accepts within the offer time, else the next one is offered it.</summary>
    public const string Offer = "offer";
    public static readonly string[] All = [Direct, Offer];
}

/// <summary>A team of operators: who is in it, how work is handed out, when it works.</summary>
public sealed class Team : ITenanted
{
    /// <summary>How many escalations a member handles at once when their capacity is left out.</summary>
    public const int DefaultCapacity = 5;
    public const int DefaultOfferSeconds = 60;
    /// <summary>What an escalation is expected to take where no team says otherwise.</summary>
    public const int DefaultAverageHandleSeconds = 600;

    /// <summary>Filled in by Marten from the row; never shown.</summary>
    [JsonIgnore, AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string Strategy { get; set; } = AssignmentStrategies.RoundRobin;
    public string Assignment { get; set; } = AssignmentModes.Direct;
    public int OfferSeconds { get; set; }
    /// <summary>What one escalation usually takes; the queue's estimated wait is based on it.</summary>
    public int AverageHandleSeconds { get; set; }
    public BusinessHours? BusinessHours { get; set; }
    public List<TeamMember> Members { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static Team Create(TeamDefined defined)
    {
        var team = new Team { Id = defined.TeamId, CreatedAt = defined.At };
        team.Apply(defined);
        return team;
    }

    public void Apply(TeamDefined defined)
    {
        Name = defined.Name;
        Strategy = defined.Strategy;
        Assignment = defined.Assignment;
        OfferSeconds = defined.OfferSeconds;
        AverageHandleSeconds = defined.AverageHandleSeconds;
        BusinessHours = defined.BusinessHours;
        UpdatedAt = defined.At;
    }

    public void Apply(TeamMemberSet set)
    {
        var index = Members.FindIndex(m => m.PersonId == set.Member.PersonId);
        if (index >= 0) Members[index] = set.Member;
        else Members.Add(set.Member);
        UpdatedAt = set.At;
    }

    public void Apply(TeamMemberRemoved removed)
    {
        Members.RemoveAll(m => m.PersonId == removed.PersonId);
        UpdatedAt = removed.At;
    }

    public bool ShouldDelete(TeamDeleted _) => true;

    public TeamMember? Member(Guid personId) => Members.Find(m => m.PersonId == personId);
}
