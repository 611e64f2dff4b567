export {
  AwaitHumanClient,
  everyPage,
  VERSION,
  type AwaitHumanApi,
  type AwaitHumanClientOptions,
  type CallOptions,
  type EscalateOptions,
  type EventStreamOptions,
  type WaitOptions,
  type WaitTarget,
  type WebhookEndpointsApi,
} from "./client.js";
export {
  AwaitHumanError,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  WaitTimeoutError,
} from "./errors.js";
export {
  WebhookVerificationError,
  WebhookVerifier,
  type WebhookEvent,
  type WebhookHeaders,
  type WebhookVerificationFailure,
  type WebhookVerifierOptions,
} from "./webhooks.js";
export type * from "./types.js";
