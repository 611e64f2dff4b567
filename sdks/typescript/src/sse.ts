import { AwaitHumanError } from "./errors.js";
import { delay, open, type HttpOptions } from "./http.js";
import type { EscalationEvent, JsonObject } from "./types.js";

/**
 * Reads a Server-Sent Events stream and reconnects after a drop with `Last-Event-ID`, waiting the
 * `retry:` the server asked for. Errors the server answers (404, 401...) end the stream with the
 * typed error; network failures are retried like any read.
 */
export async function* streamEvents(
  http: HttpOptions,
  path: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<EscalationEvent> {
  let last = lastEventId;
  let retryMs = 2000;
  while (true) {
    signal?.throwIfAborted();
    // Our own controller, so leaving the loop early (break, return) closes the connection.
    const connection = new AbortController();
    const onAbort = () => connection.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const { response, release, answeredInTime } = await open(
        http,
        { method: "GET", path, headers: last ? { "last-event-id": last } : undefined, replaySafe: true, signal: connection.signal },
        "text/event-stream",
      );
      answeredInTime();
      try {
        for await (const message of messages(response)) {
          if (message.retry !== undefined) retryMs = message.retry;
          if (message.event === undefined && message.data === undefined) continue;
          if (message.id !== undefined) last = message.id;
          yield { id: message.id ?? "", type: message.event ?? "message", data: parseData(message.data) };
        }
      } finally {
        release();
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // The server refused (not found, unauthorized): reconnecting would not change that.
      if (error instanceof AwaitHumanError && error.status !== undefined) throw error;
      if (!(error instanceof AwaitHumanError) && !isDroppedStream(error)) throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      connection.abort();
    }
    await delay(retryMs, signal);
  }
}

interface Message {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
}

async function* messages(response: Response): AsyncGenerator<Message> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let current: Message = {};
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") {
          yield current;
          current = {};
          continue;
        }
        if (line.startsWith(":")) continue; // a comment: the server's keep-alive
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "id") current.id = value;
        else if (field === "event") current.event = value;
        else if (field === "data") current.data = current.data === undefined ? value : `${current.data}\n${value}`;
        else if (field === "retry" && /^\d+$/.test(value)) current.retry = Number(value);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function parseData(data: string | undefined): JsonObject {
  if (data === undefined || data === "") return {};
  try {
    return JSON.parse(data) as JsonObject;
  } catch {
    return { text: data };
  }
}

function isDroppedStream(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"));
}
