namespace AwaitHuman.Client.Tests;

/// <summary>Wire JSON as the server sends it, for the fake server to answer with.</summary>
public static class Samples
{
    public static readonly Guid EscalationId = Guid.Parse("0198a0b2-6c1e-7a3b-9f00-1234567890ab");

    public const string Created = """
        {"id":"0198a0b2-6c1e-7a3b-9f00-1234567890ab","kind":"handoff","status":"waiting_for_human","created_at":"2026-03-01T10:00:00Z","deadline_at":null,"resume_token":"rt_abc"}
        """;

    public static string Escalation(string handBack = "null", string status = "waiting_for_human") => $$"""
        {
          "id": "0198a0b2-6c1e-7a3b-9f00-1234567890ab",
          "kind": "approval",
          "status": "{{status}}",
          "owner": { "type": "ai" },
          "reason": "refund_over_limit",
          "summary": "Customer wants 250 EUR back",
          "confidence": 0.4,
          "priority": "high",
          "external_ref": "conv-42",
          "customer": { "name": "Ada", "email": "ada@example.com", "phone": null, "whatsapp": "+447700900123", "preferred_channel": "whatsapp", "locale": "en-GB" },
          "channel": "whatsapp",
          "agent": { "name": "support-bot", "version": "7", "trace": [ { "tool": "lookup_order", "input": { "order": "A1" }, "output": [1, 2], "error": null } ] },
          "action": { "name": "refund", "arguments": { "amount": 250, "currency": "EUR" } },
          "metadata": { "plan": "gold" },
          "deadline_at": "2026-03-01T11:00:00Z",
          "created_at": "2026-03-01T10:00:00Z",
          "updated_at": "2026-03-01T10:05:00Z",
          "version": 5,
          "transcript": [ { "id": "0198a0b2-6c1e-7a3b-9f00-000000000001", "role": "customer", "content": "I want my money", "at": "2026-03-01T09:59:00Z", "author": null, "channel": "agent" } ],
          "notes": null,
          "drafts": [],
          "hand_back": {{handBack}}
        }
        """;

    public const string HandBack = """
        {
          "outcome": "edited",
          "resolution": { "summary": "Refunded part", "instructions_for_agent": "Tell her 200 EUR are on the way", "fields": { "refund_id": "r_1" } },
          "decision": { "decision": "edit", "arguments": { "amount": 200, "currency": "EUR" }, "response": null, "reason": "policy cap" },
          "transcript_delta": [ { "id": "0198a0b2-6c1e-7a3b-9f00-000000000002", "role": "operator", "content": "Hi Ada, I can do 200.", "at": "2026-03-01T10:04:00Z", "author": { "kind": "person", "id": "p1", "name": "Sam" } } ],
          "owner": "ai",
          "must_not_claim": [ "the full amount was refunded" ],
          "decided_by": { "kind": "person", "id": "p1", "name": "Sam" },
          "at": "2026-03-01T10:05:00Z"
        }
        """;
}
