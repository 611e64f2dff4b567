using AwaitHuman.Core.Teams;
using Microsoft.Extensions.Time.Testing;

namespace AwaitHuman.Core.Tests.Teams;

public class BusinessCalendarTests
{
    static OpeningHours[] Weekdays(string opens, string closes) =>
        new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(day => new OpeningHours(day, opens, closes)).ToArray();

    static readonly BusinessCalendar NewYork = BusinessCalendar.Of(new("America/New_York", Weekdays("09:00", "17:00"), ["2026-11-26"]));
    static readonly BusinessCalendar Berlin = BusinessCalendar.Of(new("Europe/Berlin", Weekdays("09:00", "17:00"), []));

    [Fact]
    public void Open_follows_each_team_local_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T15:00:00Z"));
        // 15:00 UTC: 16:00 in Berlin (open), 10:00 in New York (open).
        Berlin.IsOpen(clock.GetUtcNow()).ShouldBeTrue();
        NewYork.IsOpen(clock.GetUtcNow()).ShouldBeTrue();
        clock.Advance(TimeSpan.FromHours(1.5));
        // 16:30 UTC: 17:30 in Berlin (closed), 11:30 in New York (open).
        Berlin.IsOpen(clock.GetUtcNow()).ShouldBeFalse();
        NewYork.IsOpen(clock.GetUtcNow()).ShouldBeTrue();
    }

    [Fact]
    public void Holidays_and_weekends_are_closed_and_the_next_opening_skips_them()
    {
        // Thursday 2026-11-26 is a holiday in New York; Friday opens at 09:00 EST = 14:00 UTC.
        var holiday = DateTimeOffset.Parse("2026-11-26T15:00:00Z");
        NewYork.IsOpen(holiday).ShouldBeFalse();
        NewYork.NextOpen(holiday).ShouldBe(DateTimeOffset.Parse("2026-11-27T14:00:00Z"));
        // Saturday evening: next is Monday 09:00.
        NewYork.NextOpen(DateTimeOffset.Parse("2026-11-28T20:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-11-30T14:00:00Z"));
    }

    [Fact]
    public void Opening_hours_keep_local_time_across_daylight_saving_changes()
    {
        // Berlin leaves summer time on Sunday 2026-10-25: 09:00 is 07:00 UTC on Friday before, 08:00 UTC on Monday after.
        Berlin.NextOpen(DateTimeOffset.Parse("2026-10-23T06:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-10-23T07:00:00Z"));
        Berlin.NextOpen(DateTimeOffset.Parse("2026-10-23T16:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-10-26T08:00:00Z"));
        // New York enters summer time on 2026-03-08: 09:00 is 14:00 UTC before, 13:00 UTC after.
        NewYork.NextOpen(DateTimeOffset.Parse("2026-03-06T23:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-03-09T13:00:00Z"));
    }

    [Fact]
    public void A_night_window_on_the_day_clocks_go_back_counts_its_real_length()
    {
        // 00:00-06:00 on 2026-10-25 in Berlin lasts 7 hours: 02:00-03:00 happens twice.
        var night = BusinessCalendar.Of(new("Europe/Berlin", [new OpeningHours("sunday", "00:00", "06:00")], []));
        var start = DateTimeOffset.Parse("2026-10-24T22:00:00Z");
        night.AddWorkingTime(start, TimeSpan.FromHours(7)).ShouldBe(DateTimeOffset.Parse("2026-10-25T05:00:00Z"));
        night.IsOpen(DateTimeOffset.Parse("2026-10-25T04:59:00Z")).ShouldBeTrue();
        night.IsOpen(DateTimeOffset.Parse("2026-10-25T05:00:00Z")).ShouldBeFalse();
    }

    [Fact]
    public void Working_time_stops_while_closed()
    {
        // Friday 16:00 Berlin (15:00 UTC) plus 2 working hours: 1 hour Friday, 1 hour from Monday 09:00.
        Berlin.AddWorkingTime(DateTimeOffset.Parse("2026-11-27T15:00:00Z"), TimeSpan.FromHours(2))
            .ShouldBe(DateTimeOffset.Parse("2026-11-30T09:00:00Z"));
        BusinessCalendar.AlwaysOpen.AddWorkingTime(DateTimeOffset.Parse("2026-11-27T15:00:00Z"), TimeSpan.FromHours(2))
            .ShouldBe(DateTimeOffset.Parse("2026-11-27T17:00:00Z"));
    }

    [Fact]
    public void Bad_hours_are_named_by_field()
    {
        var problems = BusinessCalendar.Problems(new("Mars/Olympus", [new OpeningHours("funday", "9am", "08:00"), new OpeningHours("monday", "10:00", "09:00")], ["25.12.2026"]), "business_hours")
            .Select(p => p.Field).ToArray();
        problems.ShouldBe(["business_hours.time_zone", "business_hours.weekly[0].day", "business_hours.weekly[0].opens", "business_hours.weekly[1].closes", "business_hours.holidays[0]"]);
    }
}
