// The OpenAI Agents SDK: a tool that hands the conversation to a human and returns the hand-back,
// and a human-approval hook that answers a run's tool approvals (`needsApproval`) through AwaitHuman.
import { tool, type FunctionTool, type RunState, type RunToolApprovalItem } from "@openai/agents";
import type { AwaitHumanApi } from "../client.js";
import type { EscalationRequest, HandBack, JsonObject } from "../types.js";
import {
  defaultToolDescription,
  defaultToolName,
  escalateAndWait,
  escalationToolSchema,
  handBackForModel,
  idempotencyKey,
  type EscalationToolInput,
  type EscalationToolOptions,
} from "./common.js";

export type { EscalationToolInput, EscalationToolOptions } from "./common.js";

// Non-strict: the model may leave optional fields out, which strict mode forbids.
const parameters = {
  type: "object" as const,
  properties: escalationToolSchema.properties as Record<string, Record<string, unknown>>,
  required: [...escalationToolSchema.required] as string[],
  additionalProperties: true as const,
};

/** A function tool for an `Agent`: it opens the escalation, waits for the hand-back and returns it to the model. */
export function awaitHumanTool(options: EscalationToolOptions): FunctionTool<unknown, typeof parameters, string> {
  return tool({
    name: options.name ?? defaultToolName,
    description: options.description ?? defaultToolDescription,
    parameters,
    strict: false,
    execute: async (input, _context, details) => {
      const done = await escalateAndWait(input as EscalationToolInput, options, details?.toolCall?.callId, details?.signal);
      return JSON.stringify(handBackForModel(done.hand_back));
    },
  });
}

export interface HumanApprovalOptions {
  client: AwaitHumanApi;
  /** The reason code of the approval escalations. Default `tool_approval`. */
  reason?: string;
  /** What the human reads; by default the tool's name and arguments. */
  summary?: (item: RunToolApprovalItem) => string;
  /** Your customer, conversation id, transcript: what the model should not invent. */
  context?: (item: RunToolApprovalItem) => Partial<EscalationRequest> | Promise<Partial<EscalationRequest>>;
  /** How long to wait for each decision; as long as it takes when left out. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Prefixes the idempotency key made from `external_ref` and the tool call id (see {@link EscalationToolOptions.idempotencyKeyPrefix}). Default `awaithuman`. */
  idempotencyKeyPrefix?: string;
}

export interface HumanApproval {
  item: RunToolApprovalItem;
  escalationId: string;
  handBack: HandBack;
  approved: boolean;
}

/**
 * The human-approval hook: for each approval the run stopped on (`result.interruptions`), asks a
 * human through an approval escalation and approves or rejects it in `result.state`; then run the
 * agent again with that state. An `edited` decision rejects the call with the human's arguments in
 * the message, so the model calls the tool again with them (the Agents SDK cannot approve with
 * other arguments). Repeating it after a restart (with the state restored) reuses the same
 * escalations: the idempotency key comes from the tool call id.
 */
export async function approveWithHuman(
  result: { interruptions: RunToolApprovalItem[]; state: RunState<any, any> }, // eslint-disable-line @typescript-eslint/no-explicit-any
  options: HumanApprovalOptions,
): Promise<HumanApproval[]> {
  return Promise.all(
    result.interruptions.map(async (item) => {
      const name = item.name ?? "tool";
      const args = parseArguments(item.arguments);
      const callId = "callId" in item.rawItem ? (item.rawItem.callId as string | undefined) : undefined;
      const request: EscalationRequest = {
        ...(await options.context?.(item)),
        kind: "approval",
        reason: options.reason ?? "tool_approval",
        summary: options.summary?.(item) ?? `The agent wants to call ${name} with ${JSON.stringify(args)}.`,
        action: { name, arguments: args },
      };
      const key = await idempotencyKey(options, request.external_ref ?? "", callId);
      const created = await options.client.escalate(request, { ...(key && { idempotencyKey: key }), ...(options.signal && { signal: options.signal }) });
      const done = await options.client.waitForHuman(
        { resumeToken: created.resume_token },
        { ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }), ...(options.signal && { signal: options.signal }) },
      );
      const handBack = done.hand_back;
      const approved = handBack.outcome === "approved";
      if (approved) result.state.approve(item);
      else result.state.reject(item, { message: rejectionMessage(handBack) });
      return { item, escalationId: created.id, handBack, approved };
    }),
  );
}

function rejectionMessage(handBack: HandBack): string {
  const model = handBackForModel(handBack);
  if (handBack.outcome === "edited") {
    return `A human changed the arguments; call the tool again with exactly these: ${JSON.stringify(handBack.decision?.arguments ?? {})}. ${JSON.stringify(model)}`;
  }
  return `A human did not approve this call (${handBack.outcome}). ${JSON.stringify(model)}`;
}

function parseArguments(text: string | undefined): JsonObject {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : { value: parsed as JsonObject[string] };
  } catch {
    return { text };
  }
}
