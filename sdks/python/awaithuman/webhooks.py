"""Verifying AwaitHuman's webhooks the Standard Webhooks way, for the agent's own server."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Union

_SECRET_PREFIX = "whsec_"


class WebhookVerificationError(Exception):
    """The request is not a genuine, fresh AwaitHuman webhook: answer 401 and do nothing with it.

    ``failure`` is one of ``missing_header``, ``invalid_timestamp``, ``timestamp_out_of_tolerance``,
    ``no_matching_signature``, ``invalid_payload``."""

    def __init__(self, failure: str, message: str) -> None:
        super().__init__(message)
        self.failure = failure


@dataclass(frozen=True)
class WebhookEvent:
    """A verified webhook."""

    #: ``webhook-id``: the same on every retry of a delivery; handle each id once.
    id: str
    #: When this attempt was signed.
    sent_at: datetime
    #: e.g. ``escalation.resolved``, ``webhook.test``.
    type: str
    #: When the event happened (ISO 8601), if the payload says.
    timestamp: Optional[str]
    data: Dict[str, Any]

    @property
    def escalation_id(self) -> Optional[str]:
        value = self.data.get("escalation_id")
        return value if isinstance(value, str) else None

    @property
    def hand_back(self) -> Optional[Dict[str, Any]]:
        """On resolved, cancelled, timed-out and approval-decided events."""
        value = self.data.get("hand_back")
        return value if isinstance(value, dict) else None


class WebhookVerifier:
    """Checks HMAC-SHA256 of ``{webhook-id}.{webhook-timestamp}.{raw body}`` against every ``v1,``
    signature of ``webhook-signature`` (constant time), and that the timestamp is within the
    tolerance. Give it the raw body as received, before any JSON parsing."""

    def __init__(self, secrets: Union[str, Iterable[str]], *, tolerance_seconds: float = 300,
                 now: Callable[[], float] = time.time) -> None:
        """:param secrets: the endpoint's ``whsec_...`` secret; several while rotating."""
        self._keys = [_key_of(secret) for secret in ([secrets] if isinstance(secrets, str) else list(secrets))]
        if not self._keys:
            raise ValueError("Give at least one secret.")
        if tolerance_seconds <= 0:
            raise ValueError("tolerance_seconds must be positive.")
        self._tolerance = tolerance_seconds
        self._now = now

    def verify(self, body: Union[bytes, str], headers: Mapping[str, Any]) -> WebhookEvent:
        """Answers the event; raises WebhookVerificationError when it is not genuine or not fresh.
        ``headers``: any mapping (Flask's, Django's ``request.headers``, a dict), looked up without case."""
        webhook_id = _header(headers, "webhook-id")
        timestamp = _header(headers, "webhook-timestamp")
        signatures = _header(headers, "webhook-signature")
        for name, value in (("webhook-id", webhook_id), ("webhook-timestamp", timestamp), ("webhook-signature", signatures)):
            if not value:
                raise WebhookVerificationError("missing_header", f"The {name} header is missing.")
        assert webhook_id and timestamp and signatures
        if not (timestamp.isdigit() and timestamp.isascii() and len(timestamp) <= 15):
            raise WebhookVerificationError("invalid_timestamp", "The webhook-timestamp header is not Unix seconds.")
        sent_at = int(timestamp)
        skew = self._now() - sent_at
        if abs(skew) > self._tolerance:
            raise WebhookVerificationError(
                "timestamp_out_of_tolerance",
                f"The delivery is {round(skew)} s old, more than the {self._tolerance} s allowed." if skew > 0
                else f"The delivery is dated {round(-skew)} s in the future.")

        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        signed = f"{webhook_id}.{timestamp}.".encode("utf-8") + raw
        if not self._matches(signed, signatures):
            raise WebhookVerificationError("no_matching_signature", "No signature matches any of the secrets.")
        return _parse(webhook_id, sent_at, raw)

    def _matches(self, signed: bytes, header: str) -> bool:
        expected = [hmac.new(key, signed, hashlib.sha256).digest() for key in self._keys]
        for entry in header.split(" "):
            # Other versions (e.g. v1a, asymmetric) are for other verifiers: skip, do not fail.
            version, _, encoded = entry.partition(",")
            if version != "v1" or not encoded:
                continue
            try:
                received = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                continue
            if any(hmac.compare_digest(candidate, received) for candidate in expected):
                return True
        return False

    @staticmethod
    def sign(secret: str, webhook_id: str, timestamp: int, body: Union[bytes, str]) -> str:
        """The ``webhook-signature`` value for a body (to test your endpoint with a request of your own)."""
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        mac = hmac.new(_key_of(secret), f"{webhook_id}.{timestamp}.".encode("utf-8") + raw, hashlib.sha256).digest()
        return "v1," + base64.b64encode(mac).decode("ascii")


def _key_of(secret: str) -> bytes:
    if not isinstance(secret, str) or not secret.strip():
        raise ValueError("A webhook secret is whsec_ followed by base64.")
    encoded = secret[len(_SECRET_PREFIX):] if secret.startswith(_SECRET_PREFIX) else secret
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("A webhook secret is whsec_ followed by base64.") from None
    if not key:
        raise ValueError("A webhook secret must not be empty.")
    return key


def _header(headers: Mapping[str, Any], name: str) -> Optional[str]:
    getter = getattr(headers, "get", None)
    value = getter(name) if getter else None
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    if isinstance(value, (list, tuple)):
        value = " ".join(value)
    return value


def _parse(webhook_id: str, sent_at: int, body: bytes) -> WebhookEvent:
    try:
        root = json.loads(body.decode("utf-8"))
    except ValueError:
        raise WebhookVerificationError("invalid_payload", "The body is not JSON.") from None
    if not isinstance(root, dict) or not isinstance(root.get("type"), str):
        raise WebhookVerificationError("invalid_payload", 'The body is not an event: it has no "type".')
    data = root.get("data")
    timestamp = root.get("timestamp")
    return WebhookEvent(webhook_id, datetime.fromtimestamp(sent_at, timezone.utc), root["type"],
                        timestamp if isinstance(timestamp, str) else None, data if isinstance(data, dict) else {})
