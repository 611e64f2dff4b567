namespace AwaitHuman.Connectors.SendGrid.Tests;

public sealed class EmailThreadingTests
{
    [Fact]
    public void Ids_are_read_from_headers_bare()
    {
        EmailThreading.IdsIn("<a@x.example> <b@y.example>\r\n\t<c@z.example>").ShouldBe(["a@x.example", "b@y.example", "c@z.example"]);
        EmailThreading.IdsIn("unbracketed@x.example").ShouldBe(["unbracketed@x.example"]);
        EmailThreading.IdsIn("no id here").ShouldBeEmpty();
        EmailThreading.IdsIn(null).ShouldBeEmpty();
    }

    [Fact]
    public void A_long_thread_keeps_its_root_and_the_latest_references()
    {
        var ids = Enumerable.Range(1, 30).Select(i => $"m{i}@x.example").ToList();

        var (inReplyTo, references) = EmailThreading.HeadersFor(ids);

        inReplyTo.ShouldBe("<m30@x.example>");
        var kept = references!.Split(' ');
        kept.Length.ShouldBe(EmailThreading.MaxReferences);
        kept[0].ShouldBe("<m1@x.example>");
        kept[1].ShouldBe("<m12@x.example>");
        kept[^1].ShouldBe("<m30@x.example>");
    }

    [Theory]
    [InlineData("Refund", true, "Re: Refund")]
    [InlineData("RE: Refund", true, "RE: Refund")]
    [InlineData("AW: Erstattung", true, "AW: Erstattung")]
    [InlineData("Refund", false, "Refund")]
    [InlineData(null, true, "Re: Your request")]
    [InlineData("  ", false, "Your request")]
    public void Subjects_get_one_reply_prefix(string? subject, bool isReply, string expected) =>
        EmailThreading.SubjectFor(subject, isReply, "Your request").ShouldBe(expected);
}
