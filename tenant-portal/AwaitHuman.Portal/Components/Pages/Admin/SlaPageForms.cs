using AwaitHuman.Core.Sla;

namespace AwaitHuman.Portal.Components.Pages.Admin;

/// <summary>The SLA policy form, turned into the API's <see cref="SlaPolicyInput"/> without judging it: the API's checks name what is wrong.</summary>
public sealed class SlaPolicyDraft
{
    public string Name { get; set; } = "";
    public int? FirstResponseSeconds { get; set; } = 900;
    public int? ResolutionSeconds { get; set; }
    public bool BusinessHoursOnly { get; set; }
    public List<SlaStepDraft> Steps { get; set; } = [];

    public static SlaPolicyDraft Of(SlaPolicy policy) => new()
    {
        Name = policy.Name, FirstResponseSeconds = policy.FirstResponseSeconds, ResolutionSeconds = policy.ResolutionSeconds,
        BusinessHoursOnly = policy.BusinessHoursOnly,
        Steps = policy.Steps.Select(step => new SlaStepDraft { AfterSeconds = step.AfterSeconds, Action = step.Action, Team = step.Team?.ToString() ?? "" }).ToList(),
    };

    public SlaPolicyInput ToInput() => new(Name, FirstResponseSeconds, ResolutionSeconds, BusinessHoursOnly,
        Steps.Select(step => new SlaStepInput(step.AfterSeconds, step.Action, step.Action == SlaActions.Widen && step.Team.Length > 0 ? step.Team : null)).ToArray());
}

public sealed class SlaStepDraft
{
    public int? AfterSeconds { get; set; }
    public string Action { get; set; } = SlaActions.NotifySupervisors;
    public string Team { get; set; } = "";
}
