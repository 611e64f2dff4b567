import type { HandBack, JsonObject } from "./types.js";

export type WebhookVerificationFailure =
  | "missing_header"
  | "invalid_timestamp"
  | "timestamp_out_of_tolerance"
  | "no_matching_signature"
  | "invalid_payload";

/** The request is not a genuine, fresh AwaitHuman webhook: answer 401 and do nothing with it. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly failure: WebhookVerificationFailure,
    message: string,
  ) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** A verified webhook. */
export interface WebhookEvent {
  /** `webhook-id`: the same on every retry of a delivery; handle each id once. */
  id: string;
  /** When this attempt was signed. */
  sentAt: Date;
  /** e.g. `escalation.resolved`, `webhook.test`. */
  type: string;
  /** When the event happened (ISO 8601), if the payload says. */
  timestamp: string | undefined;
  data: JsonObject;
  /** `data.escalation_id`, when the event is about an escalation. */
  escalationId: string | undefined;
  /** `data.hand_back` on resolved, cancelled, timed-out and approval-decided events. */
  handBack: HandBack | undefined;
}

/** Header values as Node's `IncomingMessage.headers`, a fetch `Headers`, or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface WebhookVerifierOptions {
  /** How far `webhook-timestamp` may be from now. Default 300 s. */
  toleranceSeconds?: number;
  /** The current time in ms (tests). */
  now?: () => number;
}

const SECRET_PREFIX = "whsec_";
const encoder = new TextEncoder();

/**
 * Verifies AwaitHuman's webhooks the Standard Webhooks way: HMAC-SHA256 of
 * `{webhook-id}.{webhook-timestamp}.{raw body}` against every `v1,` signature of
 * `webhook-signature`, and a timestamp within the tolerance. Uses Web Crypto, so it runs on Node,
 * Deno, Bun and edge runtimes. Give it the raw body as received, before any JSON parsing.
 */
export class WebhookVerifier {
  readonly #keys: Promise<CryptoKey[]>;
  readonly #toleranceSeconds: number;
  readonly #now: () => number;

  /** @param secrets The endpoint's `whsec_...` secret; several while rotating (the old one stays valid for the overlap). */
  constructor(secrets: string | string[], options: WebhookVerifierOptions = {}) {
    const list = Array.isArray(secrets) ? secrets : [secrets];
    if (list.length === 0) throw new TypeError("Give at least one secret.");
    const raw = list.map(keyBytes);
    this.#keys = Promise.all(raw.map((bytes) => crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"])));
    this.#toleranceSeconds = options.toleranceSeconds ?? 300;
    if (!(this.#toleranceSeconds > 0)) throw new RangeError("toleranceSeconds must be positive.");
    this.#now = options.now ?? Date.now;
  }

  /** Checks the request and answers its event; throws `WebhookVerificationError` when it is not genuine or not fresh. */
  async verify(body: string | Uint8Array, headers: WebhookHeaders): Promise<WebhookEvent> {
    const id = header(headers, "webhook-id");
    const timestamp = header(headers, "webhook-timestamp");
    const signatures = header(headers, "webhook-signature");
    if (!id) throw missing("webhook-id");
    if (!timestamp) throw missing("webhook-timestamp");
    if (!signatures) throw missing("webhook-signature");

    if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError("invalid_timestamp", "The webhook-timestamp header is not Unix seconds.");
    const sentAt = Number(timestamp);
    const skew = this.#now() / 1000 - sentAt;
    if (Math.abs(skew) > this.#toleranceSeconds) {
      throw new WebhookVerificationError(
        "timestamp_out_of_tolerance",
        skew > 0 ? `The delivery is ${Math.round(skew)} s old, more than the ${this.#toleranceSeconds} s allowed.` : `The delivery is dated ${Math.round(-skew)} s in the future.`,
      );
    }

    const bodyBytes = typeof body === "string" ? encoder.encode(body) : body;
    const signed = concat(encoder.encode(`${id}.${timestamp}.`), bodyBytes);
    if (!(await this.#matches(signed, signatures))) {
      throw new WebhookVerificationError("no_matching_signature", "No signature matches any of the secrets.");
    }
    return parse(id, sentAt, bodyBytes);
  }

  async #matches(signed: Uint8Array<ArrayBuffer>, header: string): Promise<boolean> {
    const keys = await this.#keys;
    for (const entry of header.split(" ")) {
      // Other versions (e.g. v1a, asymmetric) are for other verifiers: skip, do not fail.
      const comma = entry.indexOf(",");
      if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
      const received = base64Decode(entry.slice(comma + 1));
      if (!received || received.length !== 32) continue;
      for (const key of keys) {
        // subtle.verify compares in constant time.
        if (await crypto.subtle.verify("HMAC", key, received, signed)) return true;
      }
    }
    return false;
  }

  /** The `webhook-signature` value for a body (to test your endpoint with a request of your own). */
  static async sign(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): Promise<string> {
    const key = await crypto.subtle.importKey("raw", keyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const bodyBytes = typeof body === "string" ? encoder.encode(body) : body;
    const mac = await crypto.subtle.sign("HMAC", key, concat(encoder.encode(`${id}.${timestampSeconds}.`), bodyBytes));
    return `v1,${base64Encode(new Uint8Array(mac))}`;
  }
}

function parse(id: string, sentAt: number, body: Uint8Array): WebhookEvent {
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new WebhookVerificationError("invalid_payload", "The body is not JSON.");
  }
  if (typeof root !== "object" || root === null || typeof (root as { type?: unknown }).type !== "string") {
    throw new WebhookVerificationError("invalid_payload", 'The body is not an event: it has no "type".');
  }
  const event = root as { type: string; timestamp?: unknown; data?: unknown };
  const data = (typeof event.data === "object" && event.data !== null ? event.data : {}) as JsonObject;
  return {
    id,
    sentAt: new Date(sentAt * 1000),
    type: event.type,
    timestamp: typeof event.timestamp === "string" ? event.timestamp : undefined,
    data,
    escalationId: typeof data.escalation_id === "string" ? data.escalation_id : undefined,
    handBack: typeof data.hand_back === "object" && data.hand_back !== null ? (data.hand_back as unknown as HandBack) : undefined,
  };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(" ") : value;
}

function missing(name: string) {
  return new WebhookVerificationError("missing_header", `The ${name} header is missing.`);
}

function keyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (typeof secret !== "string" || secret.trim() === "") throw new TypeError("A webhook secret is whsec_ followed by base64.");
  const bytes = base64Decode(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (!bytes || bytes.length === 0) throw new TypeError("A webhook secret is whsec_ followed by base64.");
  return bytes;
}

function base64Decode(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
