// Drives AwaitHuman's MCP endpoint with the official TypeScript MCP SDK, the client most editors, desktop
// apps and the MCP Inspector use. Run by AwaitHuman.Server.Tests (TypeScriptMcpClientTests) against a
// server it started:
//   AWAITHUMAN_URL=http://127.0.0.1:PORT AWAITHUMAN_API_KEY=ah_... AWAITHUMAN_OPERATOR_TOKEN=ahp_... node check.mjs
// Prints one line per check and exits 1 on the first failed one, with what was expected and what came.
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import Ajv2020 from "ajv/dist/2020.js";
import Ajv from "ajv";

const baseUrl = required("AWAITHUMAN_URL");
const apiKey = required("AWAITHUMAN_API_KEY");
const operatorToken = required("AWAITHUMAN_OPERATOR_TOKEN");
const mcpUrl = new URL("/mcp", baseUrl);
const allTools = ["escalate_to_human", "ask_human", "request_approval", "get_escalation", "wait_for_human"];

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function connect(key) {
  const client = new Client({ name: "awaithuman-typescript-check", version: "1.0.0" });
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers } }));
  return client;
}

// A schema's dialect decides the validator: draft 2020-12 when it says so, else draft-07 (Ajv's default).
function compile(schema) {
  const draft2020 = typeof schema.$schema === "string" && schema.$schema.includes("2020-12");
  const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  return ajv.compile(schema);
}

// Every schema, at any depth, must be an object: strict clients refuse boolean schemas such as `true`.
function booleanSchemas(schema, path = "$") {
  if (typeof schema === "boolean") return [path];
  if (schema === null || typeof schema !== "object") return [];
  const found = [];
  for (const keyword of ["properties", "patternProperties", "$defs", "definitions"]) {
    for (const [name, child] of Object.entries(schema[keyword] ?? {})) found.push(...booleanSchemas(child, `${path}.${keyword}.${name}`));
  }
  for (const keyword of ["items", "additionalItems", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"]) {
    // additionalProperties: false is a constraint, not a schema a client has to interpret as a value's type.
    if (keyword === "additionalProperties" && schema[keyword] === false) continue;
    if (keyword in schema) found.push(...(Array.isArray(schema[keyword]) ? schema[keyword].flatMap((child, i) => booleanSchemas(child, `${path}.${keyword}[${i}]`)) : booleanSchemas(schema[keyword], `${path}.${keyword}`)));
  }
  for (const keyword of ["anyOf", "oneOf", "allOf", "prefixItems"]) {
    for (const [i, child] of (schema[keyword] ?? []).entries()) found.push(...booleanSchemas(child, `${path}.${keyword}[${i}]`));
  }
  return found;
}

let checks = 0;
async function check(name, body) {
  try {
    await body();
    checks++;
    console.log(`ok ${name}`);
  } catch (error) {
    console.error(`FAILED ${name}\n${error?.stack ?? error}`);
    process.exit(1);
  }
}

const agent = await connect(apiKey);
let tools;
const validators = {};

await check("tools/list passes the SDK's schema check and lists the five tools", async () => {
  tools = Object.fromEntries((await agent.listTools()).tools.map((tool) => [tool.name, tool]));
  assert.deepEqual(Object.keys(tools).sort(), [...allTools].sort());
});

await check("every input and output schema is an object schema without boolean subschemas", async () => {
  for (const tool of Object.values(tools)) {
    for (const [kind, schema] of [["inputSchema", tool.inputSchema], ["outputSchema", tool.outputSchema]]) {
      assert.equal(typeof schema, "object", `${tool.name}.${kind} is missing`);
      assert.equal(schema.type, "object", `${tool.name}.${kind}.type`);
      assert.deepEqual(booleanSchemas(schema), [], `${tool.name}.${kind} has boolean schemas`);
    }
    validators[tool.name] = compile(tool.outputSchema);
    compile(tool.inputSchema);
  }
});

// The SDK validates structuredContent against the advertised schema itself; the explicit check says which part failed.
async function call(name, args) {
  const result = await agent.callTool({ name, arguments: args });
  assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, `${name} returned no structuredContent`);
  const valid = validators[name](result.structuredContent);
  assert.ok(valid, `${name}'s structuredContent does not match its output schema: ${JSON.stringify(validators[name].errors)}\n${JSON.stringify(result.structuredContent)}`);
  return result.structuredContent;
}

async function operator(path, body) {
  const response = await fetch(new URL(path, baseUrl), {
    method: "POST",
    headers: { Authorization: `Bearer ${operatorToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `${path}: ${await response.text()}`);
}

let handoff;
await check("escalate_to_human opens a handoff", async () => {
  handoff = await call("escalate_to_human", {
    reason: "refund_dispute",
    summary: "Customer disputes a double charge on order 1042.",
    confidence: 0.3,
    priority: "high",
    customer: { name: "Ada Lovelace", email: "ada@example.com", preferred_channel: "agent", metadata: { tier: "gold" } },
    transcript: [{ role: "customer", content: "I was charged twice." }, { role: "agent", content: "Let me get a colleague." }],
    deadline_seconds: 3600,
    idempotency_key: `ts-${Date.now()}`,
  });
  assert.equal(handoff.kind, "handoff");
  assert.match(handoff.resume_token, /^rt_/);
});

await check("get_escalation shows it", async () => {
  const shown = await call("get_escalation", { id: handoff.id });
  assert.equal(shown.id, handoff.id);
  assert.equal(shown.owner.type, "ai");
});

await check("ask_human, answered with resolution fields, comes back through wait_for_human", async () => {
  const asked = await call("ask_human", { question: "May we waive the late fee?", reason: "policy_exception", context: "Gold customer." });
  await operator(`/v1/escalations/${asked.id}/resolve`, {
    outcome: "answered",
    resolution: { summary: "Yes, once.", fields: { waive: true, limit: 25, note: "one-time", tags: ["goodwill"] } },
  });
  const answered = await call("wait_for_human", { resume_token: asked.resume_token, timeout_seconds: 10 });
  assert.equal(answered.status, "resolved");
  assert.equal(answered.hand_back.resolution.fields.limit, 25);
  const shown = await call("get_escalation", { id: asked.id });
  assert.equal(shown.hand_back.resolution.fields.waive, true);
});

await check("request_approval, edited by the human, hands back the edited arguments", async () => {
  const requested = await call("request_approval", { action: "issue_refund", reason: "refund_over_limit", arguments: { order: 1042, amount: 80.5 } });
  await operator(`/v1/escalations/${requested.id}/decision`, { decision: "edit", arguments: { order: 1042, amount: 20 }, reason: "Only shipping." });
  const decided = await call("wait_for_human", { id: requested.id, timeout_seconds: 10 });
  assert.equal(decided.hand_back.outcome, "edited");
  assert.equal(decided.hand_back.decision.arguments.amount, 20);
  const shown = await call("get_escalation", { id: requested.id });
  assert.equal(shown.action.arguments.amount, 80.5);
});

await check("wrong argument types name every bad field, as the other errors do", async () => {
  const result = await agent.callTool({ name: "escalate_to_human", arguments: { reason: "refund_dispute", confidence: "high", deadline_seconds: "soon", priority: 3 } });
  assert.equal(result.isError, true);
  const text = result.content.map((part) => part.text).join("\n");
  for (const field of ["confidence", "deadline_seconds", "priority"]) assert.match(text, new RegExp(field), text);
  assert.doesNotMatch(text, /System\.|Nullable|Path: \$/, text);
});

await check("a missing required argument names the field", async () => {
  const result = await agent.callTool({ name: "ask_human", arguments: { reason: "policy_exception" } });
  assert.equal(result.isError, true);
  assert.match(result.content.map((part) => part.text).join("\n"), /question/);
});

await check("NaN or an infinity is refused", async () => {
  // JSON has no NaN; a model that sends one sends it as text, which must not pass as a number.
  for (const confidence of ["NaN", "Infinity", "-Infinity"]) {
    const result = await agent.callTool({ name: "escalate_to_human", arguments: { reason: "low_confidence", confidence } });
    assert.equal(result.isError, true, `confidence ${confidence} was accepted`);
    assert.match(result.content.map((part) => part.text).join("\n"), /confidence/);
  }
});

await check("without a key the endpoint refuses to connect", async () => {
  await assert.rejects(connect(null), (error) => /401|Unauthorized/i.test(String(error?.message ?? error)));
});

await agent.close();
console.log(`${checks} checks passed`);
