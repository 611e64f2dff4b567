using AwaitHuman.Portal.Components.Pages.Console.Inbox;

namespace AwaitHuman.Portal.Components.Tests.Console.Inbox;

/// <summary>The SLA countdown the inbox rows and the routing panel show: its words and its warning colours.</summary>
public sealed class SlaCountdownTests : BunitContext
{
    static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    AngleSharp.Dom.IElement Countdown(DateTimeOffset? dueAt) =>
        Render<SlaCountdown>(parameters => parameters.Add(c => c.DueAt, dueAt).Add(c => c.Now, Now)).Find("span");

    [Fact]
    public void Plenty_of_time_left_reads_plainly()
    {
        var countdown = Countdown(Now.AddHours(2).AddMinutes(5));

        countdown.TextContent.Trim().ShouldBe("2h 05m");
        countdown.ClassList.ShouldBe(["sla"]);
    }

    [Fact]
    public void Under_five_minutes_left_is_marked_soon()
    {
        var countdown = Countdown(Now.AddMinutes(4).AddSeconds(9));

        countdown.TextContent.Trim().ShouldBe("4m 09s");
        countdown.ClassList.ShouldBe(["sla", "soon"], ignoreOrder: true);
    }

    [Fact]
    public void A_passed_target_counts_up_as_late()
    {
        var countdown = Countdown(Now.AddSeconds(-90));

        countdown.TextContent.Trim().ShouldBe("late 1m 30s");
        countdown.ClassList.ShouldBe(["sla", "late"], ignoreOrder: true);
    }

    [Fact]
    public void A_day_or_more_reads_in_days_and_hours()
    {
        Countdown(Now.AddDays(3).AddHours(4).AddMinutes(59)).TextContent.Trim().ShouldBe("3d 4h");
    }

    [Fact]
    public void Without_a_target_it_shows_a_dash()
    {
        var countdown = Countdown(null);

        countdown.TextContent.ShouldBe("–");
        countdown.ClassList.ShouldBe(["sla", "none"], ignoreOrder: true);
    }
}
