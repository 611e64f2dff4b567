"""The real server the tests talk to: started by tests/AwaitHuman.Sdk.Tests, which passes its
address, a fresh tenant's API key and an operator's token (the human side of each test)."""

import json
import os
import urllib.request
import uuid

from awaithuman import AwaitHumanClient


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run these tests through tests/AwaitHuman.Sdk.Tests "
                           "(./awaithuman test --filter Sdk), which starts a server and sets it.")
    return value


BASE_URL = _required("AWAITHUMAN_BASE_URL")
API_KEY = _required("AWAITHUMAN_API_KEY")
OPERATOR_TOKEN = _required("AWAITHUMAN_OPERATOR_TOKEN")


def agent(**options) -> AwaitHumanClient:
    return AwaitHumanClient(BASE_URL, API_KEY, retry_delay=0.05, **options)


def operator_does(escalation_id: str, action: str, body=None):
    """What the operator does in the console, over the same API."""
    request = urllib.request.Request(
        f"{BASE_URL.rstrip('/')}/v1/escalations/{escalation_id}/{action}", method="POST",
        data=json.dumps(body or {}).encode(), headers={"Authorization": f"Bearer {OPERATOR_TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def handoff(**overrides):
    request = {
        "kind": "handoff",
        "reason": "refund_dispute",
        "summary": "Customer disputes a double charge of 49.90 EUR on order 1042.",
        "confidence": 0.42,
        "priority": "high",
        "external_ref": f"conv-{uuid.uuid4()}",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "preferred_channel": "agent", "locale": "en-GB"},
        "transcript": [
            {"role": "customer", "content": "I was charged twice for order 1042."},
            {"role": "agent", "content": "I see two charges. Let me get a colleague."},
        ],
        "agent": {"name": "support-bot", "version": "3.1.0",
                  "trace": [{"tool": "lookup_order", "input": {"order": 1042}, "output": {"charges": 2}}]},
        "metadata": {"tier": "gold"},
    }
    request.update(overrides)
    return request


RESOLUTION = {
    "outcome": "resolved",
    "resolution": {
        "summary": "Refunded the duplicate charge.",
        "instructions_for_agent": "Confirm the refund arrives in 3-5 days.",
        "fields": {"refund_id": "re_123", "amount": 49.9},
    },
    "must_not_claim": ["that the customer was charged only once"],
}
