import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { NotFoundError, ValidationError, WebhookVerificationError, WebhookVerifier, type Page, type WebhookEndpoint, type WebhookEvent } from "../src/index.js";
import { agent, handoff, operatorDoes, resolution } from "./server.js";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const body = '{"type":"escalation.resolved","timestamp":"2026-11-24T09:30:00Z","data":{"escalation_id":"0199","hand_back":{"outcome":"resolved"}}}';
const now = 1_795_512_600;

describe("verifying webhooks", () => {
  it("accepts the Standard Webhooks reference signature", async () => {
    // The example of the Standard Webhooks specification's reference libraries.
    const verifier = new WebhookVerifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", { now: () => 1_614_265_330_000 });
    const event = verifier.verify('{"test": 2432232314}', {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
    await assert.rejects(event, (error: unknown) => error instanceof WebhookVerificationError && error.failure === "invalid_payload");
  });

  it("verifies a signed event and reads its hand-back", async () => {
    const signature = await WebhookVerifier.sign(secret, "msg_1", now, body);
    const verifier = new WebhookVerifier(["whsec_" + btoa("an older secret, still valid"), secret], { now: () => now * 1000 + 30_000 });
    const event = await verifier.verify(body, new Headers({ "webhook-id": "msg_1", "webhook-timestamp": String(now), "webhook-signature": `v1a,ignored ${signature}` }));
    assert.equal(event.type, "escalation.resolved");
    assert.equal(event.escalationId, "0199");
    assert.equal(event.handBack?.outcome, "resolved");
    assert.equal(event.sentAt.getTime(), now * 1000);
  });

  it("refuses a changed body, a wrong secret, a stale or future timestamp and missing headers", async () => {
    const signature = await WebhookVerifier.sign(secret, "msg_1", now, body);
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(now), "webhook-signature": signature };
    const at = (seconds: number) => new WebhookVerifier(secret, { now: () => seconds * 1000 });
    const failure = (failure: string) => (error: unknown) => error instanceof WebhookVerificationError && error.failure === failure;

    await assert.rejects(at(now).verify(body.replace("resolved", "cancelled"), headers), failure("no_matching_signature"));
    await assert.rejects(new WebhookVerifier("whsec_" + btoa("another secret"), { now: () => now * 1000 }).verify(body, headers), failure("no_matching_signature"));
    await assert.rejects(at(now).verify(body, { ...headers, "webhook-id": "msg_2" }), failure("no_matching_signature"));
    await assert.rejects(at(now + 301).verify(body, headers), failure("timestamp_out_of_tolerance"));
    await assert.rejects(at(now - 301).verify(body, headers), failure("timestamp_out_of_tolerance"));
    await assert.rejects(at(now).verify(body, { ...headers, "webhook-timestamp": "yesterday" }), failure("invalid_timestamp"));
    await assert.rejects(at(now).verify(body, { ...headers, "webhook-signature": "v1,not base64!" }), failure("no_matching_signature"));
    await assert.rejects(at(now).verify(body, { "webhook-id": "msg_1", "webhook-timestamp": String(now) }), failure("missing_header"));
    assert.throws(() => new WebhookVerifier("whsec_???"), TypeError);
    assert.throws(() => new WebhookVerifier([]), TypeError);
  });
});

describe("webhook endpoints", () => {
  it("registers an endpoint whose deliveries verify with its secret, then rotates, disables and deletes it", async (t) => {
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    let arrived: () => void = () => undefined;
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: request.headers });
        response.writeHead(204).end();
        arrived();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    t.after(() => receiver.close());
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

    const client = agent();
    const endpoint = await client.webhookEndpoints.create({ url, event_types: ["escalation.resolved"], description: "sdk test" });
    t.after(() => client.webhookEndpoints.delete(endpoint.id).catch(() => undefined));
    assert.match(endpoint.secret, /^whsec_/);
    assert.equal(endpoint.status, "enabled");
    assert.ok((await client.webhookEndpoints.list()).items.some((item) => item.id === endpoint.id));

    const created = await client.escalate(handoff());
    await operatorDoes(created.id, "resolve", resolution);
    const delivery = await until(() => received.find((r) => r.body.includes(created.id)), (wake) => (arrived = wake), 60_000);
    const event: WebhookEvent = await new WebhookVerifier(endpoint.secret).verify(delivery.body, delivery.headers);
    assert.equal(event.type, "escalation.resolved");
    assert.equal(event.escalationId, created.id);
    assert.equal(event.handBack?.outcome, "resolved");
    await assert.rejects(new WebhookVerifier("whsec_" + btoa("not this endpoint's")).verify(delivery.body, delivery.headers), WebhookVerificationError);

    const rotated = await client.webhookEndpoints.rotateSecret(endpoint.id, 3600);
    assert.notEqual(rotated.secret, endpoint.secret);
    assert.ok(rotated.previous_secret_expires_at);
    const updated = await client.webhookEndpoints.update(endpoint.id, { description: "renamed" });
    assert.equal(updated.description, "renamed");
    const disabled = await client.webhookEndpoints.disable(endpoint.id, "maintenance");
    assert.equal(disabled.status, "disabled");
    assert.equal((await client.webhookEndpoints.enable(endpoint.id)).status, "enabled");
    await client.webhookEndpoints.delete(endpoint.id);
    await assert.rejects(client.webhookEndpoints.get(endpoint.id), NotFoundError);
  });

  it("pages endpoints like every list: one page at a time or all of them", async (t) => {
    const client = agent();
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await client.webhookEndpoints.create({ url: `http://127.0.0.1:9/paged/${i}`, event_types: ["*"] })).id);
    t.after(() => Promise.all(created.map((id) => client.webhookEndpoints.delete(id).catch(() => undefined))));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<WebhookEndpoint> = await client.webhookEndpoints.list({ limit: 1, cursor });
      assert.equal(page.items.length, 1);
      paged.push(page.items[0]!.id);
      cursor = page.next_cursor;
    } while (cursor);
    assert.equal(new Set(paged).size, paged.length, "each endpoint once");
    for (const id of created) assert.ok(paged.includes(id));

    const all: string[] = [];
    for await (const endpoint of client.webhookEndpoints.listAll()) all.push(endpoint.id);
    assert.deepEqual(all, paged);
    const badLimit = await client.webhookEndpoints.list({ limit: 0 }).catch((caught: unknown) => caught);
    assert.ok(badLimit instanceof ValidationError && "limit" in badLimit.errors);
    const badCursor = await client.webhookEndpoints.list({ cursor: "not-a-cursor!" }).catch((caught: unknown) => caught);
    assert.ok(badCursor instanceof ValidationError && "cursor" in badCursor.errors);
  });

  it("refuses an endpoint without event types or with an unknown one, naming the field", async () => {
    const client = agent();
    const error = await client.webhookEndpoints.create({ url: "http://127.0.0.1:9/hooks", event_types: ["escalation.exploded"] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ValidationError, String(error));
    assert.ok(error.errors.event_types?.length, JSON.stringify(error.errors));
  });
});

async function until<T>(find: () => T | undefined, onWake: (wake: () => void) => void, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 500);
      onWake(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  throw new Error(`Nothing arrived within ${timeoutMs} ms.`);
}
