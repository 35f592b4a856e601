/**
 * Turns what one attempt produced (a response and its body, or a thrown error) into a
 * Result. Legacy FastAPI `{"detail": ...}` and RFC 9457 problem+json parse into one shape.
 */

import type { AnyResult, CallInfo, Failure, Problem, ValidationIssue } from "./result.ts";
import { parseRetryAfter } from "./retry.ts";

const KINDS: Record<number, Failure["kind"]> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation",
  429: "rate_limited",
};

// "What to do next", appended to each message.
const HINTS: Record<string, string> = {
  unauthorized: "check the client's token (missing, mistyped, expired or revoked)",
  forbidden: "the token's user lacks the permission for this operation",
  not_found: "check the IDs in the path",
  conflict: "the resource is not in a state that allows this",
  validation: "fix the listed parameters",
  rate_limited: "wait and retry",
  server_error: "retry later",
  unexpected: "the server or a proxy answered something this client cannot read",
  network: "check connectivity and `baseUrl`",
  timeout: "raise `timeout` if the server is just slow",
  invalid_input: "fix the argument named here; nothing was sent",
};

const describe = (info: CallInfo, what: string, detail: string | undefined, kind: string): string =>
  `${info.method} ${info.path} failed: ${what}${detail ? ` - ${detail}` : ""}${
    info.requestId ? ` (request id ${info.requestId})` : ""
  }${HINTS[kind] ? `; ${HINTS[kind]}` : ""}`;

type Json = Record<string, unknown> | null | undefined;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function issuesOf(body: Json): ValidationIssue[] {
  const list = Array.isArray(body?.detail) ? body.detail : Array.isArray(body?.errors) ? body.errors : [];
  return list.filter((i): i is ValidationIssue => typeof i?.msg === "string" && Array.isArray(i.loc));
}

function problemOf(body: Json, issues: ValidationIssue[]): Problem {
  return {
    detail:
      str(body?.detail) ?? (issues.length ? issues.map((i) => `${i.loc.join(".")}: ${i.msg}`).join("; ") : undefined),
    title: str(body?.title),
    type: str(body?.type),
    instance: str(body?.instance),
  };
}

/** Result for a response whose status is not 2xx; `body` is openapi-fetch's `error` (parsed JSON or raw text). */
export function failureFromResponse(info: CallInfo, response: Response, body: unknown, now: number): Failure {
  const status = response.status;
  if (body === undefined || body === "") return unexpected(info, response, "empty_body", "");
  if (typeof body === "string") return unexpected(info, response, "non_json_body", body);
  const kind = KINDS[status] ?? (status >= 500 && status < 600 ? "server_error" : undefined);
  if (!kind) return unexpected(info, response, "undeclared_status", JSON.stringify(body));
  const json = body as Json;
  const issues = issuesOf(json);
  const problem = problemOf(json, issues);
  const what = `${status} ${problem.title ?? kind}`;
  const failure = {
    ...info,
    kind,
    ok: false,
    status,
    message: describe(info, what, problem.detail, kind),
    body,
    problem,
    response,
  } as Failure & Record<string, unknown>;
  if (kind === "validation") failure.issues = issues;
  if (kind === "rate_limited") failure.retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now);
  return failure;
}

/** Result for a 2xx response, whose body text the caller has read. */
export function successFromResponse(info: CallInfo, response: Response, text: string | undefined): AnyResult {
  if (text === undefined) return { ...info, kind: "ok", ok: true, status: response.status, data: undefined, response };
  if (text === "") return unexpected(info, response, "empty_body", text);
  try {
    return { ...info, kind: "ok", ok: true, status: response.status, data: JSON.parse(text), response };
  } catch {
    const json = /json/i.test(response.headers.get("content-type") ?? "");
    return unexpected(info, response, json ? "invalid_json" : "non_json_body", text);
  }
}

const REASONS = {
  undeclared_status: "undeclared status",
  non_json_body: "body is not JSON",
  empty_body: "empty body",
  invalid_json: "invalid JSON body",
};

function unexpected(info: CallInfo, response: Response, reason: keyof typeof REASONS, text: string): Failure {
  const bodyText = text.slice(0, 500);
  return {
    ...info,
    kind: "unexpected",
    ok: false,
    status: response.status,
    reason,
    message: describe(info, `${response.status} with ${REASONS[reason]}`, undefined, "unexpected"),
    bodyText,
    response,
  };
}

/** Result for a call refused before anything was sent: `param` names the offending argument. */
export function invalidInput(method: string, path: string, param: string, what: string): Failure {
  return {
    kind: "invalid_input",
    ok: false,
    status: undefined,
    method,
    path,
    requestId: undefined,
    attempts: 0,
    param,
    message: `${method} ${path} was not sent: ${what}; ${HINTS.invalid_input}`,
  };
}

/** Result for an attempt that threw: the caller's abort, our timeout, or a connection error. */
export function failureFromThrow(
  info: CallInfo,
  error: unknown,
  callerSignal: AbortSignal | undefined,
  timedOut: boolean,
  timeoutMs: number,
): Failure {
  const base = { ...info, ok: false as const, status: undefined };
  if (callerSignal?.aborted) {
    return {
      ...base,
      kind: "aborted",
      reason: callerSignal.reason,
      message: describe(info, "aborted by the caller", undefined, ""),
    };
  }
  if (timedOut) {
    return {
      ...base,
      kind: "timeout",
      timeoutMs,
      message: describe(info, `no complete response within ${timeoutMs} ms`, undefined, "timeout"),
    };
  }
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const detail = str(cause?.code) ?? (error instanceof Error ? error.message : undefined);
  return {
    ...base,
    kind: "network",
    cause: error,
    message: describe(info, "network error", detail, "network"),
  };
}
