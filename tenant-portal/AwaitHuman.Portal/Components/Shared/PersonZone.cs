namespace AwaitHuman.Portal.Components.Shared;

/// <summary>
/// The signed-in person's time zone, cascaded by the console's layout to every page: the console shows
/// times in it rather than in the server's zone. The profile page changes it in place when saved.
/// </summary>
public sealed class PersonZone(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; set; } = zone;
}

public static class PersonZoneTimes
{
    /// <summary>The moment as the person's clock shows it; the server's zone until theirs is known.</summary>
    public static DateTimeOffset In(this DateTimeOffset at, PersonZone? zone) =>
        zone is null ? at.ToLocalTime() : TimeZoneInfo.ConvertTime(at, zone.Zone);
}
