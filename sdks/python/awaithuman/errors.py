"""The errors a call raises; branch on the subclasses."""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class AwaitHumanError(Exception):
    """A call failed: the server answered with an error (``status``, ``problem``), or it could not be
    reached even after the retries (:class:`AwaitHumanConnectionError`)."""

    def __init__(self, message: str, status: Optional[int] = None, problem: Optional[Dict[str, Any]] = None,
                 retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        #: The HTTP status; None when no answer came.
        self.status = status
        #: The RFC 7807 problem details the server sent, if any.
        self.problem = problem
        #: Seconds the server asked to wait before trying again (429, 503), if it said.
        self.retry_after = retry_after

    @property
    def errors(self) -> Dict[str, List[str]]:
        """The messages per field of a 400 (snake_case field names); empty otherwise."""
        errors = (self.problem or {}).get("errors")
        return errors if isinstance(errors, dict) else {}

    @staticmethod
    def from_response(status: int, problem: Optional[Dict[str, Any]], retry_after: Optional[float]) -> "AwaitHumanError":
        message = f"AwaitHuman answered {status} {(problem or {}).get('title') or ''}".rstrip()
        if (problem or {}).get("detail"):
            message += f": {problem['detail']}"  # type: ignore[index]
        errors = (problem or {}).get("errors")
        if isinstance(errors, dict) and errors:
            message += " (" + "; ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items()) + ")"
        kind = {400: ValidationError, 401: UnauthorizedError, 403: ForbiddenError, 404: NotFoundError,
                409: ConflictError, 422: ConflictError, 429: RateLimitedError}.get(status, AwaitHumanError)
        return kind(message, status, problem, retry_after)


class ValidationError(AwaitHumanError):
    """400: the request was refused; ``errors`` names every wrong field."""


class UnauthorizedError(AwaitHumanError):
    """401: no credential, or one the server does not accept."""


class ForbiddenError(AwaitHumanError):
    """403: the credential lacks the scope (e.g. ``webhooks:manage``)."""


class NotFoundError(AwaitHumanError):
    """404: no such object in your tenant (another tenant's objects answer 404 too)."""


class ConflictError(AwaitHumanError):
    """409: the escalation's state refuses the call (finished, or a human owns the conversation);
    422: an ``Idempotency-Key`` reused with another body."""


class RateLimitedError(AwaitHumanError):
    """429 after the retries; ``retry_after`` says when to come back."""


class AwaitHumanConnectionError(AwaitHumanError, ConnectionError):
    """The server could not be reached (network, time-out), even after the retries. Also a built-in
    ``ConnectionError``."""


class WaitTimeoutError(TimeoutError):
    """A wait for the human ended at the time limit given, without a hand-back."""
