"""The asyncio client: the blocking client's calls, each run in the loop's executor so it never
blocks the event loop. Waits and event streams stop when their task is cancelled."""

from __future__ import annotations

import asyncio
import functools
import threading
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional, Sequence

from .client import AwaitHumanClient, Json

_DONE = object()


async def every_page_async(page_after: Callable[[Optional[str]], Awaitable[Json]]) -> AsyncIterator[Json]:
    """Every item of a list, page after page, without blocking the loop."""
    cursor: Optional[str] = None
    while True:
        page = await page_after(cursor)
        for item in page["items"]:
            yield item
        cursor = page.get("next_cursor")
        if not cursor:
            return


class AsyncAwaitHumanClient:
    """The same calls as :class:`AwaitHumanClient` (same arguments), as coroutines."""

    def __init__(self, base_url: str, api_key: Optional[str] = None, **options: Any) -> None:
        self._client = AwaitHumanClient(base_url, api_key, **options)
        self.webhook_endpoints = AsyncWebhookEndpoints(self._client)

    @property
    def sync(self) -> AwaitHumanClient:
        """The blocking client underneath."""
        return self._client

    async def escalate(self, request: Json, *, idempotency_key: Optional[str] = None) -> Json:
        return await _run(self._client.escalate, request, idempotency_key=idempotency_key)

    async def get(self, escalation_id: str) -> Json:
        return await _run(self._client.get, escalation_id)

    async def list(self, **filters: Any) -> Json:
        return await _run(self._client.list, **filters)

    def list_all(self, **filters: Any) -> AsyncIterator[Json]:
        """Every escalation that matches, following the pages (``async for``)."""
        return every_page_async(lambda cursor: self.list(**filters, cursor=cursor))

    async def append_message(self, escalation_id: str, role: str, content: str, at: Optional[str] = None) -> Json:
        return await _run(self._client.append_message, escalation_id, role, content, at)

    async def propose_draft(self, escalation_id: str, content: str) -> Json:
        return await _run(self._client.propose_draft, escalation_id, content)

    async def cancel(self, escalation_id: str, reason: Optional[str] = None) -> Json:
        return await _run(self._client.cancel, escalation_id, reason)

    async def wait_for_human(self, resume_token: Optional[str] = None, *, escalation_id: Optional[str] = None,
                             timeout: Optional[float] = None) -> Json:
        """Cancelling the task stops the wait (the thread leaves at the end of its current long poll)."""
        stopped = threading.Event()
        try:
            return await _run(self._client.wait_for_human, resume_token, escalation_id=escalation_id, timeout=timeout,
                              should_stop=stopped.is_set)
        finally:
            stopped.set()

    async def events(self, escalation_id: str, *, last_event_id: Optional[str] = None) -> AsyncIterator[Json]:
        stopped = threading.Event()
        stream = self._client.events(escalation_id, last_event_id=last_event_id, should_stop=stopped.is_set)
        try:
            while True:
                event = await _run(next, stream, _DONE)
                if event is _DONE:
                    return
                yield event
        finally:
            stopped.set()
            try:
                stream.close()  # closes the connection at once when no read is in flight
            except ValueError:
                pass  # a read is still running in its thread: it sees the stop after its next event


class AsyncWebhookEndpoints:
    def __init__(self, client: AwaitHumanClient) -> None:
        self._endpoints = client.webhook_endpoints

    async def create(self, url: str, event_types: Sequence[str], description: Optional[str] = None) -> Json:
        return await _run(self._endpoints.create, url, event_types, description)

    async def list(self, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> Json:
        return await _run(self._endpoints.list, limit=limit, cursor=cursor)

    def list_all(self) -> AsyncIterator[Json]:
        """Every endpoint of the tenant, following the pages (``async for``)."""
        return every_page_async(lambda cursor: self.list(cursor=cursor))

    async def get(self, endpoint_id: str) -> Json:
        return await _run(self._endpoints.get, endpoint_id)

    async def update(self, endpoint_id: str, **changes: Any) -> Json:
        return await _run(self._endpoints.update, endpoint_id, **changes)

    async def delete(self, endpoint_id: str) -> None:
        await _run(self._endpoints.delete, endpoint_id)

    async def rotate_secret(self, endpoint_id: str, overlap_seconds: Optional[int] = None) -> Json:
        return await _run(self._endpoints.rotate_secret, endpoint_id, overlap_seconds)

    async def disable(self, endpoint_id: str, reason: Optional[str] = None) -> Json:
        return await _run(self._endpoints.disable, endpoint_id, reason)

    async def enable(self, endpoint_id: str) -> Json:
        return await _run(self._endpoints.enable, endpoint_id)

    async def send_test(self, endpoint_id: str) -> Dict[str, Any]:
        return await _run(self._endpoints.send_test, endpoint_id)


async def _run(function: Any, *args: Any, **kwargs: Any) -> Any:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))
