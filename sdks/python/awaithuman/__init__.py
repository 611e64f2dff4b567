"""AwaitHuman for Python agents: escalate to a human, wait for the hand-back across restarts,
follow the event stream, verify webhooks. Standard library only."""

from .aio import AsyncAwaitHumanClient
from .client import AwaitHumanClient, __version__
from .errors import (
    AwaitHumanConnectionError,
    AwaitHumanError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    UnauthorizedError,
    ValidationError,
    WaitTimeoutError,
)
from .webhooks import WebhookEvent, WebhookVerificationError, WebhookVerifier

__all__ = [
    "AsyncAwaitHumanClient",
    "AwaitHumanClient",
    "AwaitHumanConnectionError",
    "AwaitHumanError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "RateLimitedError",
    "UnauthorizedError",
    "ValidationError",
    "WaitTimeoutError",
    "WebhookEvent",
    "WebhookVerificationError",
    "WebhookVerifier",
    "__version__",
]
