using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AwaitHuman.Connectors.WebChat;

/// <summary>Serves <c>widget.js</c> from the assembly, cacheable and revalidated by its content hash.</summary>
static class WidgetScript
{
    internal const string ResourceName = "AwaitHuman.Connectors.WebChat.widget.js";

    internal static readonly byte[] Content = Load();
    static readonly string ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Content))[..32]}\"";

    static byte[] Load()
    {
        using var stream = typeof(WidgetScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the web chat connector.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static IResult Serve(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<WebChatOptions>>().Value;
        var headers = context.Response.Headers;
        headers.CacheControl = $"public, max-age={(int)options.WidgetMaxAge.TotalSeconds}";
        headers.ETag = ETag;
        headers.XContentTypeOptions = "nosniff";
        if (EntityTagHeaderValue.TryParseList(context.Request.Headers.IfNoneMatch, out var tags) &&
            tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(ETag)))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(Content, "text/javascript; charset=utf-8");
    }
}
