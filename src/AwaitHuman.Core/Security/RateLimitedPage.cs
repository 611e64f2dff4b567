using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Core.Security;

/// <summary>
/// Endpoint metadata for a page's form post: what a browser is shown when the rate limiter refuses
/// it (the page again with a sentence), instead of the API's problem document.
/// </summary>
/// <param name="Answer">Given the request and the seconds to wait, the page to answer with.</param>
public sealed record RateLimitedPage(Func<HttpContext, int, Task<IResult>> Answer);
