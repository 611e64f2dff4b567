namespace AwaitHuman.Portal.Components;

/// <summary>
/// The portal's static files by their plain addresses, for the pages rendered without the console's
/// App around them (the console's App resolves its files through <c>@Assets</c>).
/// </summary>
public static class PortalAssets
{
    /// <summary>Every component's scoped CSS of this project, bundled by the Razor SDK.</summary>
    public const string ScopedStyles = "/_content/AwaitHuman.Portal/AwaitHuman.Portal.bundle.scp.css";

    /// <summary>The console's mark, also on the pages outside it (without it browsers ask for /favicon.ico).</summary>
    public const string Icon = "/_content/AwaitHuman.Portal/favicon.svg";

    /// <summary>The sign-up pages' slug suggestion and live check, and their copy buttons.</summary>
    public const string SignupScript = "/_content/AwaitHuman.Portal/signup.js";

    public const string SandboxDeviceScript = "/_content/AwaitHuman.Portal/sandbox-device.js";
}
