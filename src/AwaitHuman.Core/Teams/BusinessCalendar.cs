using System.Globalization;

namespace AwaitHuman.Core.Teams;

/// <summary>One opening window of a weekday in the team's local time; <c>closes</c> may be <c>24:00</c>.</summary>
public sealed record OpeningHours(string Day, string Opens, string Closes);

/// <summary>When a team works, in its own IANA time zone; holidays are local dates.</summary>
public sealed record BusinessHours(string TimeZone, OpeningHours[] Weekly, string[] Holidays);

/// <summary>
/// <see cref="BusinessHours"/> made ready to answer questions about instants: is it open, when does
/// it open next, what instant lies a given amount of working time ahead. Local wall times are
/// turned into instants per day, so days with a DST change count their real length.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>A team without business hours works around the clock.</summary>
    public static BusinessCalendar AlwaysOpen { get; } = new(TimeZoneInfo.Utc, null, []);

    const int SearchDays = 400;
    readonly TimeZoneInfo _zone;
    readonly (TimeSpan Opens, TimeSpan Closes)[][]? _byDay;
    readonly HashSet<DateOnly> _holidays;

    BusinessCalendar(TimeZoneInfo zone, (TimeSpan, TimeSpan)[][]? byDay, IEnumerable<DateOnly> holidays)
    {
        _zone = zone;
        _byDay = byDay;
        _holidays = [.. holidays];
    }

    public TimeZoneInfo Zone => _zone;

    public static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    /// <summary>Builds the calendar of hours that <see cref="Problems"/> found valid.</summary>
    public static BusinessCalendar Of(BusinessHours? hours)
    {
        if (hours is null) return AlwaysOpen;
        var byDay = new (TimeSpan, TimeSpan)[7][];
        for (var day = 0; day < 7; day++)
            byDay[day] = hours.Weekly.Where(w => w.Day == DayNames[day]).Select(w => (ParseTime(w.Opens)!.Value, ParseTime(w.Closes)!.Value)).OrderBy(w => w.Item1).ToArray();
        return new BusinessCalendar(TimeZoneInfo.FindSystemTimeZoneById(hours.TimeZone), byDay, hours.Holidays.Select(h => DateOnly.ParseExact(h, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    /// <summary>What is wrong with <paramref name="hours"/>, by field under <paramref name="path"/>.</summary>
    public static IEnumerable<(string Field, string Problem)> Problems(BusinessHours hours, string path)
    {
        if (string.IsNullOrWhiteSpace(hours.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone, out _))
            yield return ($"{path}.time_zone", "The time zone is an IANA name such as Europe/Berlin or America/New_York.");
        if (hours.Weekly is null || hours.Weekly.Length == 0)
            yield return ($"{path}.weekly", "Give at least one opening window, e.g. {\"day\": \"monday\", \"opens\": \"09:00\", \"closes\": \"17:00\"}; leave business_hours out for a team that works around the clock.");
        for (var i = 0; i < (hours.Weekly?.Length ?? 0); i++)
        {
            var window = hours.Weekly![i];
            if (window is null) { yield return ($"{path}.weekly[{i}]", "The window is required."); continue; }
            if (!DayNames.Contains(window.Day)) yield return ($"{path}.weekly[{i}].day", $"The day is one of {string.Join(", ", DayNames)}.");
            var opens = ParseTime(window.Opens);
            var closes = ParseTime(window.Closes);
            if (opens is null || opens == TimeSpan.FromHours(24)) yield return ($"{path}.weekly[{i}].opens", "The opening time is HH:mm, e.g. 09:00.");
            if (closes is null) yield return ($"{path}.weekly[{i}].closes", "The closing time is HH:mm, e.g. 17:30, or 24:00 for midnight.");
            else if (opens is not null && closes <= opens) yield return ($"{path}.weekly[{i}].closes", "The window closes after it opens.");
        }
        for (var i = 0; i < (hours.Holidays?.Length ?? 0); i++)
            if (!DateOnly.TryParseExact(hours.Holidays![i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                yield return ($"{path}.holidays[{i}]", "A holiday is a date such as 2026-12-25.");
    }

    static TimeSpan? ParseTime(string? text)
    {
        if (text == "24:00") return TimeSpan.FromHours(24);
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time.ToTimeSpan() : null;
    }

    public bool IsOpen(DateTimeOffset instant)
    {
        if (_byDay is null) return true;
        foreach (var (start, end) in WindowsFrom(instant))
            return start <= instant && instant < end;
        return false;
    }

    /// <summary>The instant it is open next: <paramref name="instant"/> itself when it is open then.</summary>
    public DateTimeOffset NextOpen(DateTimeOffset instant)
    {
        if (_byDay is null) return instant;
        foreach (var (start, _) in WindowsFrom(instant))
            return start > instant ? start : instant;
        return instant;
    }

    /// <summary>The instant when <paramref name="workingTime"/> of open hours has passed after <paramref name="from"/>.</summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan workingTime)
    {
        if (_byDay is null) return from + workingTime;
        var remaining = workingTime;
        foreach (var (start, end) in WindowsFrom(from))
        {
            var begin = start > from ? start : from;
            if (remaining <= end - begin) return begin + remaining;
            remaining -= end - begin;
        }
        return from + workingTime;
    }

    /// <summary>The open windows (as instants) that end after <paramref name="from"/>, in order.</summary>
    IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> WindowsFrom(DateTimeOffset from)
    {
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, _zone).DateTime).AddDays(-1);
        for (var d = 0; d < SearchDays; d++)
        {
            var date = firstDay.AddDays(d);
            if (_holidays.Contains(date)) continue;
            foreach (var (opens, closes) in _byDay![(int)date.DayOfWeek])
            {
                var start = ToInstant(date, opens);
                var end = ToInstant(date, closes);
                if (end > from && end > start) yield return (start, end);
            }
        }
    }

    /// <summary>A local wall time as an instant: a time skipped by DST moves to the end of the gap, a repeated one takes its first occurrence.</summary>
    DateTimeOffset ToInstant(DateOnly date, TimeSpan timeOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).Add(timeOfDay);
        var probe = local;
        while (_zone.IsInvalidTime(probe)) probe = probe.AddMinutes(15);
        if (_zone.IsAmbiguousTime(probe)) return new DateTimeOffset(probe, _zone.GetAmbiguousTimeOffsets(probe).Max());
        return new DateTimeOffset(probe, _zone.GetUtcOffset(probe));
    }
}
