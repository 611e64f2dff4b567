// What the three framework adapters share: the tool's input as the model fills it, the escalation
// it becomes, and the hand-back as the model reads it.
import type { AwaitHumanApi } from "../client.js";
import type { Escalation, EscalationRequest, HandBack, JsonObject } from "../types.js";

/** What the model fills in when it calls the tool. */
export interface EscalationToolInput {
  /** `handoff` (a human takes the conversation) or `question` (a human answers, the agent carries on). */
  kind?: "handoff" | "question";
  /** A short code such as `refund_dispute`. */
  reason: string;
  /** What the human needs to know, in a sentence or two. */
  summary: string;
  /** For `question`: what the human should answer. */
  question?: string;
  /** The agent's confidence, 0 to 1. */
  confidence?: number;
  priority?: "low" | "normal" | "high" | "urgent";
}

export interface EscalationToolOptions {
  client: AwaitHumanApi;
  /** The tool's name as the model sees it. Default `escalate_to_human`. */
  name?: string;
  description?: string;
  /**
   * What your application knows and the model should not invent: the customer, your conversation id
   * (`external_ref`), the transcript so far, the agent's name. Called on every tool call.
   */
  context?: (input: EscalationToolInput) => Partial<EscalationRequest> | Promise<Partial<EscalationRequest>>;
  /** How long the tool waits for the hand-back; as long as it takes when left out. */
  timeoutMs?: number;
  /**
   * Prefixes the idempotency key made from the framework's tool call id (and the escalation's
   * `external_ref`, when `context` gives one), so the same tool call (retried, or re-run when a
   * graph resumes) never opens a second escalation. Keys are per tenant and kept for days: when your
   * framework's tool call ids repeat across conversations, give each conversation its own prefix or
   * `external_ref`. Default `awaithuman`.
   */
  idempotencyKeyPrefix?: string;
}

export const defaultToolName = "escalate_to_human";

export const defaultToolDescription =
  "Hand the conversation to a human operator when you are unsure, the customer is upset, or the stakes are high. " +
  "Returns what the human decided and the instructions for carrying on.";

/** The tool's input schema (JSON Schema), accepted by every framework without a zod dependency. */
export const escalationToolSchema = {
  type: "object",
  properties: {
    kind: { type: "string", enum: ["handoff", "question"], description: "handoff: a human takes over; question: a human answers and you carry on." },
    reason: { type: "string", pattern: "^[a-z0-9][a-z0-9_.:-]{0,63}$", description: "A short snake_case code, e.g. refund_dispute." },
    summary: { type: "string", description: "What the human needs to know." },
    question: { type: "string", description: "For kind question: what the human should answer." },
    confidence: { type: "number", minimum: 0, maximum: 1, description: "Your confidence, 0 to 1." },
    priority: { type: "string", enum: ["low", "normal", "high", "urgent"] },
  },
  required: ["reason", "summary"],
  additionalProperties: false,
} as const;

export async function requestOf(input: EscalationToolInput, options: EscalationToolOptions): Promise<EscalationRequest> {
  const context = (await options.context?.(input)) ?? {};
  const request: EscalationRequest = { ...context, kind: input.kind ?? "handoff", reason: input.reason, summary: input.summary };
  if (input.question !== undefined) request.question = input.question;
  if (input.confidence !== undefined) request.confidence = input.confidence;
  if (input.priority !== undefined) request.priority = input.priority;
  return request;
}

/**
 * The key for a tool call; none when the framework gave no call id (then each call is its own
 * escalation). Past the server's 255 characters, its SHA-256 stands in for it.
 */
export async function idempotencyKey(options: { idempotencyKeyPrefix?: string }, scope: string, toolCallId: string | undefined): Promise<string | undefined> {
  if (!toolCallId) return undefined;
  const prefix = options.idempotencyKeyPrefix ?? "awaithuman";
  const key = [prefix, scope, toolCallId].join(":");
  if (key.length <= 255) return key;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `${prefix.slice(0, 180)}:sha256:${Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** Opens the escalation for a tool call and waits for the hand-back. */
export async function escalateAndWait(
  input: EscalationToolInput,
  options: EscalationToolOptions,
  toolCallId: string | undefined,
  signal?: AbortSignal,
): Promise<Escalation & { hand_back: HandBack }> {
  const request = await requestOf(input, options);
  const key = await idempotencyKey(options, request.external_ref ?? "", toolCallId);
  const created = await options.client.escalate(request, key === undefined ? { ...(signal && { signal }) } : { idempotencyKey: key, ...(signal && { signal }) });
  return options.client.waitForHuman(
    { resumeToken: created.resume_token },
    { ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }), ...(signal && { signal }) },
  );
}

/** The hand-back as the model reads it: what happened, what to do next, and what not to claim. */
export function handBackForModel(handBack: HandBack): JsonObject {
  const result: JsonObject = { outcome: handBack.outcome };
  if (handBack.resolution?.summary) result.summary = handBack.resolution.summary;
  if (handBack.resolution?.instructions_for_agent) result.instructions = handBack.resolution.instructions_for_agent;
  if (handBack.resolution?.fields) result.fields = handBack.resolution.fields;
  if (handBack.decision) {
    result.decision = handBack.decision.decision;
    if (handBack.decision.arguments) result.arguments = handBack.decision.arguments;
    if (handBack.decision.response) result.response = handBack.decision.response;
    if (handBack.decision.reason) result.reason = handBack.decision.reason;
  }
  if (handBack.transcript_delta.length > 0) {
    result.said_meanwhile = handBack.transcript_delta.map((line) => ({ role: line.role, content: line.content }));
  }
  if (handBack.must_not_claim.length > 0) result.must_not_claim = handBack.must_not_claim;
  return result;
}
