/**
 * Public types of the sandbox. The client engineer codes against these, so they are
 * kept in one place and re-exported unchanged from server.ts.
 */

export type ErrorFormat = "legacy" | "problem";

export type KeyStatus = "active" | "revoked" | "expired";

export interface SandboxKey {
  api_key_id: string;
  api_key_name: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  is_active: boolean;
}

export type Fault =
  | { kind: "latency"; ms: number }
  // Retry-After header value as given, e.g. "1" or an HTTP date; omitted if undefined.
  | { kind: "status429"; retryAfter?: string }
  | { kind: "status503" }
  // Destroy the socket without a response.
  | { kind: "reset" }
  // 502 text/html proxy error page.
  | { kind: "html502" }
  // 200 application/json with Content-Length larger than the body sent, then end the socket.
  | { kind: "truncated" }
  | { kind: "status500" };

export interface FaultRule {
  fault: Fault;
  /** How many matching requests this rule hits; default 1, Infinity allowed. */
  times?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only requests whose raw request target (path and query, still percent-encoded) contains this. */
  pathIncludes?: string;
}

export interface RecordedRequest {
  method: string;
  /** Raw request target path, before the query, still percent-encoded. */
  path: string;
  query: Record<string, string>;
  hasAuth: boolean;
}

export interface SandboxOptions {
  /** Accepted bearer token, default "cog_sandbox_token". */
  token?: string;
  /** Default "legacy". */
  errorFormat?: ErrorFormat;
  /** Default: seedServiceUsers(). The arrays are copied and keys never edited in place, so fixtures can be reused. */
  serviceUsers?: Record<string, SandboxKey[]>;
  /** Default 25. */
  defaultPageSize?: number;
  /** Default 200; first > max answers 422. */
  maxPageSize?: number;
  /** Every response carries x-request-id: `${prefix}${n}`, default "req_". */
  requestIdPrefix?: string;
  /** Port to listen on; default 0 (random). */
  port?: number;
}

/** What a local API server of the tests offers: its address, the requests it saw, faults and error format. */
export interface ServerControls<Recorded> {
  /** e.g. http://127.0.0.1:54321 (no trailing slash). */
  url: string;
  /** The accepted bearer token. */
  token: string;
  /** Every request received, in order (cleared by resetRequests). */
  requests: Recorded[];
  resetRequests(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  setErrorFormat(format: ErrorFormat): void;
  /** Closes the server and all open sockets. */
  close(): Promise<void>;
}

export interface Sandbox extends ServerControls<RecordedRequest> {
  /** Live state: revocations show up here (as replaced key objects), and edits here show up in responses. */
  serviceUsers: Map<string, SandboxKey[]>;
}
