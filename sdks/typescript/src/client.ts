import { WaitTimeoutError } from "./errors.js";
import { delay, send, type Call, type HttpOptions } from "./http.js";
import { streamEvents } from "./sse.js";
import type {
  CreateWebhookEndpoint,
  CreatedEscalation,
  Escalation,
  EscalationEvent,
  EscalationFilter,
  EscalationRequest,
  EscalationSummary,
  MessageRole,
  Page,
  PageOptions,
  ProposedDraft,
  UpdateWebhookEndpoint,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "./types.js";

export const VERSION = "0.1.0";

export interface AwaitHumanClientOptions {
  /** The server, e.g. `https://api.awaithuman.example`. */
  baseUrl: string;
  /** `ah_live_...`, with `escalations:read` and `escalations:write` (and `webhooks:manage` for webhook endpoints). */
  apiKey?: string;
  /** Another fetch (a proxy agent, a test double); the global one when left out. */
  fetch?: typeof fetch;
  /** Retries of a failed call (network errors, time-outs, 408, 429, 5xx). Default 4. */
  maxRetries?: number;
  /** The first retry's delay, doubled each time with jitter. Default 1000 ms. */
  retryDelayMs?: number;
  /** The longest delay between retries; a longer `Retry-After` goes back to the caller. Default 30000 ms. */
  maxRetryDelayMs?: number;
  /** How long one attempt may take. Default 30000 ms. */
  requestTimeoutMs?: number;
  /** How long each long poll of a wait is held open on the server, 1 to 60 s. Default 60. */
  waitPollSeconds?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface EscalateOptions extends CallOptions {
  /**
   * Makes the create safe to repeat: the server answers a repeat with the escalation the key first
   * made, and refuses the key with another body. Generated when left out; pass your own (e.g.
   * derived from your conversation id) so a create your own process repeats after a crash is safe too.
   */
  idempotencyKey?: string;
}

export interface WaitOptions extends CallOptions {
  /** How long to wait at most; as long as it takes when left out. */
  timeoutMs?: number;
}

export interface EventStreamOptions extends CallOptions {
  /** Resume after this event id (the `id` of the last event you handled). */
  lastEventId?: string;
}

/** Which escalation to wait for: the resume token from the create (survives restarts), or its id. */
export type WaitTarget = { resumeToken: string } | { id: string };

/**
 * What an agent calls; `AwaitHumanClient` implements it. Type your code against this interface to
 * hand it a test double in unit tests.
 */
export interface AwaitHumanApi {
  escalate(request: EscalationRequest, options?: EscalateOptions): Promise<CreatedEscalation>;
  get(id: string, options?: CallOptions): Promise<Escalation>;
  list(filter?: EscalationFilter, cursor?: string | null, options?: CallOptions): Promise<Page<EscalationSummary>>;
  listAll(filter?: EscalationFilter, options?: CallOptions): AsyncIterable<EscalationSummary>;
  appendMessage(id: string, message: { role: MessageRole; content: string; at?: string }, options?: CallOptions): Promise<Escalation>;
  proposeDraft(id: string, content: string, options?: CallOptions): Promise<ProposedDraft>;
  cancel(id: string, reason?: string, options?: CallOptions): Promise<Escalation>;
  waitForHuman(target: WaitTarget, options?: WaitOptions): Promise<Escalation & { hand_back: NonNullable<Escalation["hand_back"]> }>;
  events(id: string, options?: EventStreamOptions): AsyncIterable<EscalationEvent>;
  readonly webhookEndpoints: WebhookEndpointsApi;
}

/** The tenant's webhook endpoints (scope `webhooks:manage`). */
export interface WebhookEndpointsApi {
  /** Registers a URL; the answer shows the signing `secret` this once. */
  create(endpoint: CreateWebhookEndpoint, options?: CallOptions): Promise<WebhookEndpointWithSecret>;
  /** One page, newest first; pass `next_cursor` back as `cursor` for the next. */
  list(page?: PageOptions, options?: CallOptions): Promise<Page<WebhookEndpoint>>;
  /** Every endpoint, following the pages (`for await`). */
  listAll(options?: CallOptions): AsyncGenerator<WebhookEndpoint>;
  get(id: string, options?: CallOptions): Promise<WebhookEndpoint>;
  update(id: string, changes: UpdateWebhookEndpoint, options?: CallOptions): Promise<WebhookEndpoint>;
  delete(id: string, options?: CallOptions): Promise<void>;
  /** A new secret, shown once; the old one keeps signing beside it for `overlapSeconds` (default 24 h). */
  rotateSecret(id: string, overlapSeconds?: number, options?: CallOptions): Promise<WebhookEndpointWithSecret>;
  disable(id: string, reason?: string, options?: CallOptions): Promise<WebhookEndpoint>;
  enable(id: string, options?: CallOptions): Promise<WebhookEndpoint>;
  /** Sends a `webhook.test` event to this endpoint alone. */
  sendTest(id: string, options?: CallOptions): Promise<{ delivery_id: string }>;
}

// A poll that comes back open this fast was not held by the server (a proxy, an old server):
// waiting this long before the next one keeps a wait from spinning.
const MINIMUM_POLL_INTERVAL_MS = 1000;

/**
 * The Agent API client: open an escalation, wait for the human's hand-back (also after a restart,
 * with only the resume token), follow its events, add to and cancel it, manage webhook endpoints.
 * Transient failures are retried; a retried create carries the same idempotency key, so it never
 * opens two escalations. It holds no resources: make one and share it.
 */
export class AwaitHumanClient implements AwaitHumanApi {
  readonly #http: HttpOptions;
  readonly #waitPollSeconds: number;
  readonly webhookEndpoints: WebhookEndpointsApi;

  constructor(options: AwaitHumanClientOptions) {
    if (!options?.baseUrl) throw new TypeError("baseUrl is required, e.g. https://api.awaithuman.example");
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("No fetch: pass options.fetch on a runtime without a global fetch.");
    const waitPollSeconds = options.waitPollSeconds ?? 60;
    if (!(waitPollSeconds >= 1 && waitPollSeconds <= 60)) throw new RangeError("waitPollSeconds is 1 to 60.");
    this.#http = {
      baseUrl: new URL(options.baseUrl).toString(),
      apiKey: options.apiKey,
      fetch: (input, init) => fetchImpl(input, init),
      maxRetries: nonNegative("maxRetries", options.maxRetries ?? 4),
      retryDelayMs: positive("retryDelayMs", options.retryDelayMs ?? 1000),
      maxRetryDelayMs: positive("maxRetryDelayMs", options.maxRetryDelayMs ?? 30_000),
      requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs ?? 30_000),
      userAgent: `awaithuman-sdk-typescript/${VERSION}`,
    };
    this.#waitPollSeconds = waitPollSeconds;
    this.webhookEndpoints = new WebhookEndpoints((call) => this.#send(call));
  }

  /** Opens an escalation: a human will pick the case up. Keep `resume_token` to wait across restarts. */
  escalate(request: EscalationRequest, options: EscalateOptions = {}): Promise<CreatedEscalation> {
    if (options.idempotencyKey !== undefined && options.idempotencyKey.trim() === "") throw new TypeError("idempotencyKey is empty.");
    return this.#send({
      method: "POST",
      path: "v1/escalations",
      body: request,
      headers: { "idempotency-key": options.idempotencyKey ?? crypto.randomUUID() },
      replaySafe: true,
      signal: options.signal,
    });
  }

  get(id: string, options: CallOptions = {}): Promise<Escalation> {
    return this.#send({ method: "GET", path: `v1/escalations/${segment(id)}`, replaySafe: true, signal: options.signal });
  }

  /** One page of escalations, newest first. */
  list(filter: EscalationFilter = {}, cursor?: string | null, options: CallOptions = {}): Promise<Page<EscalationSummary>> {
    const { status, ...rest } = filter;
    return this.#send({
      method: "GET",
      path: "v1/escalations",
      query: { ...rest, status: Array.isArray(status) ? status.join(",") : status, cursor },
      replaySafe: true,
      signal: options.signal,
    });
  }

  /** Every escalation that matches, following the pages. */
  listAll(filter: EscalationFilter = {}, options: CallOptions = {}): AsyncGenerator<EscalationSummary> {
    return everyPage((cursor) => this.list(filter, cursor, options));
  }

  /** Adds to the transcript (e.g. what the customer said while waiting). `agent` is refused (409) while a human owns it. */
  appendMessage(id: string, message: { role: MessageRole; content: string; at?: string }, options: CallOptions = {}): Promise<Escalation> {
    return this.#send({ method: "POST", path: `v1/escalations/${segment(id)}/messages`, body: message, replaySafe: false, signal: options.signal });
  }

  /** Proposes a reply for an operator to approve, edit or reject before the customer sees it. */
  proposeDraft(id: string, content: string, options: CallOptions = {}): Promise<ProposedDraft> {
    return this.#send({ method: "POST", path: `v1/escalations/${segment(id)}/drafts`, body: { content }, replaySafe: false, signal: options.signal });
  }

  /** Cancels it (e.g. the problem solved itself); the hand-back says `cancelled`. */
  cancel(id: string, reason?: string, options: CallOptions = {}): Promise<Escalation> {
    return this.#send({ method: "POST", path: `v1/escalations/${segment(id)}/cancel`, body: { reason: reason ?? null }, replaySafe: false, signal: options.signal });
  }

  /**
   * Waits until a human hands the escalation back, holding long polls open on the server and riding
   * out outages. With the resume token alone, an agent that restarted picks up where it left off.
   * Throws `WaitTimeoutError` when `timeoutMs` passes first.
   */
  async waitForHuman(target: WaitTarget, options: WaitOptions = {}): Promise<Escalation & { hand_back: NonNullable<Escalation["hand_back"]> }> {
    const path = "resumeToken" in target ? "v1/escalations/wait" : `v1/escalations/${segment(target.id)}/wait`;
    if ("resumeToken" in target && !target.resumeToken) throw new TypeError("resumeToken is empty.");
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new RangeError("timeoutMs must be positive.");

    const deadline = new AbortController();
    const onCallerAbort = () => deadline.abort(options.signal!.reason);
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(new WaitTimeoutError(`No human handed the escalation back within ${options.timeoutMs} ms.`)), options.timeoutMs);
    const started = Date.now();
    try {
      while (true) {
        let seconds = this.#waitPollSeconds;
        if (options.timeoutMs !== undefined) seconds = Math.min(seconds, Math.ceil((options.timeoutMs - (Date.now() - started)) / 1000));
        seconds = Math.max(1, Math.min(60, seconds));
        const pollStarted = Date.now();
        const escalation = await this.#send<Escalation>({
          method: "GET",
          path,
          query: { resume_token: "resumeToken" in target ? target.resumeToken : undefined, timeout_seconds: seconds },
          replaySafe: true,
          retryForever: true,
          signal: deadline.signal,
          timeoutMs: seconds * 1000 + this.#http.requestTimeoutMs,
        });
        if (escalation.hand_back) return escalation as Escalation & { hand_back: NonNullable<Escalation["hand_back"]> };
        const pause = MINIMUM_POLL_INTERVAL_MS - (Date.now() - pollStarted);
        if (pause > 0) await delay(pause, deadline.signal);
      }
    } catch (error) {
      if (deadline.signal.aborted && deadline.signal.reason instanceof WaitTimeoutError) throw deadline.signal.reason;
      throw error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  /**
   * The escalation's events as they happen (Server-Sent Events). Reconnects by itself after a
   * dropped connection with `Last-Event-ID`, so no event is missed or repeated; stop by breaking out
   * of the loop or aborting the signal.
   */
  events(id: string, options: EventStreamOptions = {}): AsyncIterable<EscalationEvent> {
    return streamEvents(this.#http, `v1/escalations/${segment(id)}/events`, options.lastEventId, options.signal);
  }

  #send<T>(call: Call): Promise<T> {
    return send<T>(this.#http, call);
  }
}

class WebhookEndpoints implements WebhookEndpointsApi {
  constructor(private readonly send: <T>(call: Call) => Promise<T>) {}

  create(endpoint: CreateWebhookEndpoint, options: CallOptions = {}) {
    return this.send<WebhookEndpointWithSecret>({ method: "POST", path: "v1/webhook-endpoints", body: endpoint, replaySafe: false, signal: options.signal });
  }

  /** One page of the tenant's endpoints, newest first; pass `next_cursor` back as `cursor` for the next. */
  list(page: PageOptions = {}, options: CallOptions = {}): Promise<Page<WebhookEndpoint>> {
    return this.send<Page<WebhookEndpoint>>({ method: "GET", path: "v1/webhook-endpoints", query: { ...page }, replaySafe: true, signal: options.signal });
  }

  /** Every endpoint of the tenant, following the pages. */
  listAll(options: CallOptions = {}): AsyncGenerator<WebhookEndpoint> {
    return everyPage((cursor) => this.list({ cursor }, options));
  }

  get(id: string, options: CallOptions = {}) {
    return this.send<WebhookEndpoint>({ method: "GET", path: `v1/webhook-endpoints/${segment(id)}`, replaySafe: true, signal: options.signal });
  }

  update(id: string, changes: UpdateWebhookEndpoint, options: CallOptions = {}) {
    return this.send<WebhookEndpoint>({ method: "PATCH", path: `v1/webhook-endpoints/${segment(id)}`, body: changes, replaySafe: true, signal: options.signal });
  }

  delete(id: string, options: CallOptions = {}) {
    return this.send<void>({ method: "DELETE", path: `v1/webhook-endpoints/${segment(id)}`, replaySafe: true, signal: options.signal });
  }

  rotateSecret(id: string, overlapSeconds?: number, options: CallOptions = {}) {
    return this.send<WebhookEndpointWithSecret>({
      method: "POST",
      path: `v1/webhook-endpoints/${segment(id)}/rotate-secret`,
      body: { overlap_seconds: overlapSeconds ?? null },
      replaySafe: false,
      signal: options.signal,
    });
  }

  disable(id: string, reason?: string, options: CallOptions = {}) {
    return this.send<WebhookEndpoint>({ method: "POST", path: `v1/webhook-endpoints/${segment(id)}/disable`, body: { reason: reason ?? null }, replaySafe: true, signal: options.signal });
  }

  enable(id: string, options: CallOptions = {}) {
    return this.send<WebhookEndpoint>({ method: "POST", path: `v1/webhook-endpoints/${segment(id)}/enable`, replaySafe: true, signal: options.signal });
  }

  sendTest(id: string, options: CallOptions = {}) {
    return this.send<{ delivery_id: string }>({ method: "POST", path: `v1/webhook-endpoints/${segment(id)}/test`, replaySafe: false, signal: options.signal });
  }
}

function segment(id: string): string {
  if (typeof id !== "string" || id.length === 0) throw new TypeError("The id is empty.");
  return encodeURIComponent(id);
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number.`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isInteger(value)) throw new RangeError(`${name} must be a whole number, 0 or more.`);
  return value;
}

/** Every item of a list, page after page: every list of the API answers `{items, next_cursor}`. */
export async function* everyPage<T>(pageAfter: (cursor: string | null | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | null | undefined;
  do {
    const page = await pageAfter(cursor);
    yield* page.items;
    cursor = page.next_cursor;
  } while (cursor);
}
