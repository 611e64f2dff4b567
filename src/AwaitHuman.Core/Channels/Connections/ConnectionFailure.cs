namespace AwaitHuman.Core.Channels.Connections;

/// <summary>
/// A connection's latest failed send (a test send, or a reply the provider refused, deferred or
/// kept failing), shown to admins beside the connection. A document of its own, not an event on the
/// connection's stream: sends run in parallel, and the newest failure simply replaces the last.
/// </summary>
/// <param name="Id">The connection's id.</param>
public sealed record ConnectionFailure(Guid Id, string? ErrorCode, string Error, DateTimeOffset At);
