using AwaitHuman.Core.Escalations.Waiting;
using Microsoft.Extensions.Time.Testing;

namespace AwaitHuman.Core.Tests.Escalations;

/// <summary>How a node keeps the notices it hears; sending them needs PostgreSQL and is tested across nodes.</summary>
public class ConsolePresenceTests
{
    const string Tenant = "tenant-1";
    static readonly Guid Escalation = Guid.NewGuid();
    static readonly Guid Anna = Guid.NewGuid();
    static readonly Guid Ben = Guid.NewGuid();

    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    readonly ConsolePresence _presence;

    public ConsolePresenceTests() => _presence = new ConsolePresence(store: null!, _clock);

    string? Hear(Guid person, string activity, string name) =>
        _presence.Heard(ConsolePresence.PayloadOf(Tenant, Escalation, person, activity, name));

    [Fact]
    public void Typing_falls_back_to_viewing_after_four_seconds_and_presence_expires_after_fifteen_without_an_announcement()
    {
        Hear(Anna, ConsolePresence.Viewing, "Anna").ShouldBe($"{Tenant}/{Escalation}");
        _clock.Advance(TimeSpan.FromSeconds(5));
        Hear(Anna, ConsolePresence.Typing, "Anna");
        _presence.Of(Tenant, Escalation).ShouldHaveSingleItem().Activity.ShouldBe(ConsolePresence.Typing);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Hear(Anna, ConsolePresence.Viewing, "Anna");
        _presence.Of(Tenant, Escalation).ShouldHaveSingleItem().Activity.ShouldBe(ConsolePresence.Typing, "a viewing announcement does not end a burst of typing");
        _clock.Advance(TimeSpan.FromSeconds(2.5));
        _presence.Of(Tenant, Escalation).ShouldHaveSingleItem().Activity.ShouldBe(ConsolePresence.Viewing);

        _clock.Advance(TimeSpan.FromSeconds(12));
        _presence.Of(Tenant, Escalation).ShouldHaveSingleItem().Seen.ShouldBe(_clock.GetUtcNow() - TimeSpan.FromSeconds(14.5));
        _clock.Advance(TimeSpan.FromSeconds(1));
        _presence.Of(Tenant, Escalation).ShouldBeEmpty();
    }

    [Fact]
    public void Names_may_hold_the_separator_and_leaving_removes_only_that_person()
    {
        Hear(Anna, ConsolePresence.Viewing, "Anna | Billing|EU");
        Hear(Ben, ConsolePresence.Typing, "Ben");

        _presence.Of(Tenant, Escalation).Select(p => p.Name).ShouldBe(["Anna | Billing|EU", "Ben"]);

        Hear(Anna, "left", "");
        _presence.Of(Tenant, Escalation).ShouldHaveSingleItem().PersonId.ShouldBe(Ben);
        _presence.Of(Tenant, Guid.NewGuid()).ShouldBeEmpty();
        _presence.Of("tenant-2", Escalation).ShouldBeEmpty();
    }

    [Fact]
    public void Malformed_notices_are_ignored()
    {
        _presence.Heard("presence|only|three").ShouldBeNull();
        _presence.Heard($"presence|{Tenant}/{Escalation}|not-a-guid|viewing|X").ShouldBeNull();
        Hear(Anna, "dancing", "Anna").ShouldBeNull();
        _presence.Of(Tenant, Escalation).ShouldBeEmpty();
    }
}
