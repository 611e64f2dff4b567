// The Vercel AI SDK: a tool whose execution is the human's work. The model calls it, the tool opens
// the escalation and waits for the hand-back, and the model reads what the human decided.
import { jsonSchema, tool } from "ai";
import {
  defaultToolDescription,
  escalateAndWait,
  escalationToolSchema,
  handBackForModel,
  type EscalationToolInput,
  type EscalationToolOptions,
} from "./common.js";

export type { EscalationToolInput, EscalationToolOptions } from "./common.js";

/**
 * `tools: { escalate_to_human: awaitHumanTool({ client, context }) }` in `generateText` or
 * `streamText`. A retried tool call reuses its escalation (the key comes from the tool call id);
 * aborting the generation stops the wait, and the escalation stays open for a later wait with its
 * resume token. For waits longer than a request lives, prefer a webhook and a new generation.
 */
export function awaitHumanTool(options: EscalationToolOptions) {
  return tool({
    description: options.description ?? defaultToolDescription,
    inputSchema: jsonSchema<EscalationToolInput>(escalationToolSchema as unknown as Parameters<typeof jsonSchema>[0]),
    execute: async (input, { toolCallId, abortSignal }) => {
      const done = await escalateAndWait(input, options, toolCallId, abortSignal);
      return handBackForModel(done.hand_back);
    },
  });
}
