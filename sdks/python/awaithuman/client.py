"""The blocking client. Every JSON object is a plain ``dict`` with the API's snake_case names, as
docs/escalations.md describes them."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Sequence, Union

from ._http import HttpSettings, open_with_retries, read_json
from .errors import AwaitHumanError, WaitTimeoutError

__version__ = "0.1.0"

Json = Dict[str, Any]

# A poll that comes back open this fast was not held by the server (a proxy, an old server):
# waiting this long before the next one keeps a wait from spinning.
_MINIMUM_POLL_INTERVAL = 1.0
# The server sends a keep-alive every 15 s; a stream silent for this long is dead.
_EVENT_STREAM_READ_TIMEOUT = 45.0


def every_page(page_after: Callable[[Optional[str]], Json]) -> Iterator[Json]:
    """Every item of a list, page after page: every list of the API answers ``{"items": [...], "next_cursor": ...}``."""
    cursor: Optional[str] = None
    while True:
        page = page_after(cursor)
        yield from page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return



class AwaitHumanClient:
    """The Agent API client: open an escalation, wait for the human's hand-back (also after a
    restart, with only the resume token), follow its events, add to and cancel it, manage webhook
    endpoints. Transient failures are retried; a retried create carries the same idempotency key,
    so it never opens two escalations. Thread-safe; make one and share it."""

    def __init__(self, base_url: str, api_key: Optional[str] = None, *, max_retries: int = 4, retry_delay: float = 1.0,
                 max_retry_delay: float = 30.0, request_timeout: float = 30.0, wait_poll_seconds: int = 60,
                 opener: Optional[urllib.request.OpenerDirector] = None) -> None:
        """
        :param base_url: the server, e.g. ``https://api.awaithuman.example``.
        :param api_key: ``ah_live_...`` with ``escalations:read`` and ``escalations:write`` (and
            ``webhooks:manage`` for webhook endpoints).
        :param max_retries: retries of a failed call (network errors, time-outs, 408, 429, 5xx).
        :param retry_delay: the first retry's delay in seconds, doubled each time with jitter.
        :param max_retry_delay: the longest delay; a longer ``Retry-After`` goes back to the caller.
        :param request_timeout: seconds one attempt may take.
        :param wait_poll_seconds: how long each long poll of a wait is held on the server, 1 to 60.
        :param opener: a urllib opener of your own (proxies, TLS settings).
        """
        if not base_url or not urllib.parse.urlparse(base_url).scheme:
            raise ValueError("base_url is required and absolute, e.g. https://api.awaithuman.example")
        if max_retries < 0 or retry_delay <= 0 or max_retry_delay < retry_delay or request_timeout <= 0:
            raise ValueError("max_retries >= 0, retry_delay > 0, max_retry_delay >= retry_delay, request_timeout > 0.")
        if not 1 <= wait_poll_seconds <= 60:
            raise ValueError("wait_poll_seconds is 1 to 60.")
        self._http = HttpSettings(base_url, api_key, max_retries, retry_delay, max_retry_delay, request_timeout,
                                  f"awaithuman-sdk-python/{__version__}", opener or urllib.request.build_opener())
        self._wait_poll_seconds = wait_poll_seconds
        self.webhook_endpoints = WebhookEndpoints(self._call)

    def escalate(self, request: Json, *, idempotency_key: Optional[str] = None) -> Json:
        """Opens an escalation (the body of ``POST /v1/escalations``); answers its ``id`` and the
        ``resume_token`` to keep for waiting across restarts.

        :param idempotency_key: makes the create safe to repeat: a repeat answers the escalation the
            key first made; the key with another body raises ConflictError. Generated when None;
            pass your own (e.g. from your conversation id) so a create your process repeats after a
            crash is safe too.
        """
        if idempotency_key is not None and not idempotency_key.strip():
            raise ValueError("idempotency_key is empty.")
        return self._call("POST", "v1/escalations", body=request, replay_safe=True,
                          headers={"Idempotency-Key": idempotency_key or str(uuid.uuid4())})

    def get(self, escalation_id: str) -> Json:
        return self._call("GET", f"v1/escalations/{_segment(escalation_id)}", replay_safe=True)

    def list(self, *, status: Union[str, Sequence[str], None] = None, external_ref: Optional[str] = None,
             owner: Optional[str] = None, team: Optional[str] = None, priority: Optional[str] = None,
             reason: Optional[str] = None, channel: Optional[str] = None, limit: Optional[int] = None,
             cursor: Optional[str] = None) -> Json:
        """One page of escalations, newest first: ``{"items": [...], "next_cursor": ...}``."""
        query = {"status": status if isinstance(status, str) or status is None else ",".join(status),
                 "external_ref": external_ref, "owner": owner, "team": team, "priority": priority,
                 "reason": reason, "channel": channel, "limit": limit, "cursor": cursor}
        return self._call("GET", "v1/escalations", query=query, replay_safe=True)

    def list_all(self, **filters: Any) -> Iterator[Json]:
        """Every escalation that matches (the filters of :meth:`list`), following the pages."""
        return every_page(lambda cursor: self.list(**filters, cursor=cursor))

    def append_message(self, escalation_id: str, role: str, content: str, at: Optional[str] = None) -> Json:
        """Adds to the transcript (e.g. what the customer said meanwhile); ``agent`` raises
        ConflictError while a human owns the conversation."""
        body: Json = {"role": role, "content": content}
        if at is not None:
            body["at"] = at
        return self._call("POST", f"v1/escalations/{_segment(escalation_id)}/messages", body=body, replay_safe=False)

    def propose_draft(self, escalation_id: str, content: str) -> Json:
        """Proposes a reply for an operator to approve, edit or reject; answers ``draft_id``."""
        return self._call("POST", f"v1/escalations/{_segment(escalation_id)}/drafts", body={"content": content}, replay_safe=False)

    def cancel(self, escalation_id: str, reason: Optional[str] = None) -> Json:
        """Cancels it (e.g. the problem solved itself); the hand-back says ``cancelled``."""
        return self._call("POST", f"v1/escalations/{_segment(escalation_id)}/cancel", body={"reason": reason}, replay_safe=False)

    def wait_for_human(self, resume_token: Optional[str] = None, *, escalation_id: Optional[str] = None,
                       timeout: Optional[float] = None, should_stop: Callable[[], bool] = lambda: False) -> Json:
        """Waits until a human hands the escalation back and answers it with ``hand_back`` set.
        Holds long polls open on the server and rides out outages; with the resume token alone, an
        agent that restarted picks up where it left off.

        :param timeout: seconds to wait at most (WaitTimeoutError after); as long as it takes when None.
        """
        if (resume_token is None) == (escalation_id is None):
            raise ValueError("Give either resume_token or escalation_id.")
        if resume_token is not None and not resume_token:
            raise ValueError("resume_token is empty.")
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive.")
        path = "v1/escalations/wait" if resume_token is not None else f"v1/escalations/{_segment(escalation_id or '')}/wait"
        deadline = None if timeout is None else time.monotonic() + timeout

        def stop() -> bool:
            return should_stop() or (deadline is not None and time.monotonic() >= deadline)

        while True:
            seconds = self._wait_poll_seconds
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WaitTimeoutError(f"No human handed the escalation back within {timeout} s.")
                seconds = min(seconds, max(1, int(left + 0.999)))
            started = time.monotonic()
            try:
                response = open_with_retries(self._http, "GET", path, query={"resume_token": resume_token, "timeout_seconds": seconds},
                                             replay_safe=True, retry_forever=True, should_stop=stop,
                                             timeout=seconds + self._http.request_timeout)
                escalation = read_json(response)
            except AwaitHumanError as error:
                # Retries ended by the deadline or a stop: say so below, not with the outage's error.
                if not stop() or not (error.status is None or error.status in (408, 429) or error.status >= 500):
                    raise
                escalation = None
            if escalation and escalation.get("hand_back"):
                return escalation
            if should_stop():
                raise InterruptedError("The wait was stopped.")
            pause = _MINIMUM_POLL_INTERVAL - (time.monotonic() - started)
            if pause > 0:
                time.sleep(pause)

    def events(self, escalation_id: str, *, last_event_id: Optional[str] = None,
               should_stop: Callable[[], bool] = lambda: False) -> Iterator[Json]:
        """The escalation's events as they happen (Server-Sent Events): dicts with ``id``, ``type``
        and ``data``. Reconnects by itself after a drop with ``Last-Event-ID``, so nothing is missed
        or repeated; stop by leaving the loop. Errors the server answers (NotFoundError...) end it."""
        path = f"v1/escalations/{_segment(escalation_id)}/events"
        last = last_event_id
        retry_seconds = 2.0
        while not should_stop():
            headers = {"Last-Event-ID": last} if last else None
            response = open_with_retries(self._http, "GET", path, headers=headers, replay_safe=True, accept="text/event-stream",
                                         timeout=_EVENT_STREAM_READ_TIMEOUT, should_stop=should_stop)
            try:
                for message in _messages(response):
                    if "retry" in message:
                        retry_seconds = message["retry"] / 1000
                    if "event" not in message and "data" not in message:
                        continue
                    if "id" in message:
                        last = message["id"]
                    yield {"id": message.get("id", ""), "type": message.get("event", "message"), "data": _parse_data(message.get("data"))}
                    if should_stop():
                        return
            except OSError:
                pass  # the connection dropped: reconnect after the last event seen
            finally:
                response.close()
            time.sleep(retry_seconds)

    def _call(self, method: str, path: str, *, query: Optional[Mapping[str, Any]] = None, body: Any = None,
              headers: Optional[Dict[str, str]] = None, replay_safe: bool) -> Any:
        return read_json(open_with_retries(self._http, method, path, query=query, body=body, headers=headers, replay_safe=replay_safe))


class WebhookEndpoints:
    """The tenant's webhook endpoints (scope ``webhooks:manage``)."""

    def __init__(self, call: Callable[..., Any]) -> None:
        self._call = call

    def create(self, url: str, event_types: Sequence[str], description: Optional[str] = None) -> Json:
        """Registers a URL; the answer shows the signing ``secret`` (``whsec_...``) this once.
        ``event_types``: ``["*"]`` or names such as ``escalation.resolved``."""
        return self._call("POST", "v1/webhook-endpoints", body={"url": url, "event_types": list(event_types), "description": description},
                          replay_safe=False)

    def list(self, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> Json:
        """One page, newest first: ``{"items": [...], "next_cursor": ...}``; pass ``next_cursor`` back as ``cursor``."""
        return self._call("GET", "v1/webhook-endpoints", query={"limit": limit, "cursor": cursor}, replay_safe=True)

    def list_all(self) -> Iterator[Json]:
        """Every endpoint of the tenant, following the pages."""
        return every_page(lambda cursor: self.list(cursor=cursor))

    def get(self, endpoint_id: str) -> Json:
        return self._call("GET", f"v1/webhook-endpoints/{_segment(endpoint_id)}", replay_safe=True)

    def update(self, endpoint_id: str, *, url: Optional[str] = None, event_types: Optional[Sequence[str]] = None,
               description: Optional[str] = None) -> Json:
        """Changes what is given; an empty description removes it."""
        body = {name: value for name, value in
                {"url": url, "event_types": None if event_types is None else list(event_types), "description": description}.items()
                if value is not None}
        return self._call("PATCH", f"v1/webhook-endpoints/{_segment(endpoint_id)}", body=body, replay_safe=True)

    def delete(self, endpoint_id: str) -> None:
        self._call("DELETE", f"v1/webhook-endpoints/{_segment(endpoint_id)}", replay_safe=True)

    def rotate_secret(self, endpoint_id: str, overlap_seconds: Optional[int] = None) -> Json:
        """A new secret, shown once; the old one keeps signing beside it for the overlap (default 24 h)."""
        return self._call("POST", f"v1/webhook-endpoints/{_segment(endpoint_id)}/rotate-secret",
                          body={"overlap_seconds": overlap_seconds}, replay_safe=False)

    def disable(self, endpoint_id: str, reason: Optional[str] = None) -> Json:
        return self._call("POST", f"v1/webhook-endpoints/{_segment(endpoint_id)}/disable", body={"reason": reason}, replay_safe=True)

    def enable(self, endpoint_id: str) -> Json:
        return self._call("POST", f"v1/webhook-endpoints/{_segment(endpoint_id)}/enable", replay_safe=True)

    def send_test(self, endpoint_id: str) -> Json:
        """Sends a ``webhook.test`` event to this endpoint alone."""
        return self._call("POST", f"v1/webhook-endpoints/{_segment(endpoint_id)}/test", replay_safe=False)


def _segment(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("The id is empty.")
    return urllib.parse.quote(value, safe="")


def _messages(response) -> Iterator[Dict[str, Any]]:
    message: Dict[str, Any] = {}
    while True:
        raw = response.readline()
        if not raw:
            return
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            yield message
            message = {}
            continue
        if line.startswith(":"):
            continue  # a comment: the server's keep-alive
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field in ("id", "event"):
            message[field] = value
        elif field == "data":
            message["data"] = value if "data" not in message else message["data"] + "\n" + value
        elif field == "retry" and value.isdigit():
            message["retry"] = int(value)


def _parse_data(data: Optional[str]) -> Json:
    if not data:
        return {}
    try:
        parsed = json.loads(data)
    except ValueError:
        return {"text": data}
    return parsed if isinstance(parsed, dict) else {"value": parsed}

