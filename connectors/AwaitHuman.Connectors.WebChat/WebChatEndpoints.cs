using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Connectors.WebChat;

/// <summary>
/// The widget's API under <c>/connectors/webchat/{connection}/</c>. Every call carries the customer
/// session token (<c>Authorization: Bearer</c>); the tenant is the connection's, the escalation is
/// the one of the token's conversation, so a visitor sees nothing else. Browsers may call it only
/// from the connection's <c>allowed_origins</c>.
/// </summary>
static partial class WebChatEndpoints
{
    const string Base = "/connectors/webchat";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{Base}/widget.js", WidgetScript.Serve).ExcludeFromDescription();

        var api = endpoints.MapGroup($"{Base}/{{connection}}").ExcludeFromDescription();
        api.MapMethods("/{**path}", [HttpMethods.Options], Preflight);
        api.MapGet("/conversation", GetConversation);
        api.MapGet("/events", EventStream.Stream);
        api.MapPost("/messages", PostMessage);
        api.MapPost("/typing", PostTyping);
        api.MapPost("/receipts", PostReceipts);
    }

    /// <summary>A visitor whose token checked out, on a connection whose origin rules the request passed.</summary>
    internal sealed record Visit(ChannelConnection Connection, WebChatSession Session)
    {
        public string TenantId => Connection.TenantId;
    }

    /// <summary>The visit, or the answer that refuses it (404 unknown connection, 403 origin, 401 token).</summary>
    internal static async Task<(Visit? Visit, IResult? Refusal)> AdmitAsync(HttpContext context, string connection)
    {
        var services = context.RequestServices;
        if (await FindConnectionAsync(context, connection) is not { } found) return (null, NotFound("web chat connection"));
        if (!Cors.Apply(context, found)) return (null, Cors.Refusal);

        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (session, problem) = await SessionTokens.ValidateAsync(token, found.Id, found.Secret(WebChatConnector.SigningSecret), now);
        if (session is null)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebChatEndpoints))
                .LogInformation("Web chat session token refused on connection {Connection}: {Problem}", found.Id, problem);
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "The chat session token is missing, expired or not valid for this chat. Open the chat again."));
        }
        return (new Visit(found, session), null);
    }

    static async Task<ChannelConnection?> FindConnectionAsync(HttpContext context, string connection) =>
        Guid.TryParse(connection, out var id)
            ? await context.RequestServices.GetRequiredService<IChannelInbox>()
                .FindConnectionAsync(WebChatConnector.ProviderName, id, context.RequestAborted)
            : null;

    static async Task<IResult> Preflight(HttpContext context, string connection)
    {
        if (await FindConnectionAsync(context, connection) is not { } found) return NotFound("web chat connection");
        if (!Cors.Apply(context, found)) return Cors.Refusal;
        Cors.AllowPreflight(context);
        return Results.NoContent();
    }

    /// <summary>The escalation the visitor's conversation is in, or null when the agent has not escalated it.</summary>
    internal static Task<Guid?> EscalationOfAsync(HttpContext context, Visit visit) =>
        context.RequestServices.GetRequiredService<IConversationFeed>()
            .FindByExternalRefAsync(visit.TenantId, visit.Session.Conversation, context.RequestAborted);

    static async Task<IResult> GetConversation(HttpContext context, string connection)
    {
        var (visit, refusal) = await AdmitAsync(context, connection);
        if (visit is null) return refusal!;
        var afterText = context.Request.Query["after"].ToString();
        var after = 0;
        if (afterText.Length > 0 && (!int.TryParse(afterText, out after) || after < 0))
            return Invalid("after", "after is the position of the last message seen (a whole number, 0 or more).");

        if (await EscalationOfAsync(context, visit) is not { } escalation) return NotFound("conversation");
        var conversation = await context.RequestServices.GetRequiredService<IConversationFeed>()
            .ReadAsync(visit.TenantId, escalation, after, context.RequestAborted);
        return conversation is null ? NotFound("conversation") : Results.Json(ConversationView.Of(conversation), Json);
    }

    internal sealed record MessageBody(string? Id, string? Text);

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex ClientMessageId();

    static async Task<IResult> PostMessage(HttpContext context, string connection)
    {
        var (visit, refusal) = await AdmitAsync(context, connection);
        if (visit is null) return refusal!;
        if (await ReadBodyAsync<MessageBody>(context) is not { } body) return Invalid("body", "Send a JSON object {\"id\": ..., \"text\": ...}.");

        var errors = new Dictionary<string, string[]>();
        if (body.Id is null || !ClientMessageId().IsMatch(body.Id))
            errors["id"] = ["id is the message's client-generated id (1-100 letters, digits, '-', '_', '.', ':'), the same on every retry."];
        if (string.IsNullOrWhiteSpace(body.Text)) errors["text"] = ["text is required."];
        else if (body.Text.Length > WebChatConnector.MaxTextLength) errors["text"] = [$"text is at most {WebChatConnector.MaxTextLength} characters."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The request has invalid fields.");

        if (await EscalationOfAsync(context, visit) is not { } escalation) return NotFound("conversation");
        var services = context.RequestServices;
        var message = new InboundMessage(
            ProviderMessageId: $"{visit.Session.VisitorId}/{body.Id}",
            Channel: ChannelKinds.WebChat,
            From: visit.Session.VisitorId,
            FromName: visit.Session.Name,
            Text: body.Text!,
            At: services.GetRequiredService<TimeProvider>().GetUtcNow(),
            EscalationId: escalation);
        var result = await services.GetRequiredService<IChannelInbox>().ReceiveAsync(visit.Connection, message, context.RequestAborted);
        return result switch
        {
            InboundResult.Accepted => Results.Json(new { id = body.Id, status = "accepted" }, Json, statusCode: StatusCodes.Status202Accepted),
            InboundResult.Duplicate => Results.Json(new { id = body.Id, status = "duplicate" }, Json),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: "This conversation takes no more messages."),
        };
    }

    static async Task<IResult> PostTyping(HttpContext context, string connection)
    {
        var (visit, refusal) = await AdmitAsync(context, connection);
        if (visit is null) return refusal!;
        if (await EscalationOfAsync(context, visit) is not { } escalation) return NotFound("conversation");
        await context.RequestServices.GetRequiredService<IConversationFeed>().NotifyTypingAsync(
            visit.TenantId, escalation, ConversationParties.Customer, visit.Session.Name, context.RequestAborted);
        return Results.NoContent();
    }

    internal sealed record ReceiptBody(string? State, int? UpTo);

    /// <summary>The widget says which operator messages the customer has received or read, up to a position.</summary>
    static async Task<IResult> PostReceipts(HttpContext context, string connection)
    {
        var (visit, refusal) = await AdmitAsync(context, connection);
        if (visit is null) return refusal!;
        if (await ReadBodyAsync<ReceiptBody>(context) is not { } body) return Invalid("body", "Send a JSON object {\"state\": ..., \"up_to\": ...}.");
        var errors = new Dictionary<string, string[]>();
        if (body.State is not (DeliveryStates.Delivered or DeliveryStates.Read)) errors["state"] = ["state is delivered or read."];
        if (body.UpTo is not > 0) errors["up_to"] = ["up_to is the position of the last message received or read (1 or more)."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The request has invalid fields.");

        if (await EscalationOfAsync(context, visit) is not { } escalation) return NotFound("conversation");
        var services = context.RequestServices;
        var conversation = await services.GetRequiredService<IConversationFeed>().ReadAsync(visit.TenantId, escalation, 0, context.RequestAborted);
        if (conversation is null) return NotFound("conversation");

        var inbox = services.GetRequiredService<IChannelInbox>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var rank = DeliveryStates.Rank(body.State!);
        foreach (var message in conversation.Messages.Where(m => m.From == ConversationParties.Operator && m.Position <= body.UpTo))
        {
            if (DeliveryStates.Rank(message.DeliveryState ?? "") >= rank) continue;
            var providerId = WebChatConnector.ProviderMessageIdOf(message.Id);
            await inbox.ReportAsync(visit.Connection,
                new DeliveryReport($"{providerId}/{body.State}", providerId, message.Id, body.State!, now), context.RequestAborted);
        }
        return Results.NoContent();
    }

    static async Task<T?> ReadBodyAsync<T>(HttpContext context) where T : class
    {
        if (!context.Request.HasJsonContentType()) return null;
        try
        {
            return await context.Request.ReadFromJsonAsync<T>(Json, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request has invalid fields.");

    /// <summary>404 for anything missing or of another tenant: a visitor cannot tell the two apart.</summary>
    static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with that id exists here.");
}

/// <summary>What the widget reads: the customer's view of the escalation.</summary>
sealed record ConversationView(Guid EscalationId, string Status, string? OperatorName, IReadOnlyList<MessageView> Messages)
{
    public static ConversationView Of(Conversation conversation) => new(
        conversation.EscalationId, conversation.Status, conversation.OperatorName, [.. conversation.Messages.Select(MessageView.Of)]);
}

sealed record MessageView(Guid Id, int Position, string From, string? AuthorName, string Text, DateTimeOffset At, string? DeliveryState)
{
    public static MessageView Of(ConversationMessage m) => new(m.Id, m.Position, m.From, m.AuthorName, m.Text, m.At, m.DeliveryState);
}
