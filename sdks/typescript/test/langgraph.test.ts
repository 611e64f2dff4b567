import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { MemorySaver, MessagesAnnotation, StateGraph, START, END } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { awaitHumanTool, pendingEscalations, resumeWithHandBack } from "../src/adapters/langgraph.js";
import { agent, operatorDoes, resolution } from "./server.js";

// The model's turn is scripted: an AIMessage calling the tool, as a model would.
function graphWith(checkpointer: MemorySaver, externalRef: string) {
  const escalate = awaitHumanTool({
    client: agent(),
    context: () => ({
      external_ref: externalRef,
      customer: { name: "Ada Lovelace", preferred_channel: "agent" },
      transcript: [{ role: "customer", content: "I was charged twice for order 1042." }],
      agent: { name: "langgraph-support-bot" },
    }),
  });
  return new StateGraph(MessagesAnnotation)
    .addNode("tools", new ToolNode([escalate]))
    .addEdge(START, "tools")
    .addEdge("tools", END)
    .compile({ checkpointer });
}

const modelTurn = (): BaseMessage[] => [
  new HumanMessage("I was charged twice for order 1042."),
  new AIMessage({
    content: "",
    tool_calls: [
      { id: "call_1", name: "escalate_to_human", args: { reason: "refund_dispute", summary: "Double charge on order 1042.", confidence: 0.3, priority: "high" } },
    ],
  }),
];

describe("LangGraph.js adapter", () => {
  it("interrupts the graph with the escalation and resumes it with the hand-back, also from a restarted process", async () => {
    const checkpointer = new MemorySaver();
    const externalRef = `conv-${crypto.randomUUID()}`;
    const config = { configurable: { thread_id: `thread-${crypto.randomUUID()}` } };

    const interrupted = await graphWith(checkpointer, externalRef).invoke({ messages: modelTurn() }, config);
    assert.ok("__interrupt__" in interrupted, "the graph must stop for the human");
    const [pending] = await pendingEscalations(graphWith(checkpointer, externalRef), config);
    assert.ok(pending, "an AwaitHuman interrupt is pending");
    const escalation = await agent().get(pending.value.escalation_id);
    assert.equal(escalation.external_ref, externalRef);
    assert.equal(escalation.priority, "high");
    assert.equal(escalation.transcript[0]?.content, "I was charged twice for order 1042.");

    await operatorDoes(escalation.id, "claim");
    await operatorDoes(escalation.id, "resolve", resolution);

    // A new graph over the same checkpointer: what a restarted process has.
    const resumed = await resumeWithHandBack(agent(), graphWith(checkpointer, externalRef), config, { timeoutMs: 60_000 });
    const answer = resumed.messages.at(-1);
    assert.ok(answer instanceof ToolMessage, `the tool answered: ${answer?.constructor.name}`);
    const handBack = JSON.parse(String(answer.content));
    assert.equal(handBack.outcome, "resolved");
    assert.equal(handBack.instructions, "Confirm the refund arrives in 3-5 days.");
    assert.deepEqual(handBack.must_not_claim, ["that the customer was charged only once"]);

    // The tool ran twice (before and after the interrupt) under one idempotency key: one escalation.
    const page = await agent().list({ external_ref: externalRef });
    assert.equal(page.items.length, 1);
    assert.deepEqual(await pendingEscalations(graphWith(checkpointer, externalRef), config), []);
  });
});
