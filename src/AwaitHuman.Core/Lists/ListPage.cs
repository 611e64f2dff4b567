using System.Buffers.Text;
using System.Text;
using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Core.Lists;

/// <summary>The one shape every list of the API answers: a page of items and the cursor of the next page.</summary>
/// <param name="NextCursor">Pass it back as <c>cursor</c> for the next page; null on the last page.</param>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    public ListPage<TOut> Select<TOut>(Func<T, TOut> map) => new([.. Items.Select(map)], NextCursor);
}

/// <summary>A list request's checked <c>limit</c> and the sort key its <c>cursor</c> carried (null for the first page).</summary>
public sealed record PageRequest(int Limit, string? After);

/// <summary>
/// Keyset paging for every list: a page ends at an item's sort key, the cursor carries that key
/// (base64url, opaque to callers), and the next page starts strictly after it, so items added or
/// deleted between two pages neither repeat nor shift the rest.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    const int MaxCursorLength = 512;
    const string CursorProblem = "Pass back the next_cursor of the previous page.";
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks <paramref name="limit"/> and <paramref name="cursor"/> into <paramref name="errors"/>; the request is meaningful only if no error was added.</summary>
    /// <param name="keyIsValid">For lists paged in the database: whether a decoded key has the form the query needs.</param>
    public static PageRequest Read(Problems.Errors errors, int? limit, string? cursor, Func<string, bool>? keyIsValid = null)
    {
        errors.Check("limit", limit is < 1 or > MaxLimit ? $"The limit is 1 to {MaxLimit}." : null);
        var after = cursor is null ? null : Decode(cursor);
        errors.Check("cursor", cursor is not null && (after is null || keyIsValid?.Invoke(after) == false) ? CursorProblem : null);
        return new(limit ?? DefaultLimit, after);
    }

    /// <summary>The 400 for a bad limit or cursor, or null and the request.</summary>
    public static IResult? Refuse(int? limit, string? cursor, out PageRequest request, Func<string, bool>? keyIsValid = null)
    {
        var errors = new Problems.Errors();
        request = Read(errors, limit, cursor, keyIsValid);
        return errors.Any ? errors.ToResult() : null;
    }

    /// <summary>
    /// One page of a whole list held in memory (a tenant's keys, teams, policies: lists its
    /// configuration bounds). The items are ordered by <paramref name="keyOf"/> here, ordinally, so
    /// the order and the cursor always agree.
    /// </summary>
    public static ListPage<T> Slice<T>(IEnumerable<T> items, Func<T, string> keyOf, PageRequest request, bool descending = false)
    {
        var keyed = items.Select(item => (Key: keyOf(item), Item: item));
        var ordered = descending ? keyed.OrderByDescending(pair => pair.Key, StringComparer.Ordinal) : keyed.OrderBy(pair => pair.Key, StringComparer.Ordinal);
        var rest = request.After is not { } after ? ordered
            : ordered.Where(pair => descending ? string.CompareOrdinal(pair.Key, after) < 0 : string.CompareOrdinal(pair.Key, after) > 0);
        return Trim([.. rest.Take(request.Limit + 1).Select(pair => pair.Item)], keyOf, request);
    }

    /// <summary>
    /// The page of rows a database query already ordered and started after the cursor, fetched with
    /// one row more than the limit so the next page's existence is known without a count.
    /// </summary>
    public static ListPage<T> Trim<T>(IReadOnlyList<T> rows, Func<T, string> keyOf, PageRequest request)
    {
        var page = rows.Take(request.Limit).ToArray();
        return new(page, rows.Count > request.Limit ? Encode(keyOf(page[^1])) : null);
    }

    /// <summary>A newest-first key: the time, then the id for items of the same instant.</summary>
    public static string ByTime(DateTimeOffset at, Guid id) => $"{at.UtcTicks:D19}|{id}";

    /// <summary>A by-name key, case set aside, then the id for equal names.</summary>
    public static string ByName(string name, Guid id) => $"{name.ToLowerInvariant()}\u0000{id}";

    /// <summary>A key for whole numbers that sorts as the numbers do.</summary>
    public static string ByNumber(long number) => number.ToString("D19");

    /// <summary>Reads a <see cref="ByTime"/> key back, for lists that page in the database.</summary>
    public static bool TryReadByTime(string key, out DateTimeOffset at, out Guid id)
    {
        (at, id) = (default, default);
        var parts = key.Split('|');
        if (parts.Length != 2 || parts[0].Length != 19 || !long.TryParse(parts[0], out var ticks) || ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParse(parts[1], out id)) return false;
        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    public static bool IsByTime(string key) => TryReadByTime(key, out _, out _);

    public static bool IsGuid(string key) => Guid.TryParse(key, out _);

    public static bool IsNumber(string key) => key.Length == 19 && long.TryParse(key, out _);

    static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    static string? Decode(string cursor)
    {
        if (cursor.Length is 0 or > MaxCursorLength || !Base64Url.IsValid(cursor)) return null;
        try { return StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor)); }
        catch (DecoderFallbackException) { return null; }
    }
}
