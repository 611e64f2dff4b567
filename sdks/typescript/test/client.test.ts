import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AwaitHumanClient,
  ConflictError,
  ConnectionError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  WaitTimeoutError,
  type EscalationEvent,
} from "../src/index.js";
import { agent, apiKey, baseUrl, handoff, operatorDoes, resolution } from "./server.js";

describe("escalating", () => {
  it("opens an escalation with transcript, confidence, priority and channel, and reads it back", async () => {
    const client = agent();
    const request = handoff();
    const created = await client.escalate(request);
    assert.equal(created.status, "waiting_for_human");
    assert.equal(created.kind, "handoff");
    assert.match(created.resume_token, /^rt_/);

    const escalation = await client.get(created.id);
    assert.equal(escalation.reason, "refund_dispute");
    assert.equal(escalation.confidence, 0.42);
    assert.equal(escalation.priority, "high");
    assert.equal(escalation.customer?.preferred_channel, "agent");
    assert.deepEqual(escalation.transcript.map((line) => [line.role, line.content]), request.transcript!.map((line) => [line.role, line.content]));
    assert.equal(escalation.hand_back ?? null, null);

    const page = await client.list({ external_ref: request.external_ref! });
    assert.deepEqual(page.items.map((item) => item.id), [created.id]);
  });

  it("answers a repeat under the same idempotency key with the first escalation", async () => {
    const client = agent();
    const request = handoff();
    const key = `escalate-${request.external_ref}`;
    const first = await client.escalate(request, { idempotencyKey: key });
    const again = await client.escalate(request, { idempotencyKey: key });
    assert.equal(again.id, first.id);
    const all = [];
    for await (const item of client.listAll({ external_ref: request.external_ref! })) all.push(item);
    assert.equal(all.length, 1);

    await assert.rejects(client.escalate({ ...request, summary: "another body" }, { idempotencyKey: key }), ConflictError);
  });

  it("retries a create that failed in transit under the same key, so one escalation opens", async () => {
    const sent: { key: string | null; body: string }[] = [];
    let failNext = true;
    const flaky: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      sent.push({ key: headers.get("idempotency-key"), body: String(init?.body) });
      const response = await fetch(input, init);
      // The server opened it, but the answer is lost on the way back.
      if (failNext) {
        failNext = false;
        await response.body?.cancel();
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      return response;
    };
    const client = agent({ fetch: flaky });
    const request = handoff();
    const created = await client.escalate(request);

    assert.equal(sent.length, 2);
    assert.ok(sent[0]!.key);
    assert.equal(sent[1]!.key, sent[0]!.key);
    assert.equal(sent[1]!.body, sent[0]!.body);
    const page = await client.list({ external_ref: request.external_ref! });
    assert.deepEqual(page.items.map((item) => item.id), [created.id]);
  });

  it("names every invalid field in a ValidationError", async () => {
    const error = await agent()
      .escalate(handoff({ reason: "Not A Code!", confidence: 7 }))
      .then(
        () => assert.fail("the server accepted an invalid escalation"),
        (caught: unknown) => caught,
      );
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    assert.equal(error.status, 400);
    assert.ok(error.errors.reason?.length, JSON.stringify(error.errors));
    assert.ok(error.errors.confidence?.length, JSON.stringify(error.errors));
    assert.match(error.message, /reason/);
  });

  it("refuses NaN and infinities before sending instead of sending null", async () => {
    await assert.rejects(agent().escalate(handoff({ confidence: Number.NaN })), /confidence is NaN/);
    await assert.rejects(agent().escalate(handoff({ confidence: Number.POSITIVE_INFINITY })), TypeError);
  });

  it("throws UnauthorizedError for a wrong key, NotFoundError for an unknown escalation", async () => {
    await assert.rejects(new AwaitHumanClient({ baseUrl, apiKey: "ah_live_wrong" }).get(crypto.randomUUID()), UnauthorizedError);
    await assert.rejects(agent().get(crypto.randomUUID()), NotFoundError);
    await assert.rejects(agent().waitForHuman({ resumeToken: "rt_unknown" }, { timeoutMs: 5000 }), (error: unknown) =>
      error instanceof NotFoundError || error instanceof ValidationError,
    );
  });

  it("gives up with a ConnectionError when nothing listens", async () => {
    const client = new AwaitHumanClient({ baseUrl: "http://127.0.0.1:9", apiKey, maxRetries: 2, retryDelayMs: 10 });
    await assert.rejects(client.get(crypto.randomUUID()), ConnectionError);
  });
});

describe("while the human has it", () => {
  it("relays messages, proposes drafts, and refuses the agent's own voice while a human owns it", async () => {
    const client = agent();
    const created = await client.escalate(handoff());
    await operatorDoes(created.id, "claim");

    const withMessage = await client.appendMessage(created.id, { role: "customer", content: "Hello? Is someone there?" });
    assert.equal(withMessage.transcript.at(-1)?.content, "Hello? Is someone there?");
    await assert.rejects(client.appendMessage(created.id, { role: "agent", content: "I am still here too." }), ConflictError);

    const draft = await client.proposeDraft(created.id, "I can refund the second charge today.");
    assert.equal(draft.escalation_id, created.id);
    const escalation = await client.get(created.id);
    assert.deepEqual(escalation.drafts.map((d) => [d.id, d.status]), [[draft.draft_id, "proposed"]]);
  });

  it("cancels, and a second cancel is a ConflictError", async () => {
    const client = agent();
    const created = await client.escalate(handoff());
    const cancelled = await client.cancel(created.id, "The customer sorted it out.");
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.hand_back?.outcome, "cancelled");
    await assert.rejects(client.cancel(created.id), ConflictError);
  });
});

describe("waiting for the human", () => {
  it("hands back to an agent that kept only the resume token", async () => {
    const before = agent();
    const created = await before.escalate(handoff());
    // The agent stops mid-wait...
    const stopping = new AbortController();
    const dying = before.waitForHuman({ resumeToken: created.resume_token }, { signal: stopping.signal });
    setTimeout(() => stopping.abort(), 300);
    await assert.rejects(dying, (error: unknown) => (error as Error).name === "AbortError");

    // ...and a new process resumes with the token alone.
    const after = agent();
    const waiting = after.waitForHuman({ resumeToken: created.resume_token }, { timeoutMs: 60_000 });
    await operatorDoes(created.id, "claim");
    await operatorDoes(created.id, "reply", { content: "Hi Ada, I am refunding the second charge now." });
    await operatorDoes(created.id, "resolve", resolution);

    const done = await waiting;
    assert.equal(done.id, created.id);
    assert.equal(done.status, "resolved");
    assert.equal(done.hand_back.outcome, "resolved");
    assert.equal(done.hand_back.owner, "ai");
    assert.equal(done.hand_back.resolution?.instructions_for_agent, "Confirm the refund arrives in 3-5 days.");
    assert.deepEqual(done.hand_back.resolution?.fields, { refund_id: "re_123", amount: 49.9 });
    assert.deepEqual(done.hand_back.must_not_claim, ["that the customer was charged only once"]);
    assert.deepEqual(done.hand_back.transcript_delta.map((line) => [line.role, line.content]), [["operator", "Hi Ada, I am refunding the second charge now."]]);
  });

  it("hands back an approval with the human's edited arguments, waiting by id", async () => {
    const client = agent();
    const created = await client.escalate({
      kind: "approval",
      reason: "refund_over_limit",
      summary: "Customer asks for a 250 EUR refund; my limit is 100.",
      action: { name: "issue_refund", arguments: { amount: 250, currency: "EUR" } },
    });
    const waiting = client.waitForHuman({ id: created.id }, { timeoutMs: 60_000 });
    await operatorDoes(created.id, "decision", { decision: "edit", arguments: { amount: 150, currency: "EUR" }, reason: "Half of the shipping was ours." });
    const done = await waiting;
    assert.equal(done.hand_back.outcome, "edited");
    assert.equal(done.hand_back.decision?.decision, "edit");
    assert.deepEqual(done.hand_back.decision?.arguments, { amount: 150, currency: "EUR" });
  });

  it("throws WaitTimeoutError when nobody answers in time", async () => {
    const client = agent();
    const created = await client.escalate(handoff());
    const started = Date.now();
    await assert.rejects(client.waitForHuman({ resumeToken: created.resume_token }, { timeoutMs: 1500 }), WaitTimeoutError);
    assert.ok(Date.now() - started < 10_000);
  });
});

describe("the event stream", () => {
  it("streams the escalation's events and resumes after the last one seen", async () => {
    const client = agent();
    const created = await client.escalate(handoff());
    const seen: EscalationEvent[] = [];
    const stop = new AbortController();
    const reading = (async () => {
      for await (const event of client.events(created.id, { signal: stop.signal })) {
        seen.push(event);
        if (event.type === "escalation.claimed") await operatorDoes(created.id, "resolve", resolution);
        if (event.type === "escalation.resolved") break;
      }
    })();
    await operatorDoes(created.id, "claim");
    await reading;

    const types = seen.map((event) => event.type);
    assert.equal(types[0], "escalation.opened");
    assert.ok(types.includes("escalation.claimed"), types.join());
    assert.equal(types.at(-1), "escalation.resolved");
    const resolved = seen.at(-1)!;
    assert.equal((resolved.data.hand_back as { outcome?: string }).outcome, "resolved");

    // Resuming after the claim gives exactly what came after it.
    const claimed = seen.find((event) => event.type === "escalation.claimed")!;
    const after: string[] = [];
    for await (const event of client.events(created.id, { lastEventId: claimed.id })) {
      after.push(event.id);
      if (event.type === "escalation.resolved") break;
    }
    assert.deepEqual(after, seen.slice(seen.indexOf(claimed) + 1).map((event) => event.id));
  });

  it("reconnects after a dropped connection with Last-Event-ID, missing and repeating nothing", async () => {
    const lastEventIds: (string | null)[] = [];
    let cut = false;
    // Delivers the stream's first event, then drops the connection, once.
    const dropping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith("/events")) return response;
      lastEventIds.push(new Headers(init?.headers).get("last-event-id"));
      if (cut) return response;
      cut = true;
      const reader = response.body!.getReader();
      let text = "";
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          text += new TextDecoder().decode(value);
          const firstEvent = text.indexOf("id: ");
          const end = firstEvent < 0 ? -1 : text.indexOf("\n\n", firstEvent);
          if (end < 0) return;
          // Only the first whole event gets through before the connection breaks.
          controller.enqueue(new TextEncoder().encode(text.slice(0, end + 2)));
          await reader.cancel();
          controller.error(new TypeError("terminated"));
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client = agent({ fetch: dropping });
    const created = await client.escalate(handoff());
    await operatorDoes(created.id, "claim");
    await operatorDoes(created.id, "resolve", resolution);

    const seen: EscalationEvent[] = [];
    for await (const event of client.events(created.id)) {
      seen.push(event);
      if (event.type === "escalation.resolved") break;
    }
    assert.deepEqual(seen.map((event) => event.type), ["escalation.opened", "escalation.claimed", "escalation.resolved"]);
    assert.equal(new Set(seen.map((event) => event.id)).size, seen.length);
    assert.deepEqual(lastEventIds, [null, seen[0]!.id]);
  });

  it("ends with NotFoundError for an unknown escalation", async () => {
    const stream = agent().events(crypto.randomUUID());
    await assert.rejects(async () => {
      for await (const _ of stream) assert.fail("no events expected");
    }, NotFoundError);
  });
});
