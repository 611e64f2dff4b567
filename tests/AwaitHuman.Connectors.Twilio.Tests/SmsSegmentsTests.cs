namespace AwaitHuman.Connectors.Twilio.Tests;

public class SmsSegmentsTests
{
    [Theory]
    [InlineData("Hello, your refund is on its way.", 1)]
    [InlineData("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\r\n", 1)]
    [InlineData("Ça va?", 1)]
    public void Text_of_the_GSM_alphabet_is_GSM7(string text, int segments) =>
        SmsSegments.Measure(text).ShouldBe(new TextMeasure(text.Length, segments, "GSM-7"));

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(1530, 10)]
    public void GSM7_holds_160_in_one_message_and_153_per_segment(int length, int segments) =>
        SmsSegments.Measure(new string('a', length)).ShouldBe(new TextMeasure(length, segments, "GSM-7"));

    [Theory]
    [InlineData(80, 1)] // 160 septets
    [InlineData(81, 2)] // 162 septets
    public void Extension_characters_take_two_septets(int euros, int segments) =>
        SmsSegments.Measure(new string('€', euros)).ShouldBe(new TextMeasure(euros, segments, "GSM-7"));

    [Fact]
    public void Every_extension_character_counts_twice()
    {
        // 10 extension characters (20 septets) + 141 = 161 septets: two segments; 140 would fit one.
        SmsSegments.Measure("^{}\\[~]|€\f" + new string('a', 141)).Segments.ShouldBe(2);
        SmsSegments.Measure("^{}\\[~]|€\f" + new string('a', 140)).Segments.ShouldBe(1);
    }

    [Fact]
    public void An_escape_pair_is_not_split_across_segments()
    {
        // 306 septets would be two segments of 153, but the euro sign at septets 153-154 moves to the second.
        SmsSegments.Measure(new string('a', 152) + "€" + new string('a', 152)).Segments.ShouldBe(3);
        SmsSegments.Measure(new string('a', 153) + "€" + new string('a', 151)).Segments.ShouldBe(2);
    }

    [Theory]
    [InlineData("Привет", 1)]
    [InlineData("ça va?", 1)] // lower-case ç is not in the GSM alphabet
    [InlineData("Thanks “quoted”", 1)] // nor are curly quotes
    public void Any_character_outside_GSM_makes_it_UCS2(string text, int segments) =>
        SmsSegments.Measure(text).ShouldBe(new TextMeasure(text.Length, segments, "UCS-2"));

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void UCS2_holds_70_in_one_message_and_67_per_segment(int length, int segments) =>
        SmsSegments.Measure(new string('я', length)).ShouldBe(new TextMeasure(length, segments, "UCS-2"));

    [Fact]
    public void An_emoji_is_a_surrogate_pair_of_two_units()
    {
        SmsSegments.Measure(string.Concat(Enumerable.Repeat("😀", 35))).ShouldBe(new TextMeasure(70, 1, "UCS-2"));
        SmsSegments.Measure(string.Concat(Enumerable.Repeat("😀", 36))).ShouldBe(new TextMeasure(72, 2, "UCS-2"));
    }

    [Fact]
    public void A_surrogate_pair_is_not_split_across_segments()
    {
        // 134 units would be two segments of 67, but the emoji at units 67-68 moves to the second.
        SmsSegments.Measure(new string('я', 66) + "😀" + new string('я', 66)).Segments.ShouldBe(3);
        SmsSegments.Measure(new string('я', 65) + "😀" + new string('я', 67)).Segments.ShouldBe(2);
    }

    [Fact]
    public void One_emoji_turns_a_long_GSM_text_into_many_more_segments()
    {
        var text = new string('a', 150);
        SmsSegments.Measure(text).Segments.ShouldBe(1);
        SmsSegments.Measure(text + "🙂").ShouldBe(new TextMeasure(152, 3, "UCS-2"));
    }
}
