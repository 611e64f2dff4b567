"""One HTTP call with retries, over urllib (standard library only)."""

from __future__ import annotations

import email.utils
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional

from .errors import AwaitHumanConnectionError, AwaitHumanError


@dataclass(frozen=True)
class HttpSettings:
    base_url: str
    api_key: Optional[str]
    max_retries: int
    retry_delay: float
    max_retry_delay: float
    request_timeout: float
    user_agent: str
    opener: urllib.request.OpenerDirector


def url_of(base_url: str, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
    url = urllib.parse.urljoin(base_url if base_url.endswith("/") else base_url + "/", path)
    pairs = [(name, str(value)) for name, value in (query or {}).items() if value is not None and value != ""]
    return url + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def open_with_retries(settings: HttpSettings, method: str, path: str, *, query: Optional[Mapping[str, Any]] = None,
                      body: Any = None, headers: Optional[Dict[str, str]] = None, replay_safe: bool,
                      timeout: Optional[float] = None, retry_forever: bool = False, accept: str = "application/json",
                      should_stop: Callable[[], bool] = lambda: False):
    """Sends the call, retrying what is safe to retry; returns the open successful response (the
    caller reads and closes it) or raises an AwaitHumanError.

    ``replay_safe``: the server may see the request twice without harm (reads, a create under an
    idempotency key), so time-outs and 5xx are retried too, not only refusals that prove nothing
    was done."""
    url = url_of(settings.base_url, path, query)
    # Serialized once, so every attempt sends the same bytes under the same idempotency key.
    data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
    all_headers = {"Accept": accept, "User-Agent": settings.user_agent, **(headers or {})}
    if settings.api_key:
        all_headers["Authorization"] = f"Bearer {settings.api_key}"
    if data is not None:
        all_headers["Content-Type"] = "application/json; charset=utf-8"

    attempt = 0
    while True:
        can_retry = retry_forever or attempt < settings.max_retries
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            return settings.opener.open(request, timeout=timeout or settings.request_timeout)
        except urllib.error.HTTPError as answer:
            status = answer.code
            retry_after = parse_retry_after(answer.headers.get("Retry-After"))
            transient = status in (408, 429) or status >= 500
            # 429 means the server did nothing, so even a write may try again.
            may_retry = status == 429 or replay_safe
            if transient and may_retry and can_retry and not should_stop() and (retry_after is None or retry_after <= settings.max_retry_delay):
                answer.close()
                _pause(retry_after if retry_after is not None else _backoff(settings, attempt), should_stop)
                attempt += 1
                continue
            problem = _problem_of(answer)
            raise AwaitHumanError.from_response(status, problem, retry_after) from None
        except (urllib.error.URLError, OSError) as failure:
            # A refused connection proves the request never arrived; any other failure may have come after the server acted.
            if can_retry and not should_stop() and (replay_safe or _refused(failure)):
                _pause(_backoff(settings, attempt), should_stop)
                attempt += 1
                continue
            reason = getattr(failure, "reason", failure)
            raise AwaitHumanConnectionError(f"AwaitHuman could not be reached: {reason}") from failure


def read_json(response) -> Any:
    with response:
        raw = response.read()
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError as error:
        raise AwaitHumanError(f"AwaitHuman answered {response.status} with a body that is not JSON.", response.status) from error


def parse_retry_after(header: Optional[str]) -> Optional[float]:
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _problem_of(answer: urllib.error.HTTPError) -> Optional[Dict[str, Any]]:
    try:
        with answer:
            if "json" not in (answer.headers.get("Content-Type") or ""):
                return None
            problem = json.loads(answer.read().decode("utf-8"))
            return problem if isinstance(problem, dict) else None
    except (ValueError, OSError):
        return None  # not a problem document after all: the status alone must do


def _backoff(settings: HttpSettings, attempt: int) -> float:
    """Exponential backoff with jitter, capped."""
    ceiling = min(settings.max_retry_delay, settings.retry_delay * 2 ** min(attempt, 20))
    return settings.retry_delay / 2 + random.random() * (ceiling - settings.retry_delay / 2)


def _pause(seconds: float, should_stop: Callable[[], bool]) -> None:
    # In short steps, so a stop asked for from another thread (the asyncio client's cancel) is seen.
    deadline = time.monotonic() + seconds
    while not should_stop():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.2))


def _refused(failure: BaseException) -> bool:
    reason = getattr(failure, "reason", failure)
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror))
