// The Agent API's JSON as it travels: snake_case, exactly as docs/escalations.md names it, so what you
// read here is what the server sends and the API docs describe. Closed vocabularies also accept a
// value a newer server may add, so an agent keeps compiling and running across server upgrades.

/** A string the server may extend later: the known values, or any other string. */
type Open<T extends string> = T | (string & {});

export type EscalationKind = Open<"handoff" | "approval" | "question">;
export type EscalationStatus = Open<"waiting_for_human" | "with_human" | "resolved" | "cancelled" | "timed_out">;
export type EscalationPriority = Open<"low" | "normal" | "high" | "urgent">;
export type CustomerChannel = Open<"whatsapp" | "sms" | "email" | "webchat" | "agent">;
export type MessageRole = Open<"customer" | "agent" | "tool" | "system" | "operator">;
export type DraftStatus = Open<"proposed" | "approved" | "edited" | "rejected">;
export type OwnerType = Open<"ai" | "human">;
export type HandBackOutcome = Open<
  "resolved" | "approved" | "denied" | "edited" | "answered" | "timed_out" | "cancelled" | "no_operator_available"
>;
export type ApprovalDecisionType = Open<"accept" | "edit" | "respond" | "deny">;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Customer {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  whatsapp?: string | null;
  /** Where the operator answers the customer; `agent` relays the replies through your agent. */
  preferred_channel?: CustomerChannel | null;
  locale?: string | null;
}

export interface TranscriptEntry {
  id?: string | null;
  role: MessageRole;
  content: string;
  /** ISO 8601; the server's time when left out. */
  at?: string | null;
  author?: Actor | null;
  channel?: CustomerChannel | null;
}

export interface ToolCall {
  tool: string;
  input?: JsonValue;
  output?: JsonValue;
  error?: string | null;
}

export interface AgentInfo {
  name?: string | null;
  version?: string | null;
  /** The tool calls that led here (at most 200). */
  trace?: ToolCall[] | null;
}

export interface ProposedAction {
  name: string;
  arguments?: JsonObject | null;
}

/** The body of `POST /v1/escalations`. */
export interface EscalationRequest {
  kind: EscalationKind;
  /** A short code: `^[a-z0-9][a-z0-9_.:-]{0,63}$`, e.g. `refund_over_limit`. */
  reason: string;
  summary?: string | null;
  /** The agent's own confidence, 0 to 1. */
  confidence?: number | null;
  priority?: EscalationPriority | null;
  /** Your conversation id: lists filter on it, and the web chat uses it. */
  external_ref?: string | null;
  customer?: Customer | null;
  /** At most 500 entries. */
  transcript?: TranscriptEntry[] | null;
  agent?: AgentInfo | null;
  /** For `question`: what the human should answer. */
  question?: string | null;
  /** For `approval`: the action the human approves, edits or denies. */
  action?: ProposedAction | null;
  metadata?: JsonObject | null;
  /** 10 s to 30 days; past it the escalation ends as `timed_out`. */
  deadline_seconds?: number | null;
}

export interface Actor {
  kind?: string | null;
  id?: string | null;
  name?: string | null;
}

export interface Owner {
  type: OwnerType;
  person_id?: string | null;
  name?: string | null;
  lease_expires_at?: string | null;
}

export interface Note {
  id: string;
  body: string;
  author?: Actor | null;
  at: string;
}

export interface Draft {
  id: string;
  content: string;
  status: DraftStatus;
  proposed_at: string;
  decided_at?: string | null;
  decided_by?: Actor | null;
  final_content?: string | null;
  reason?: string | null;
}

export interface Resolution {
  summary?: string | null;
  instructions_for_agent?: string | null;
  fields?: JsonObject | null;
}

export interface ApprovalDecision {
  decision: ApprovalDecisionType;
  /** The arguments as the human edited them (`edit`). */
  arguments?: JsonObject | null;
  response?: string | null;
  reason?: string | null;
}

/** What the human hands back: how it ended and what the agent must know to carry on. */
export interface HandBack {
  outcome: HandBackOutcome;
  resolution?: Resolution | null;
  decision?: ApprovalDecision | null;
  /** Only what was said while a human owned the conversation. */
  transcript_delta: TranscriptEntry[];
  owner: OwnerType;
  /** Statements the agent must no longer make. */
  must_not_claim: string[];
  decided_by?: Actor | null;
  at: string;
}

export interface Escalation {
  id: string;
  kind: EscalationKind;
  status: EscalationStatus;
  owner?: Owner | null;
  reason?: string | null;
  summary?: string | null;
  confidence?: number | null;
  priority: EscalationPriority;
  external_ref?: string | null;
  customer?: Customer | null;
  channel: CustomerChannel;
  agent?: AgentInfo | null;
  question?: string | null;
  action?: ProposedAction | null;
  metadata?: JsonObject | null;
  deadline_at?: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  transcript: TranscriptEntry[];
  notes?: Note[] | null;
  drafts: Draft[];
  /** Set once a human hands the escalation back; null while it is still with them. */
  hand_back?: HandBack | null;
}

/** The 201 of a create: keep `resume_token` to wait for the human after a restart. */
export interface CreatedEscalation {
  id: string;
  kind: EscalationKind;
  status: EscalationStatus;
  created_at: string;
  deadline_at?: string | null;
  resume_token: string;
}

export interface EscalationSummary {
  id: string;
  kind: EscalationKind;
  status: EscalationStatus;
  owner: OwnerType;
  operator_id?: string | null;
  operator_name?: string | null;
  team_id?: string | null;
  priority: EscalationPriority;
  reason?: string | null;
  channel: CustomerChannel;
  external_ref?: string | null;
  customer_name?: string | null;
  summary?: string | null;
  confidence?: number | null;
  messages: number;
  last_message?: string | null;
  last_message_at?: string | null;
  outcome?: HandBackOutcome | null;
  deadline_at?: string | null;
  created_at: string;
  updated_at: string;
}

export interface EscalationFilter {
  status?: EscalationStatus | EscalationStatus[];
  external_ref?: string;
  /** `me`, `ai`, `human` or a person id. */
  owner?: string;
  team?: string;
  priority?: EscalationPriority;
  reason?: string;
  channel?: CustomerChannel;
  limit?: number;
}

/** One page of a list; pass `next_cursor` back for the next one (null on the last page). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Which page of a list: at most `limit` items (1 to 100, default 25), after `cursor` (a previous page's `next_cursor`). */
export interface PageOptions {
  limit?: number;
  cursor?: string | null;
}

export interface ProposedDraft {
  draft_id: string;
  escalation_id: string;
}

/** One event of an escalation's stream (Server-Sent Events, and the `type` of webhooks). */
export interface EscalationEvent {
  /** The stream version: resume after it with `lastEventId`. */
  id: string;
  /** e.g. `escalation.claimed`, `escalation.resolved`. */
  type: string;
  /** The event in snake_case; resolved, cancelled, timed-out and approval-decided events carry `hand_back`. */
  data: JsonObject;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description?: string | null;
  event_types: string[];
  status: Open<"enabled" | "disabled">;
  disabled_reason?: string | null;
  disabled_at?: string | null;
  secret_hint: string;
  previous_secret_expires_at?: string | null;
  created_by?: Actor | null;
  created_at: string;
  updated_at: string;
}

/** Creation and rotation are the only answers that show the signing secret (`whsec_...`). */
export interface WebhookEndpointWithSecret extends Omit<WebhookEndpoint, "created_by" | "disabled_reason" | "disabled_at"> {
  secret: string;
}

export interface CreateWebhookEndpoint {
  url: string;
  /** `["*"]` for every type (also later ones), or names such as `escalation.resolved`. */
  event_types: string[];
  description?: string | null;
}

export interface UpdateWebhookEndpoint {
  url?: string;
  event_types?: string[];
  /** An empty description removes it. */
  description?: string;
}

/** RFC 7807 problem details, as the server sends them with every error. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** For invalid input: the messages per field (snake_case names, as sent). */
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}
