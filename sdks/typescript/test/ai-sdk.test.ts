import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateText, stepCountIs } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { awaitHumanTool } from "../src/adapters/ai-sdk.js";
import { agent, operatorDoes } from "./server.js";

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

describe("Vercel AI SDK adapter", () => {
  it("the tool asks a human and the model's next step reads the answer", async () => {
    const externalRef = `conv-${crypto.randomUUID()}`;
    const prompts: unknown[] = [];
    // The AI SDK's own test model: first a tool call, then text, as a model would.
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        prompts.push(options.prompt);
        if (prompts.length === 1) {
          return {
            content: [
              {
                type: "tool-call",
                toolCallId: `call_${crypto.randomUUID()}`,
                toolName: "escalate_to_human",
                input: JSON.stringify({ kind: "question", reason: "policy_question", summary: "May I waive the fee?", question: "Waive the 5 EUR fee?" }),
              },
            ],
            finishReason: { unified: "tool-calls", raw: undefined },
            usage,
            warnings: [],
          };
        }
        return { content: [{ type: "text", text: "I asked; the fee is waived." }], finishReason: { unified: "stop", raw: undefined }, usage, warnings: [] };
      },
    });

    const generating = generateText({
      model,
      prompt: "Can you waive my fee?",
      tools: { escalate_to_human: awaitHumanTool({ client: agent(), context: () => ({ external_ref: externalRef }), timeoutMs: 60_000 }) },
      stopWhen: stepCountIs(3),
    });
    let id: string | undefined;
    for (let attempt = 0; attempt < 200 && !id; attempt++) {
      id = (await agent().list({ external_ref: externalRef })).items[0]?.id;
      if (!id) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(id, "the tool opened an escalation");
    const escalation = await agent().get(id);
    assert.equal(escalation.kind, "question");
    assert.equal(escalation.question, "Waive the 5 EUR fee?");
    await operatorDoes(id, "resolve", { outcome: "answered", resolution: { summary: "Yes, waive it once.", instructions_for_agent: "Waive the fee and say it is a one-off." } });

    const result = await generating;
    assert.equal(result.text, "I asked; the fee is waived.");
    const toolResult = result.steps[0]?.toolResults[0];
    assert.deepEqual(toolResult?.output, { outcome: "answered", summary: "Yes, waive it once.", instructions: "Waive the fee and say it is a one-off." });
    // The second model call saw the human's answer.
    assert.match(JSON.stringify(prompts[1]), /Waive the fee and say it is a one-off/);
  });
});
