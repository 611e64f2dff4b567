namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// What an operator can do about Twilio's error codes (https://www.twilio.com/docs/errors/{code}),
/// for refusals of a send and for failed or undelivered status callbacks.
/// </summary>
public static class TwilioErrors
{
    public const string OutsideWhatsAppWindow = "63016";

    public static string Suggestion(string code, string channel) => code switch
    {
        "21610" => "The customer opted out of messages from this number (they sent STOP). Reach them on another channel, or ask them to text START.",
        "21211" => "The customer's number is not a valid phone number. Check it (E.164, e.g. +14155550100) or reach them on another channel.",
        "21614" => "The customer's number cannot receive SMS (a landline?). Call them or reach them on another channel.",
        "21612" or "21408" => "Twilio cannot send to this country or carrier from this number. Enable it in Twilio's geographic permissions, or use another channel.",
        "21606" or "21659" or "21660" => "The connection's sender cannot send this message. Check the connection's from number or Messaging Service in Twilio.",
        "21617" => "The text is too long for Twilio (1,600 characters). Shorten it.",
        "20003" or "20404" => "Twilio refused the connection's credentials. Check the Account SID and auth token (or API key) of the connection.",
        OutsideWhatsAppWindow => "The customer has not written on WhatsApp in the last 24 hours. Send an approved WhatsApp template, or reach them on another channel.",
        "63007" => "The connection has no WhatsApp sender for its from number. Check whatsapp_from or the Messaging Service's WhatsApp sender.",
        "63024" or "63003" => "This number cannot receive WhatsApp messages. Reach the customer by SMS or another channel.",
        "30003" or "30005" or "30006" => $"The customer's phone could not be reached by {Describe(channel)} (off, unknown or a landline). Try another channel.",
        "30004" or "30007" => $"The carrier blocked the message. Reach the customer on another channel.",
        _ => $"Twilio error {code}: see https://www.twilio.com/docs/errors/{code}. Another channel may reach the customer.",
    };

    static string Describe(string channel) => channel == ChannelKinds.WhatsApp ? "WhatsApp" : "SMS";
}
