using AwaitHuman.Core.Channels.Sandbox;
using AwaitHuman.Portal.Components.Pages.Sandbox;

namespace AwaitHuman.Portal.Components.Tests.Sandbox;

/// <summary>The simulated customer device's page: whose device it is, and the token its script reads and answers with.</summary>
public sealed class SandboxDevicePageTests : BunitContext
{
    static readonly SandboxAddress Address = new("tenant-1", Guid.NewGuid(), "sms", "+4915112345678");

    [Fact]
    public void The_page_names_the_address_and_hands_its_token_to_the_script_unchanged()
    {
        const string token = "CfDJ8\"<quoted>&+/=";

        var page = Render<SandboxDevicePage>(parameters => parameters.Add(p => p.Address, Address).Add(p => p.Token, token));

        page.Find("h1").TextContent.ShouldBe("Simulated customer device");
        page.Find("header p").TextContent.ShouldBe("+4915112345678 on sms (sandbox): what the customer receives, and where you answer as them.");
        var script = page.Find("script");
        script.GetAttribute("src").ShouldBe(PortalAssets.SandboxDeviceScript);
        script.GetAttribute("data-token").ShouldBe(token);
        script.TextContent.ShouldBeEmpty();
    }

    [Fact]
    public void The_conversation_is_announced_as_it_grows_and_the_answer_box_takes_what_the_device_api_takes()
    {
        var page = Render<SandboxDevicePage>(parameters => parameters.Add(p => p.Address, Address).Add(p => p.Token, "token"));

        var conversation = page.Find("ol#messages");
        conversation.GetAttribute("aria-label").ShouldBe("Conversation");
        conversation.GetAttribute("aria-live").ShouldBe("polite");
        page.Find("label[for=text]").TextContent.ShouldBe("Message as the customer");
        page.Find("textarea#text").GetAttribute("maxlength").ShouldBe("4096");
    }
}
