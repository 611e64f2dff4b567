using AwaitHuman.Core.Teams;

namespace AwaitHuman.Core.Assignment;

/// <summary>An operator who could take the escalation now: online, below capacity, with the skills asked for.</summary>
/// <param name="Load">Escalations they own or are offered now.</param>
/// <param name="LastTurn">When they last got work from the system (<see cref="AssignmentTurn"/>); null if never.</param>
/// <param name="Order">Their place in the team list, the last tie-breaker.</param>
public sealed record Candidate(Guid PersonId, string Name, int Load, int Capacity, IReadOnlyDictionary<string, int> Skills, long? LastTurn, int Order)
{
    public double Utilisation => Capacity == 0 ? 1 : (double)Load / Capacity;
}

/// <summary>The strategies as pure choices among candidates, so fairness can be tested without a database.</summary>
public static class AssignmentStrategy
{
    public static bool HasSkills(IReadOnlyDictionary<string, int> skills, IReadOnlyDictionary<string, int>? required) =>
        required is null || required.All(need => skills.TryGetValue(need.Key, out var level) && level >= need.Value);

    /// <summary>Those who can take it, best first: the strategy's choice, then who would be next if that one cannot.</summary>
    public static IReadOnlyList<Candidate> Rank(string strategy, IReadOnlyList<Candidate> candidates, IReadOnlyDictionary<string, int>? requiredSkills)
    {
        var able = candidates.Where(c => c.Load < c.Capacity && HasSkills(c.Skills, requiredSkills)).ToList();
        var longestWaiting = Comparer<Candidate>.Create((a, b) =>
            (a.LastTurn ?? long.MinValue).CompareTo(b.LastTurn ?? long.MinValue) is var turn && turn != 0 ? turn : a.Order.CompareTo(b.Order));
        return strategy switch
        {
            AssignmentStrategies.LeastLoaded => able.OrderBy(c => c.Utilisation).ThenBy(c => c, longestWaiting).ToList(),
            AssignmentStrategies.SkillsBased => able
                .OrderByDescending(c => SkillScore(c.Skills, requiredSkills))
                .ThenBy(c => c.Utilisation)
                .ThenBy(c => c, longestWaiting).ToList(),
            _ => able.Order(longestWaiting).ToList(),
        };
    }

    /// <summary>How well the skills fit: the levels of the required skills, or of all skills when none are required.</summary>
    static int SkillScore(IReadOnlyDictionary<string, int> skills, IReadOnlyDictionary<string, int>? required) =>
        required is null ? skills.Values.Sum() : required.Keys.Sum(skill => skills.GetValueOrDefault(skill));
}
