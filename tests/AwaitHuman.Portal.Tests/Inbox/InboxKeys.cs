using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>
/// The inbox's keys count only once the live page has told the browser to listen, a moment after
/// it renders; tests that press keys wait for that.
/// </summary>
public static class InboxKeys
{
    /// <summary>Records when the inbox starts and stops listening for keys, so a test presses them only once they count.</summary>
    const string Probe = """
        (() => {
          let console_;
          window.inboxKeysListening = false;
          Object.defineProperty(window, "awaitHumanConsole", {
            configurable: true,
            get: () => console_,
            set: value => {
              const listen = value.listenForKeys, stop = value.stopListeningForKeys;
              value.listenForKeys = dotnet => { listen(dotnet); window.inboxKeysListening = true; };
              value.stopListeningForKeys = () => { stop(); window.inboxKeysListening = false; };
              console_ = value;
            },
          });
        })();
        """;

    /// <summary>A person signed in, in a browser that knows when the inbox listens for keys.</summary>
    public static async Task<IPage> SignInAsync(ConsoleBrowser browser, TestMember member)
    {
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync(Probe);
        await ConsolePages.SignInAsync(page, member.Email, member.Password);
        return page;
    }

    /// <summary>Opens Unassigned and waits until the page listens for keys: before that a key press is lost.</summary>
    public static async Task ShowUnassignedListeningAsync(IPage page)
    {
        await ConsolePages.GoToAsync(page, "/?view=unassigned");
        await page.WaitForFunctionAsync("() => window.inboxKeysListening === true");
    }
}
