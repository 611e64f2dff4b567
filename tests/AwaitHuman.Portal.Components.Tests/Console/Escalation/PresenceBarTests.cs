using AwaitHuman.Core.Escalations.Waiting;
using AwaitHuman.Portal.Components.Pages.Console.Escalation;
using MudBlazor.Services;

namespace AwaitHuman.Portal.Components.Tests.Console.Escalation;

/// <summary>The warning that someone else has the escalation open, so two people do not answer the same customer.</summary>
public sealed class PresenceBarTests : BunitContext
{
    static readonly DateTimeOffset Seen = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    public PresenceBarTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Alone_on_the_escalation_nothing_is_shown()
    {
        var bar = Render<PresenceBar>(parameters => parameters.Add(p => p.Others, []));

        bar.Markup.Trim().ShouldBeEmpty();
    }

    [Fact]
    public void Each_other_person_is_named_with_what_they_are_doing()
    {
        var bar = Render<PresenceBar>(parameters => parameters.Add(p => p.Others,
        [
            new PresentOperator(Guid.NewGuid(), "Ada", "typing", Seen),
            new PresentOperator(Guid.NewGuid(), "Bo", "viewing", Seen),
        ]));

        bar.Find("[role=status]").ShouldNotBeNull();
        bar.FindAll(".presence").Select(person => person.TextContent.Trim()).ShouldBe(["Ada is typing.", "Bo is also viewing."]);
    }
}
