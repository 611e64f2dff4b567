namespace AwaitHuman.Connectors.SendGrid.Tests;

public sealed class ReplyAddressesTests
{
    private const string Domain = TestConnections.InboundDomain;
    private const string Key = TestConnections.ReplyKey;

    [Fact]
    public void A_reply_address_leads_back_to_its_escalation()
    {
        var escalation = Guid.CreateVersion7();
        var address = ReplyAddresses.For(escalation, Domain, Key);

        address.ShouldEndWith("@" + Domain);
        address.Split('@')[0].Length.ShouldBeLessThanOrEqualTo(64);
        ReplyAddresses.Read(address, Domain, Key).ShouldBe(ReplyAddressMatch.Escalation(escalation));
        ReplyAddresses.Read(address.ToUpperInvariant(), Domain, Key).EscalationId.ShouldBe(escalation);
    }

    [Fact]
    public void Another_escalations_id_with_a_known_tag_is_a_forgery()
    {
        var mine = ReplyAddresses.For(Guid.CreateVersion7(), Domain, Key);
        var tag = mine.Split('@')[0].Split('.')[1];
        var theirs = $"reply+{Guid.CreateVersion7():N}.{tag}@{Domain}";

        ReplyAddresses.Read(theirs, Domain, Key).ShouldBe(ReplyAddressMatch.Forged);
    }

    [Fact]
    public void An_address_signed_with_another_key_is_a_forgery() =>
        ReplyAddresses.Read(ReplyAddresses.For(Guid.CreateVersion7(), Domain, "another-key-of-another-connection!!"), Domain, Key).IsForged.ShouldBeTrue();

    [Theory]
    [InlineData("reply+nonsense@reply.acme.example")]
    [InlineData("reply+0190a1b2c3d4e5f60718293a4b5c6d7e@reply.acme.example")]
    public void Malformed_reply_addresses_are_forgeries(string address) =>
        ReplyAddresses.Read(address, Domain, Key).IsForged.ShouldBeTrue();

    [Theory]
    [InlineData("support@reply.acme.example")]
    [InlineData("jane@customer.example")]
    public void Other_addresses_name_no_escalation(string address) =>
        ReplyAddresses.Read(address, Domain, Key).ShouldBe(ReplyAddressMatch.None);

    [Fact]
    public void A_reply_address_on_another_domain_names_no_escalation() =>
        ReplyAddresses.Read(ReplyAddresses.For(Guid.CreateVersion7(), "other.example", Key), Domain, Key).ShouldBe(ReplyAddressMatch.None);
}
