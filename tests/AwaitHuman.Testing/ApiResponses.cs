using System.Net;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace AwaitHuman.Testing;

/// <summary>
/// Reads answers as the JSON on the wire (snake_case), not as the server's C# types, so a renamed
/// field fails a test the way it would fail a client.
/// </summary>
public static class ApiResponses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return document.RootElement.Clone();
    }

    /// <summary>The items of a list answer, asserting the envelope every list answers: <c>{"items": [...], "next_cursor": string|null}</c>.</summary>
    public static JsonElement[] Items(this JsonElement page)
    {
        page.EnumerateObject().Select(property => property.Name).ShouldBe(["items", "next_cursor"], ignoreOrder: true, page.ToString());
        page.GetProperty("next_cursor").ValueKind.ShouldBeOneOf(JsonValueKind.String, JsonValueKind.Null);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>One page of the list at <paramref name="path"/>: 200 and the envelope.</summary>
    public static async Task<JsonElement> PageAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var page = await response.JsonAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, page.ToString());
        page.Items();
        return page;
    }

    /// <summary>Every item of the list at <paramref name="path"/>, following next_cursor page by page.</summary>
    public static async Task<JsonElement[]> ListAllAsync(this HttpClient client, string path, int limit = 100)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?') ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await client.PageAsync($"{path}{separator}limit={limit}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            items.AddRange(page.Items());
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        return [.. items];
    }

    /// <summary>Asserts the status and an RFC 7807 body that says the same; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        using var document = JsonDocument.Parse(text);
        document.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a 400 whose <c>errors</c> name exactly <paramref name="fields"/>, each with a message; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeInvalidAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().ToList();
        errors.Select(error => error.Name).ShouldBe(fields, ignoreOrder: true, problem.ToString());
        foreach (var error in errors)
            error.Value.EnumerateArray().Select(message => message.GetString()).ShouldAllBe(message => !string.IsNullOrWhiteSpace(message));
        return problem;
    }
}
