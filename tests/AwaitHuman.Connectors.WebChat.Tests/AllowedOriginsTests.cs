namespace AwaitHuman.Connectors.WebChat.Tests;

public class AllowedOriginsTests
{
    const string Setting = "https://www.example.com, http://localhost:3000  https://shop.example.com:8443";

    [Theory]
    [InlineData("https://www.example.com")]
    [InlineData("https://WWW.Example.com")]
    [InlineData("https://www.example.com:443")]
    [InlineData("http://localhost:3000")]
    [InlineData("https://shop.example.com:8443")]
    public void Listed_origins_are_allowed(string origin) => AllowedOrigins.Allows(Setting, origin).ShouldBeTrue();

    [Theory]
    [InlineData("http://www.example.com")]
    [InlineData("https://evil.example.com")]
    [InlineData("https://www.example.com.evil.com")]
    [InlineData("http://localhost:3001")]
    [InlineData("https://shop.example.com")]
    [InlineData("null")]
    [InlineData("")]
    public void Other_origins_are_not(string origin) => AllowedOrigins.Allows(Setting, origin).ShouldBeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("www.example.com")]
    [InlineData("https://www.example.com/path")]
    [InlineData("ftp://www.example.com")]
    [InlineData("https://www.example.com?x=1")]
    public void A_setting_that_is_not_a_list_of_origins_has_a_problem(string setting) =>
        AllowedOrigins.Problem(setting).ShouldNotBeNull();

    [Fact]
    public void A_list_of_origins_has_none() => AllowedOrigins.Problem(Setting).ShouldBeNull();
}
