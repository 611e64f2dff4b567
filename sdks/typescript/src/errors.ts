import type { Problem } from "./types.js";

/**
 * A call to AwaitHuman failed: the server answered with an error (`status`, `problem`), or it could
 * not be reached even after the retries (`ConnectionError`). Branch with `instanceof` on the
 * subclasses: `ValidationError`, `UnauthorizedError`, `ForbiddenError`, `NotFoundError`,
 * `ConflictError`, `RateLimitedError`.
 */
export class AwaitHumanError extends Error {
  /** The HTTP status; undefined when no answer came. */
  readonly status: number | undefined;
  /** The problem details the server sent, if any. */
  readonly problem: Problem | undefined;
  /** How long the server asked to wait before trying again (429, 503), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, status?: number, problem?: Problem, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = status;
    this.problem = problem;
    this.retryAfterMs = retryAfterMs;
  }

  /** The messages per field of a 400 (snake_case field names); empty otherwise. */
  get errors(): Record<string, string[]> {
    return this.problem?.errors ?? {};
  }

  /** The typed error for an error answer. */
  static fromResponse(status: number, problem: Problem | undefined, retryAfterMs: number | undefined): AwaitHumanError {
    const message = describe(status, problem);
    switch (status) {
      case 400:
        return new ValidationError(message, status, problem, retryAfterMs);
      case 401:
        return new UnauthorizedError(message, status, problem, retryAfterMs);
      case 403:
        return new ForbiddenError(message, status, problem, retryAfterMs);
      case 404:
        return new NotFoundError(message, status, problem, retryAfterMs);
      case 409:
      case 422:
        return new ConflictError(message, status, problem, retryAfterMs);
      case 429:
        return new RateLimitedError(message, status, problem, retryAfterMs);
      default:
        return new AwaitHumanError(message, status, problem, retryAfterMs);
    }
  }
}

/** 400: the request was refused; `errors` names every wrong field. */
export class ValidationError extends AwaitHumanError {}

/** 401: no credential, or one the server does not accept (revoked, expired, mistyped). */
export class UnauthorizedError extends AwaitHumanError {}

/** 403: the credential lacks the scope (e.g. `webhooks:manage`). */
export class ForbiddenError extends AwaitHumanError {}

/** 404: no such object in your tenant (another tenant's objects answer 404 too). */
export class NotFoundError extends AwaitHumanError {}

/**
 * 409: the escalation's state refuses the call (e.g. it is already finished, or a human owns the
 * conversation); 422: an `Idempotency-Key` reused with another body.
 */
export class ConflictError extends AwaitHumanError {}

/** 429 after the retries: the budget is spent; `retryAfterMs` says when to come back. */
export class RateLimitedError extends AwaitHumanError {}

/** The server could not be reached (network, time-out), even after the retries. */
export class ConnectionError extends AwaitHumanError {}

/** A wait for the human ended at the time limit the caller gave, without a hand-back. */
export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

function describe(status: number, problem: Problem | undefined): string {
  let message = `AwaitHuman answered ${status} ${problem?.title ?? ""}`.trimEnd();
  if (problem?.detail) message += `: ${problem.detail}`;
  const errors = Object.entries(problem?.errors ?? {});
  if (errors.length > 0) message += ` (${errors.map(([field, messages]) => `${field}: ${messages.join(" ")}`).join("; ")})`;
  return message;
}
