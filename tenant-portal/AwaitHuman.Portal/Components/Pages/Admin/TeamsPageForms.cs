using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Teams;

namespace AwaitHuman.Portal.Components.Pages.Admin;

/// <summary>One weekday's row of the business hours form: one opening window a day.</summary>
public sealed class DayHours(string name)
{
    public string Name { get; } = name;
    public bool Open { get; set; }
    /// <summary>HH:mm as the API takes it; text, so 24:00 (midnight at the day's end) can be written.</summary>
    public string Opens { get; set; } = "09:00";
    public string Closes { get; set; } = "17:00";
}

/// <summary>The team's settings form: what the teams page edits, turned into the API's <see cref="TeamInput"/>.</summary>
public sealed class TeamSettings
{
    /// <summary>Monday first, as people read a week; the API's names.</summary>
    static readonly string[] Week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public string Name { get; set; } = "";
    public string Strategy { get; set; } = AssignmentStrategies.RoundRobin;
    public string Assignment { get; set; } = AssignmentModes.Direct;
    public int OfferSeconds { get; set; } = Team.DefaultOfferSeconds;
    public bool AroundTheClock { get; set; } = true;
    public string TimeZone { get; set; } = "UTC";
    public List<DayHours> Days { get; } = [.. Week.Select(day => new DayHours(day))];
    public string Holidays { get; set; } = "";

    public static TeamSettings Of(Team team)
    {
        var settings = new TeamSettings
        {
            Name = team.Name, Strategy = team.Strategy, Assignment = team.Assignment, OfferSeconds = team.OfferSeconds,
            AroundTheClock = team.BusinessHours is null,
        };
        if (team.BusinessHours is { } hours)
        {
            settings.TimeZone = hours.TimeZone;
            settings.Holidays = string.Join(", ", hours.Holidays);
            foreach (var day in settings.Days)
            {
                // The page edits one window a day; the API may hold more, and the first one is shown.
                if (hours.Weekly.FirstOrDefault(w => w.Day == day.Name) is not { } window) continue;
                day.Open = true;
                day.Opens = window.Opens;
                day.Closes = window.Closes;
            }
        }
        else
        {
            foreach (var day in settings.Days.Take(5)) day.Open = true;
        }
        return settings;
    }

    /// <summary>Where the day's window lands in the weekly list sent, so the API's errors find their row.</summary>
    public int? WindowIndex(DayHours day) => day.Open ? Days.Where(d => d.Open).ToList().IndexOf(day) : null;

    /// <summary>The request for <c>PUT /v1/teams/{id}</c>, keeping the members and what the page does not edit.</summary>
    public (TeamInput Request, Dictionary<string, string[]> FormatErrors) ToInput(Team team)
    {
        BusinessHours? hours = null;
        if (!AroundTheClock)
        {
            var holidays = Holidays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var weekly = Days.Where(d => d.Open).Select(d => new OpeningHours(d.Name, d.Opens.Trim(), d.Closes.Trim())).ToArray();
            hours = new BusinessHours(TimeZone.Trim(), weekly, holidays);
        }
        var errors = new Dictionary<string, string[]>();
        if (hours is { Weekly.Length: 0 }) errors["business_hours.time_zone"] = ["Tick the days it is open, or choose around the clock."];
        return (new TeamInput(Name, Strategy, Assignment, Assignment == AssignmentModes.Offer ? OfferSeconds : team.OfferSeconds, team.AverageHandleSeconds, hours), errors);
    }
}

/// <summary>A team member's row (or the add form): skills as <c>name:level</c> text, capacity, supervisor; presence and load as read.</summary>
public sealed class MemberRow
{
    public Guid PersonId { get; set; }
    public string Email { get; set; } = "";
    public string Presence { get; set; } = "offline";
    public int Held { get; set; }
    public int? Capacity { get; set; } = Team.DefaultCapacity;
    public string Skills { get; set; } = "";
    public bool Supervisor { get; set; }
    public Dictionary<string, int> ChannelCapacity { get; set; } = [];
    public IReadOnlyDictionary<string, string[]>? Errors { get; set; }

    public static MemberRow Of(TeamMember member, MemberAvailability? availability, string? email) => new()
    {
        PersonId = member.PersonId,
        Email = email ?? member.PersonId.ToString(),
        Presence = availability?.Presence ?? "offline",
        Held = availability?.Held ?? 0,
        Capacity = member.Capacity,
        Skills = string.Join(", ", member.Skills.Select(s => $"{s.Key}:{s.Value}")),
        Supervisor = member.Supervisor,
        ChannelCapacity = member.ChannelCapacity,
    };

    /// <summary>The request for <c>PUT /v1/teams/{id}/members/{person_id}</c>, or the skills' format problem.</summary>
    public (TeamMemberInput? Input, IReadOnlyDictionary<string, string[]>? FormatErrors) ToInput()
    {
        var skills = new Dictionary<string, int>();
        foreach (var part in Skills.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split(':', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[1], out var level))
                return (null, new Dictionary<string, string[]> { ["skills"] = [$"'{part}': write each skill as name:level, e.g. refunds:3 (levels 1 to 5)."] });
            skills[pair[0]] = level;
        }
        return (new TeamMemberInput(PersonId, skills, Capacity, ChannelCapacity, Supervisor), null);
    }
}
