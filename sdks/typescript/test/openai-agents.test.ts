import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Agent, run, setTracingDisabled, tool, Usage, type Model, type ModelRequest, type ModelResponse } from "@openai/agents";
import { approveWithHuman, awaitHumanTool } from "../src/adapters/openai-agents.js";
import { agent, operatorDoes, resolution } from "./server.js";

/**
 * A model that calls the given tool once, then answers with the tool's output: the agent loop runs
 * for real, without an LLM.
 */
class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  constructor(private readonly toolName: string, private readonly args: object) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const items = typeof request.input === "string" ? [] : request.input;
    const result = [...items].reverse().find((item) => item.type === "function_call_result");
    if (!result) {
      return {
        usage: new Usage(),
        output: [{ type: "function_call", callId: `call_${crypto.randomUUID()}`, name: this.toolName, arguments: JSON.stringify(this.args), status: "completed" }],
      };
    }
    const output = (result as { output: unknown }).output;
    const text = typeof output === "string" ? output : ((output as { text?: string }).text ?? JSON.stringify(output));
    return {
      usage: new Usage(),
      output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text }] }],
    };
  }

  getStreamedResponse(): AsyncIterable<never> {
    throw new Error("not scripted");
  }
}

async function escalationFor(externalRef: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [found] = (await agent().list({ external_ref: externalRef })).items;
    if (found) return found.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No escalation for ${externalRef}.`);
}

describe("OpenAI Agents SDK adapter", () => {
  before(() => setTracingDisabled(true));

  it("the tool hands the conversation to a human and gives the model the hand-back", async () => {
    const externalRef = `conv-${crypto.randomUUID()}`;
    const support = new Agent({
      name: "support",
      instructions: "Help the customer.",
      model: new ScriptedModel("escalate_to_human", { reason: "refund_dispute", summary: "Double charge on order 1042.", priority: "urgent" }),
      tools: [awaitHumanTool({ client: agent(), context: () => ({ external_ref: externalRef, customer: { name: "Ada" } }), timeoutMs: 60_000 })],
    });
    const running = run(support, "I was charged twice for order 1042.");
    const id = await escalationFor(externalRef);
    assert.equal((await agent().get(id)).priority, "urgent");
    await operatorDoes(id, "resolve", resolution);

    const result = await running;
    const answer = JSON.parse(String(result.finalOutput));
    assert.equal(answer.outcome, "resolved");
    assert.equal(answer.instructions, "Confirm the refund arrives in 3-5 days.");
  });

  it("the human-approval hook approves or rejects the run's tool calls as the human decides", async () => {
    for (const [decision, expected] of [
      [{ decision: "accept" }, { executed: [{ amount: 250 }], outcome: "approved" }],
      [{ decision: "deny", reason: "Over the yearly limit." }, { executed: [], outcome: "denied" }],
    ] as const) {
      const externalRef = `conv-${crypto.randomUUID()}`;
      const executed: unknown[] = [];
      const refund = tool({
        name: "issue_refund",
        description: "Refunds the customer.",
        parameters: { type: "object", properties: { amount: { type: "number" } }, required: ["amount"], additionalProperties: true },
        strict: false,
        needsApproval: true,
        execute: async (input) => {
          executed.push(input);
          return "refunded";
        },
      });
      const support = new Agent({ name: "support", instructions: "Refund when asked.", model: new ScriptedModel("issue_refund", { amount: 250 }), tools: [refund] });

      const stopped = await run(support, "Refund my 250 EUR please.");
      assert.equal(stopped.interruptions.length, 1, "the run stops for the approval");
      const approving = approveWithHuman(stopped, { client: agent(), context: () => ({ external_ref: externalRef }), timeoutMs: 60_000 });
      const id = await escalationFor(externalRef);
      const escalation = await agent().get(id);
      assert.equal(escalation.kind, "approval");
      assert.deepEqual(escalation.action, { name: "issue_refund", arguments: { amount: 250 } });
      await operatorDoes(id, "decision", decision);

      const [approval] = await approving;
      assert.equal(approval?.handBack.outcome, expected.outcome);
      const finished = await run(support, stopped.state);
      assert.deepEqual(executed, expected.executed);
      assert.equal(finished.interruptions.length, 0);
      if (expected.outcome === "denied") assert.match(String(finished.finalOutput), /did not approve/);
    }
  });
});
