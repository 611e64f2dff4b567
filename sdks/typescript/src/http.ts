import { AwaitHumanError, ConnectionError } from "./errors.js";
import type { Problem } from "./types.js";

export interface HttpOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  fetch: typeof fetch;
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  requestTimeoutMs: number;
  userAgent: string;
}

export interface Call {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined | null> | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /**
   * The server may see the request twice without harm (reads, a create under an idempotency key):
   * then time-outs and 5xx are retried too, not only refusals that prove nothing was done.
   */
  replaySafe: boolean;
  signal?: AbortSignal | undefined;
  /** Per attempt; the client's request time-out when left out. */
  timeoutMs?: number | undefined;
  /** Retries without a count (a wait rides out an outage for as long as it lasts). */
  retryForever?: boolean | undefined;
}

/** Sends one call with retries; answers the parsed JSON body (undefined for 204) or throws an AwaitHumanError. */
export async function send<T>(options: HttpOptions, call: Call): Promise<T> {
  const { response, release } = await open(options, call, "application/json");
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new ConnectionError(`AwaitHuman's answer broke off: ${messageOf(error)}`, response.status, undefined, undefined, { cause: error });
  } finally {
    release();
  }
  if (text.length === 0) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new AwaitHumanError(`AwaitHuman answered ${response.status} with a body that is not JSON.`, response.status, undefined, undefined, { cause: error });
  }
}

/**
 * Sends with retries and returns the successful response unread (the event stream reads it as it
 * comes); call `release` once it is read, to end the attempt's time-out.
 */
export async function open(
  options: HttpOptions,
  call: Call,
  accept: string,
): Promise<{ response: Response; release: () => void; answeredInTime: () => void }> {
  const url = urlOf(options.baseUrl, call.path, call.query);
  // Serialized once, so every attempt sends the same bytes under the same idempotency key.
  const body = call.body === undefined ? undefined : JSON.stringify(call.body, finiteNumbers);
  const headers: Record<string, string> = { accept, "user-agent": options.userAgent, ...call.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (body !== undefined) headers["content-type"] = "application/json; charset=utf-8";

  for (let attempt = 0; ; attempt++) {
    call.signal?.throwIfAborted();
    const canRetry = call.retryForever || attempt < options.maxRetries;
    const attemptAbort = linked(call.signal, call.timeoutMs ?? options.requestTimeoutMs);
    let response: Response;
    try {
      response = await options.fetch(url, { method: call.method, headers, body, signal: attemptAbort.signal });
    } catch (error) {
      attemptAbort.dispose();
      call.signal?.throwIfAborted();
      // A refused connection proves the request never arrived; any other failure may have come after the server acted.
      if (canRetry && (call.replaySafe || isConnectionRefused(error))) {
        await delay(backoff(options, attempt), call.signal);
        continue;
      }
      const reason = attemptAbort.timedOut ? "no answer in time" : messageOf(error);
      throw new ConnectionError(`AwaitHuman could not be reached: ${reason}`, undefined, undefined, undefined, { cause: error });
    }
    if (response.ok) return { response, release: attemptAbort.dispose, answeredInTime: attemptAbort.stopTimer };

    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const transient = response.status === 429 || response.status === 408 || response.status >= 500;
    // 429 means the server did nothing, so even a write may try again.
    const mayRetry = response.status === 429 || call.replaySafe;
    if (transient && mayRetry && canRetry && (retryAfterMs === undefined || retryAfterMs <= options.maxRetryDelayMs)) {
      await response.body?.cancel().catch(() => undefined);
      attemptAbort.dispose();
      await delay(retryAfterMs ?? backoff(options, attempt), call.signal);
      continue;
    }
    const problem = await problemOf(response);
    attemptAbort.dispose();
    throw AwaitHumanError.fromResponse(response.status, problem, retryAfterMs);
  }
}

// JSON.stringify writes NaN and infinities as null, which the server would read as "not given".
function finiteNumbers(key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`${key || "The body"} is ${value}: only finite numbers can be sent.`);
  return value;
}

function urlOf(baseUrl: string, path: string, query: Call["query"]): string {
  const url = new URL(path, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  return url.toString();
}

async function problemOf(response: Response): Promise<Problem | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  try {
    return (await response.json()) as Problem;
  } catch {
    return undefined; // not a problem document after all: the status alone must do
  }
}

/** Exponential backoff with full jitter, capped. */
function backoff(options: HttpOptions, attempt: number): number {
  const ceiling = Math.min(options.maxRetryDelayMs, options.retryDelayMs * 2 ** Math.min(attempt, 20));
  return options.retryDelayMs / 2 + Math.random() * (ceiling - options.retryDelayMs / 2);
}

export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code === "ECONNREFUSED" || cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN";
}

function messageOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } } | undefined)?.cause?.message;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

/** An abort signal for one attempt: the caller's signal or the attempt's time-out, whichever comes first. */
function linked(outer: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(outer!.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("The attempt timed out.", "TimeoutError"));
  }, timeoutMs);
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const dispose = () => {
    stopTimer();
    outer?.removeEventListener("abort", onAbort);
  };
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose,
    stopTimer,
  };
}
