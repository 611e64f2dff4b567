using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Teams;

namespace AwaitHuman.Core.Tests.Assignment;

public class AssignmentStrategyTests
{
    static readonly Dictionary<string, int> NoSkills = [];

    /// <summary>Runs 1,000 assignments, each finished before the next (no load builds up), and counts who got them.</summary>
    static Dictionary<Guid, int> Simulate(string strategy, IReadOnlyList<(Guid Id, int Capacity, Dictionary<string, int> Skills)> people, Dictionary<string, int>? required = null, Func<int, Guid, int>? loadOf = null)
    {
        var turns = new Dictionary<Guid, long>();
        var counts = people.ToDictionary(p => p.Id, _ => 0);
        for (var i = 0; i < 1_000; i++)
        {
            var candidates = people.Select((p, order) => new Candidate(p.Id, p.Id.ToString(), loadOf?.Invoke(i, p.Id) ?? 0, p.Capacity, p.Skills, turns.TryGetValue(p.Id, out var t) ? t : null, order)).ToList();
            var chosen = AssignmentStrategy.Rank(strategy, candidates, required).FirstOrDefault();
            if (chosen is null) continue;
            counts[chosen.PersonId]++;
            turns[chosen.PersonId] = i;
        }
        return counts;
    }

    static List<(Guid, int, Dictionary<string, int>)> People(int count) =>
        Enumerable.Range(0, count).Select(_ => (Guid.NewGuid(), 5, NoSkills)).ToList();

    [Fact]
    public void Round_robin_gives_each_member_the_same_share_of_1000()
    {
        var counts = Simulate(AssignmentStrategies.RoundRobin, People(7));
        counts.Values.Sum().ShouldBe(1_000);
        (counts.Values.Max() - counts.Values.Min()).ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public void Least_loaded_prefers_free_capacity_and_rotates_among_equals()
    {
        var people = People(4);
        var busy = people[0].Item1;
        // The first person always holds 4 of 5; the others are free: they share the work evenly.
        var counts = Simulate(AssignmentStrategies.LeastLoaded, people, loadOf: (_, id) => id == busy ? 4 : 0);
        counts[busy].ShouldBe(0);
        var others = people.Skip(1).Select(p => counts[p.Item1]).ToArray();
        (others.Max() - others.Min()).ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public void Nobody_at_capacity_is_chosen()
    {
        var people = People(3);
        var counts = Simulate(AssignmentStrategies.RoundRobin, people, loadOf: (_, id) => id == people[1].Item1 ? 5 : 0);
        counts[people[1].Item1].ShouldBe(0);
        Simulate(AssignmentStrategies.LeastLoaded, people, loadOf: (_, _) => 5).Values.Sum().ShouldBe(0);
    }

    [Fact]
    public void Skills_based_takes_only_the_skilled_and_the_most_skilled_first_then_shares_fairly()
    {
        var expert = (Guid.NewGuid(), 5, new Dictionary<string, int> { ["refunds"] = 5 });
        var juniors = Enumerable.Range(0, 2).Select(_ => (Guid.NewGuid(), 5, new Dictionary<string, int> { ["refunds"] = 3 })).ToList();
        var unskilled = (Guid.NewGuid(), 5, new Dictionary<string, int> { ["german"] = 5 });
        var everyone = new List<(Guid, int, Dictionary<string, int>)> { juniors[0], unskilled, expert, juniors[1] };
        var required = new Dictionary<string, int> { ["refunds"] = 2 };

        // While the expert has room they get everything; when full, the juniors share it.
        Simulate(AssignmentStrategies.SkillsBased, everyone, required)[expert.Item1].ShouldBe(1_000);
        var counts = Simulate(AssignmentStrategies.SkillsBased, everyone, required, (_, id) => id == expert.Item1 ? 5 : 0);
        counts[unskilled.Item1].ShouldBe(0);
        (counts[juniors[0].Item1] - counts[juniors[1].Item1]).ShouldBeInRange(-1, 1);
        counts.Values.Sum().ShouldBe(1_000);
    }
}
