// LangGraph.js: a tool that opens an escalation and interrupts the graph; the graph resumes with
// the human's hand-back. Nothing is held in memory while the human works: the interrupt sits in
// the graph's checkpointer, the escalation in AwaitHuman, so a restarted process resumes either way.
import { tool } from "@langchain/core/tools";
import { Command, interrupt } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { AwaitHumanApi } from "../client.js";
import type { HandBack } from "../types.js";
import {
  defaultToolDescription,
  defaultToolName,
  escalationToolSchema,
  handBackForModel,
  idempotencyKey,
  requestOf,
  type EscalationToolInput,
  type EscalationToolOptions,
} from "./common.js";

export type { EscalationToolInput, EscalationToolOptions } from "./common.js";

/** The value of the graph's interrupt while a human has the escalation. */
export interface AwaitHumanInterrupt {
  type: "awaithuman.escalation";
  escalation_id: string;
  resume_token: string;
}

/**
 * A LangChain tool for a graph with a checkpointer (e.g. in a `ToolNode`): it opens the escalation
 * and interrupts the graph; resume it with {@link resumeWithHandBack}, or with
 * `new Command({ resume: handBack })` when a webhook brings the hand-back. When the graph resumes,
 * LangGraph runs the tool again: the same tool call in the same thread reuses its escalation (one
 * idempotency key), and the interrupt answers the hand-back.
 */
export function awaitHumanTool(options: EscalationToolOptions) {
  return tool(
    async (input: EscalationToolInput, config: RunnableConfig & { toolCall?: { id?: string } }) => {
      // A thread's tool call ids are unique; the thread id makes them unique in the tenant.
      const threadId = (config.configurable?.thread_id as string | undefined) ?? "";
      const request = await requestOf(input, options);
      const key = await idempotencyKey(options, `${request.external_ref ?? ""}:${threadId}`, config.toolCall?.id);
      const created = await options.client.escalate(request, key === undefined ? {} : { idempotencyKey: key });
      const handBack = interrupt<AwaitHumanInterrupt, HandBack>({
        type: "awaithuman.escalation",
        escalation_id: created.id,
        resume_token: created.resume_token,
      });
      return JSON.stringify(handBackForModel(handBack));
    },
    {
      name: options.name ?? defaultToolName,
      description: options.description ?? defaultToolDescription,
      schema: escalationToolSchema,
    },
  );
}

/** The AwaitHuman interrupts the graph is parked on, for a thread. */
export async function pendingEscalations(
  graph: { getState(config: RunnableConfig): Promise<{ tasks: readonly { interrupts: readonly { id?: string; value?: unknown }[] }[] }> },
  config: RunnableConfig,
): Promise<{ interruptId: string | undefined; value: AwaitHumanInterrupt }[]> {
  const state = await graph.getState(config);
  return state.tasks
    .flatMap((task) => task.interrupts)
    .filter((pending) => (pending.value as AwaitHumanInterrupt | undefined)?.type === "awaithuman.escalation")
    .map((pending) => ({ interruptId: pending.id, value: pending.value as AwaitHumanInterrupt }));
}

/**
 * Waits for the human on every escalation the thread is parked on, then resumes the graph with the
 * hand-backs and answers what the graph answers. Call it again after a restart: it needs only the
 * checkpointer and the thread id.
 */
export async function resumeWithHandBack<T>(
  client: AwaitHumanApi,
  graph: {
    getState(config: RunnableConfig): Promise<{ tasks: readonly { interrupts: readonly { id?: string; value?: unknown }[] }[] }>;
    // Any compiled graph: its own input type names its nodes, which a Command from here cannot know.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    invoke(input: any, config: RunnableConfig): Promise<T>;
  },
  config: RunnableConfig,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const pending = await pendingEscalations(graph, config);
  if (pending.length === 0) throw new Error("The graph is not waiting for a human in this thread.");
  const handBacks = await Promise.all(
    pending.map(async ({ interruptId, value }) => {
      const done = await client.waitForHuman({ resumeToken: value.resume_token }, options);
      return { interruptId, handBack: done.hand_back };
    }),
  );
  const resume =
    handBacks.length === 1
      ? handBacks[0]!.handBack
      : Object.fromEntries(handBacks.map(({ interruptId, handBack }) => [interruptId ?? "", handBack]));
  return graph.invoke(new Command({ resume }), config);
}
