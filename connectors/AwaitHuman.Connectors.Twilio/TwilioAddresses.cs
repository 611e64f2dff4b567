using System.Text.RegularExpressions;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>Twilio's address and id formats.</summary>
public static partial class TwilioAddresses
{
    public const string WhatsAppPrefix = "whatsapp:";

    /// <summary>E.164: a plus, a country code not starting with 0, at most 15 digits in all.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    public static partial Regex E164();

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    public static partial Regex AccountSid();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    public static partial Regex MessagingServiceSid();

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$")]
    public static partial Regex ApiKeySid();

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    public static partial Regex AuthToken();

    [GeneratedRegex("^[0-9A-Za-z]{32}$")]
    public static partial Regex ApiKeySecret();

    /// <summary>The address Twilio expects on <paramref name="channel"/>: <c>whatsapp:+E164</c> or plain E.164.</summary>
    public static string OnChannel(string channel, string phone) =>
        channel == ChannelKinds.WhatsApp ? WhatsAppPrefix + WithoutWhatsApp(phone) : phone;

    public static string WithoutWhatsApp(string address) =>
        address.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) ? address[WhatsAppPrefix.Length..] : address;

    public static bool IsWhatsApp(string address) => address.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase);
}
