using System.Text;

namespace AwaitHuman.Connectors.WebChat.Tests;

public class WidgetScriptTests
{
    [Fact]
    public void The_widget_ships_inside_the_plugin_and_stays_small()
    {
        WidgetScript.Content.Length.ShouldBeGreaterThan(0);
        // One script tag on a customer's page: keep it under 15 KB, unminified.
        WidgetScript.Content.Length.ShouldBeLessThan(15 * 1024);
    }

    [Fact]
    public void The_widget_keeps_its_styles_in_a_shadow_root_and_announces_new_messages()
    {
        var script = Encoding.UTF8.GetString(WidgetScript.Content);

        script.ShouldContain("attachShadow");
        script.ShouldContain("\"aria-live\": \"polite\"");
        script.ShouldContain("Last-Event-ID");
    }
}
