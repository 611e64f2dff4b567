import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { handBackForModel, idempotencyKey } from "../src/adapters/common.js";

describe("what the adapters share", () => {
  it("keys a tool call by its scope and id, hashing keys past the server's 255 characters", async () => {
    assert.equal(await idempotencyKey({}, "conv-1", "call_1"), "awaithuman:conv-1:call_1");
    assert.equal(await idempotencyKey({ idempotencyKeyPrefix: "shop" }, "", "call_1"), "shop::call_1");
    assert.equal(await idempotencyKey({}, "conv-1", undefined), undefined);
    const long = await idempotencyKey({}, "c".repeat(200), `call_${"x".repeat(100)}`);
    assert.ok(long && long.length <= 255, long);
    assert.equal(await idempotencyKey({}, "c".repeat(200), `call_${"x".repeat(100)}`), long);
    assert.notEqual(await idempotencyKey({}, "c".repeat(200), `call_${"y".repeat(100)}`), long);
  });

  it("gives the model the decision, the instructions and what not to claim", () => {
    const forModel = handBackForModel({
      outcome: "edited",
      decision: { decision: "edit", arguments: { amount: 150 }, reason: "Shipping was ours." },
      resolution: { instructions_for_agent: "Refund 150." },
      transcript_delta: [{ role: "operator", content: "I refunded 150." }],
      owner: "ai",
      must_not_claim: ["that the full amount was refunded"],
      at: "2026-12-05T10:00:00Z",
    });
    assert.deepEqual(forModel, {
      outcome: "edited",
      instructions: "Refund 150.",
      decision: "edit",
      arguments: { amount: 150 },
      reason: "Shipping was ours.",
      said_meanwhile: [{ role: "operator", content: "I refunded 150." }],
      must_not_claim: ["that the full amount was refunded"],
    });
  });
});
