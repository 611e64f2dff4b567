using MudBlazor;

namespace AwaitHuman.Portal.Components.Layout;

/// <summary>Colours chosen for WCAG AA contrast on white (primary 7:1, the rest at least 4.5:1).</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4fd1",
            Secondary = "#5b3cc4",
            Error = "#b3261e",
            Warning = "#8a5300",
            Success = "#1b6b33",
            Info = "#0b5cad",
            AppbarBackground = "#1d2433",
            TextSecondary = "#4a5568",
        },
    };
}
