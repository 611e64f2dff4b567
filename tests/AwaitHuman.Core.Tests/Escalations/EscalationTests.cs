using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AwaitHuman.Core.Escalations;

namespace AwaitHuman.Core.Tests.Escalations;

/// <summary>The escalation's state: every event reaches it, and a copy decides apart from the original.</summary>
public class EscalationTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    static readonly Participant Ada = new("person", "ada", "ada@example.com");
    static readonly ReplyRoute Sms = new("sms", Guid.NewGuid(), "sandbox", "+4915112345678");

    /// <summary>
    /// Every record of the escalation's namespace that names an escalation and a time: what its
    /// stream holds. The deciders' messages live in folders of their own.
    /// </summary>
    static readonly Type[] Events = typeof(Escalation).Assembly.GetExportedTypes()
        .Where(type => type.Namespace == typeof(Escalation).Namespace && type.GetProperty("At")?.PropertyType == typeof(DateTimeOffset))
        .Where(type => type.GetConstructors().Any(c => c.GetParameters() is [{ Name: "EscalationId" } first, ..] && first.ParameterType == typeof(Guid)))
        .ToArray();

    static Escalation Opened() => Escalation.Create(new EscalationOpened(
        Guid.CreateVersion7(), EscalationKinds.Handoff, "refund_dispute", null, 0.4, "high", "conv-1",
        new Customer("Ada", null, "+4915112345678", null, "sms", null),
        [new TranscriptEntry(Guid.NewGuid(), "customer", "Charged twice", Now)],
        null, null, null, null, null, new Participant("api_key", "key-1", "support-bot"), Now));

    /// <summary>With a message on its way, a draft and an SLA, so events about them have something to change.</summary>
    static Escalation Busy(out Guid messageId, out Guid draftId)
    {
        var escalation = Opened();
        messageId = Guid.NewGuid();
        draftId = Guid.NewGuid();
        escalation.Advance(new EscalationClaimed(escalation.Id, Ada, Now.AddMinutes(15), Now));
        escalation.Advance(new OperatorReplied(escalation.Id, new TranscriptEntry(messageId, "operator", "Refunded", Now, Ada), null, Now.AddMinutes(15), Now, Sms));
        escalation.Advance(new DraftProposed(escalation.Id, draftId, "We are on it", Participant.System, Now));
        escalation.Advance(new SlaApplied(escalation.Id, Guid.NewGuid(), "Gold", Now.AddHours(1), null, [], "policy Gold", Now));
        return escalation;
    }

    [Fact]
    public void The_events_are_found()
    {
        Events.ShouldContain(typeof(EscalationOpened));
        Events.ShouldContain(typeof(DeliveryAccepted));
        Events.Length.ShouldBeGreaterThan(30);
    }

    [Fact]
    public void Every_event_after_opening_has_an_Apply_method_and_Advance_applies_it_the_same_way()
    {
        var missing = new List<string>();
        foreach (var type in Events.Where(type => type != typeof(EscalationOpened)))
        {
            var apply = typeof(Escalation).GetMethod(nameof(Escalation.Apply), [type]);
            if (apply is null)
            {
                missing.Add($"{type.Name} has no Apply method, so Marten's snapshot would skip it");
                continue;
            }
            var viaAdvance = Busy(out var messageId, out var draftId);
            var viaApply = viaAdvance.Copy();
            var e = Sample.Of(type, viaAdvance.Id, messageId, draftId);
            try
            {
                viaAdvance.Advance(e);
            }
            catch (ArgumentException)
            {
                missing.Add($"{type.Name} has no case in Escalation.Advance");
                continue;
            }
            apply.Invoke(viaApply, [e]);
            JsonSerializer.Serialize(viaAdvance).ShouldBe(JsonSerializer.Serialize(viaApply), type.Name);
        }
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Advance_refuses_what_is_not_an_escalation_event() =>
        Should.Throw<ArgumentException>(() => Opened().Advance("hello"));

    [Fact]
    public void A_copy_takes_further_events_while_the_original_stays_as_it_was()
    {
        var original = Opened();
        var copy = original.Copy();
        copy.Advance(new EscalationClaimed(original.Id, Ada, Now.AddMinutes(15), Now));
        copy.Advance(new OperatorReplied(original.Id, new TranscriptEntry(Guid.NewGuid(), "operator", "Refunded", Now, Ada), null, Now.AddMinutes(15), Now, Sms));
        copy.Advance(new NoteAdded(original.Id, Guid.NewGuid(), "VIP", Ada, Now));
        copy.Advance(new EscalationUnassigned(original.Id, Ada, "lease expired", Now));

        original.Status.ShouldBe(EscalationStatuses.WaitingForHuman);
        original.Transcript.Count.ShouldBe(1);
        original.Deliveries.ShouldBeEmpty();
        original.Notes.ShouldBeEmpty();
        original.PassedBy.ShouldBeEmpty();
        original.Routing.ShouldBeEmpty();
        copy.Transcript.Count.ShouldBe(2);
        copy.PassedBy.ShouldBe(["ada"]);
    }

    /// <summary>
    /// Copy is shallow but for the lists. A member added later is either a value nobody changes in
    /// place, or a list Copy must duplicate: anything else fails here until Copy handles it.
    /// </summary>
    [Fact]
    public void A_copy_shares_only_values_that_never_change()
    {
        var original = Busy(out _, out _);
        var copy = original.Copy();
        var problems = new List<string>();
        foreach (var field in typeof(Escalation).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            var name = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
            var type = field.FieldType;
            if (IsImmutable(type)) continue;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                if (!IsImmutable(type.GetGenericArguments()[0])) problems.Add($"{name} holds {type.GetGenericArguments()[0].Name} items, which the copy shares but someone may change");
                if (ReferenceEquals(field.GetValue(original), field.GetValue(copy))) problems.Add($"{name} is the same list in the copy; Copy must duplicate it");
                continue;
            }
            problems.Add($"{name} is a {type.Name}, which Copy neither duplicates nor may share");
        }
        problems.ShouldBeEmpty();
    }

    /// <summary>Values, strings, and records whose properties are set only at creation.</summary>
    static bool IsImmutable(Type type) =>
        type.IsValueType || type == typeof(string) ||
        (type.GetMethod("<Clone>$") is not null && type.GetProperties().All(p => p.SetMethod is null || IsInitOnly(p.SetMethod)));

    static bool IsInitOnly(MethodInfo setter) => setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    /// <summary>An instance of any event, built from its constructor, naming the escalation's message and draft where it asks for them.</summary>
    static class Sample
    {
        static readonly NullabilityInfoContext Nullability = new();

        public static object Of(Type type, Guid escalationId, Guid messageId, Guid draftId)
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            return constructor.Invoke(constructor.GetParameters().Select(parameter => parameter.Name switch
            {
                "EscalationId" => escalationId,
                "MessageId" => messageId,
                "DraftId" when parameter.ParameterType == typeof(Guid) => draftId,
                _ => Value(parameter.ParameterType, Nullability.Create(parameter).WriteState == NullabilityState.Nullable, escalationId, messageId, draftId),
            }).ToArray());
        }

        static object? Value(Type type, bool nullable, Guid escalationId, Guid messageId, Guid draftId) =>
            nullable || Nullable.GetUnderlyingType(type) is not null ? null
            : type == typeof(string) ? "first_response"
            : type == typeof(Guid) ? Guid.NewGuid()
            : type == typeof(DateTimeOffset) ? Now.AddMinutes(5)
            : type == typeof(int) ? 1
            : type == typeof(long) ? 1L
            : type == typeof(double) ? 1.0
            : type == typeof(bool) ? true
            : type.IsArray ? Array.CreateInstance(type.GetElementType()!, 0)
            : type.IsValueType ? Activator.CreateInstance(type)
            : Of(type, escalationId, messageId, draftId);
    }
}
