// The real server the tests talk to: started by tests/AwaitHuman.Sdk.Tests, which passes its address,
// a fresh tenant's API key and an operator's token (the human side of each test).
import { AwaitHumanClient, type AwaitHumanClientOptions, type EscalationRequest } from "../src/index.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through tests/AwaitHuman.Sdk.Tests (./awaithuman test --filter Sdk), which starts a server and sets it.`);
  }
  return value;
}

export const baseUrl = required("AWAITHUMAN_BASE_URL");
export const apiKey = required("AWAITHUMAN_API_KEY");
export const operatorToken = required("AWAITHUMAN_OPERATOR_TOKEN");

export function agent(options: Partial<AwaitHumanClientOptions> = {}): AwaitHumanClient {
  return new AwaitHumanClient({ baseUrl, apiKey, retryDelayMs: 50, ...options });
}

/** What the operator does in the console, over the same API. */
export async function operatorDoes(escalationId: string, action: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(new URL(`v1/escalations/${escalationId}/${action}`, baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${operatorToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`operator ${action} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export function handoff(overrides: Partial<EscalationRequest> = {}): EscalationRequest {
  return {
    kind: "handoff",
    reason: "refund_dispute",
    summary: "Customer disputes a double charge of 49.90 EUR on order 1042.",
    confidence: 0.42,
    priority: "high",
    external_ref: `conv-${crypto.randomUUID()}`,
    customer: { name: "Ada Lovelace", email: "ada@example.com", preferred_channel: "agent", locale: "en-GB" },
    transcript: [
      { role: "customer", content: "I was charged twice for order 1042." },
      { role: "agent", content: "I see two charges. Let me get a colleague." },
    ],
    agent: { name: "support-bot", version: "3.1.0", trace: [{ tool: "lookup_order", input: { order: 1042 }, output: { charges: 2 } }] },
    metadata: { tier: "gold" },
    ...overrides,
  };
}

export const resolution = {
  outcome: "resolved",
  resolution: {
    summary: "Refunded the duplicate charge.",
    instructions_for_agent: "Confirm the refund arrives in 3-5 days.",
    fields: { refund_id: "re_123", amount: 49.9 },
  },
  must_not_claim: ["that the customer was charged only once"],
};
