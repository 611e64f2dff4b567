using Deque.AxeCore.Playwright;

namespace AwaitHuman.Portal.Tests.Shell;

/// <summary>Deque's axe on the page as it is now: no serious or critical violation is allowed.</summary>
public static class Axe
{
    public static async Task NoSeriousViolationsAsync(IPage page, string state)
    {
        var results = await page.RunAxe();
        var serious = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html.Length > 120 ? n.Html[..120] : n.Html))}")
            .ToList();
        serious.ShouldBeEmpty($"axe on {state}");
    }
}
