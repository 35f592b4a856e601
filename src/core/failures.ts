/**
 * Every failure is built here: what one attempt produced (a response and its body, or a
 * thrown error) becomes a Result, with one message formatter. Legacy FastAPI
 * `{"detail": ...}` and RFC 9457 problem+json parse into one shape.
 *
 * Server text is hostile until proven otherwise: every string taken from a response (body,
 * headers, status text, a connection error's text) has the client's token replaced by
 * `[redacted]` before it is put anywhere, and server text in a message has its control
 * characters escaped (log injection) and is cut at 300 characters (issue 8, item 1).
 */

import type {
  Aborted,
  AlreadyRevoked,
  AnyResult,
  CallInfo,
  Conflict,
  Failure,
  FailureKind,
  InvalidInput,
  NetworkFailure,
  Ok,
  PaginationFailure,
  Problem,
  RateLimited,
  ServerError,
  Timeout,
  Unexpected,
  ValidationIssue,
} from "./result.ts";
import { parseRetryAfter } from "./retry.ts";

/** What the failure builders need to know about the client; made once per client. */
export interface FailureContext {
  /** Every occurrence of the client's token (and its percent-encoded form) replaced by `[redacted]`. */
  readonly redact: (text: string) => string;
  /** Whether `text` holds the token; false when the client has none. */
  readonly holdsToken: (text: string) => boolean;
  /** Whether a header name holds the token (names arrive lower-cased, so compared so). */
  readonly nameHoldsToken: (name: string) => boolean;
  /** Whether there is a token to redact at all. */
  readonly active: boolean;
}

const REDACTED = "[redacted]";

export function failureContext(token: string | undefined): FailureContext {
  if (!token) return { redact: (text) => text, holdsToken: () => false, nameHoldsToken: () => false, active: false };
  const forms = [...new Set([token, encodeURIComponent(token)])];
  const lower = forms.map((form) => form.toLowerCase());
  const holdsToken = (text: string) => forms.some((form) => text.includes(form));
  return {
    active: true,
    holdsToken,
    // Header names from a Headers object are lower-case already (Fetch standard).
    nameHoldsToken: (name) => lower.some((form) => name.includes(form)),
    redact: (text) => (holdsToken(text) ? forms.reduce((t, form) => t.replaceAll(form, REDACTED), text) : text),
  };
}

/** For text that holds no server-chosen secret to redact (already redacted, or the client's own). */
const NO_REDACT = failureContext(undefined);

const KINDS: Record<number, "unauthorized" | "forbidden" | "not_found" | "conflict" | "validation" | "rate_limited"> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation",
  429: "rate_limited",
};

// What to try next, the end of every failure's message (docs/client.md, "Results and errors": every
// failure has a `message` saying what failed, where, and what to try next). One per kind, and
// one per reason of `unexpected`: `satisfies` makes a new kind or reason without one a type error.
const HINTS = {
  unauthorized: "check the client's token (missing, mistyped, expired or revoked)",
  forbidden: "give the token's service user the permission this operation requires, or use a token that has it",
  not_found: "check the IDs in the path",
  conflict: "check the resource's current state: the same request will fail again",
  validation: "fix the listed parameters",
  rate_limited: "wait and retry",
  server_error: "retry later; if it persists, quote the request id to the API's support",
  network: "check connectivity and `baseUrl`",
  timeout: "raise `timeout` if the server is just slow",
  aborted: "your `signal` cancelled the call, which is never retried: call again if that was not meant",
  invalid_input: "fix the argument named here; nothing was sent",
  already_revoked: "treat it as done",
  pagination:
    "stopped to avoid an endless loop; the server broke the pagination contract: quote the request id to the API's support",
} satisfies Record<Exclude<FailureKind, "unexpected">, string>;

const UNEXPECTED_HINTS = {
  undeclared_status:
    "the API does not declare this status: check `baseUrl` (another server or a proxy may have answered), or quote the request id to the API's support",
  non_json_body: "check `baseUrl`: something other than the API (a proxy, a login page) seems to have answered",
  empty_body: "retry later; if it persists, quote the request id to the API's support",
  invalid_json: "retry later; if it persists, quote the request id to the API's support",
  too_large: "raise `maxResponseBytes` (client option or per call) if a response this large is expected",
  redirect:
    "the API does not redirect and the client does not follow redirects: check `baseUrl`, or set `followRedirects: true` to follow them",
} satisfies Record<Unexpected["reason"], string>;

/** `aborted` by a deadline (`AbortSignal.timeout`) rather than a cancel. */
const DEADLINE_HINT = "give the signal a later deadline if the server is just slow";

/** Longest piece of server text quoted in a message. */
const MAX_QUOTE = 300;
/** Longest `bodyText` kept. */
const MAX_BODY_TEXT = 500;
// C0 and C1 controls, DEL, and the JS line separators: a newline or an ANSI escape in a
// message would forge log lines or recolour a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Server text made fit for a message: token redacted, control characters escaped, length capped. */
function quote(ctx: FailureContext, text: string): string {
  const escaped = ctx
    .redact(text)
    .replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > MAX_QUOTE ? `${escaped.slice(0, MAX_QUOTE)}…` : escaped;
}

/**
 * The one message formatter: "<METHOD> <path> failed: <what>[ - <detail>][ (request id …)]; <hint>".
 * `detail` is server text (quoted here); `what` and `hint` are the client's own words.
 */
function describe(ctx: FailureContext, info: CallInfo, what: string, detail: string | undefined, hint: string): string {
  const said = detail ? ` - ${quote(ctx, detail)}` : "";
  const id = info.requestId ? ` (request id ${quote(ctx, info.requestId)})` : "";
  return `${info.method} ${info.path} failed: ${what}${said}${id}; ${hint}`;
}

type Json = Record<string, unknown> | null | undefined;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A copy of parsed JSON with the token redacted from every string, keys included. */
function redactDeep(ctx: FailureContext, value: unknown): unknown {
  if (typeof value === "string") return ctx.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(ctx, v));
  if (typeof value !== "object" || value === null) return value;
  // fromEntries defines each key as data: a `__proto__` member stays a member.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [ctx.redact(k), redactDeep(ctx, v)]));
}

/**
 * A Response with these fields. The Fetch standard only builds responses with a status in
 * 200-599, but a server (or a browser's opaque redirect, status 0) can present another: the
 * copy then shows the real status through an own property rather than throwing.
 */
export function responseWith(body: BodyInit | null, status: number, statusText: string, headers: Headers): Response {
  const inRange = status >= 200 && status <= 599;
  const copy = new Response(body, { status: inRange ? status : 599, statusText, headers });
  if (!inRange) Object.defineProperty(copy, "status", { value: status });
  return copy;
}

/**
 * A copy of `response` without its body whose header names, values, status text and URL
 * cannot carry the token: values and status text redacted, a header whose name holds it
 * dropped (`[redacted]` is no header name), the URL (which may be a redirect target) left
 * out. The response itself when nothing holds the token and `always` is false (the success
 * path: no copy per call).
 */
function safeResponse(ctx: FailureContext, response: Response, always: boolean): Response {
  let echoed = ctx.holdsToken(response.statusText) || ctx.holdsToken(response.url);
  if (!echoed && !always) {
    response.headers.forEach((value, name) => {
      echoed ||= ctx.holdsToken(value) || ctx.nameHoldsToken(name);
    });
    if (!echoed) return response;
  }
  const headers = new Headers();
  response.headers.forEach((value, name) => {
    if (!ctx.nameHoldsToken(name)) headers.append(name, ctx.redact(value));
  });
  return responseWith(null, response.status, ctx.redact(response.statusText), headers);
}

// Members where problem bodies carry validation issues: FastAPI's `detail`, the `errors`
// extension of RFC 9457 §3.2 examples, and the `invalid_params` / `violations` names other
// frameworks use (Zalando problem, Spring).
const ISSUE_MEMBERS = ["detail", "errors", "invalid_params", "violations"];

function issueOf(item: unknown): ValidationIssue | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const i = item as Record<string, unknown>;
  const msg = str(i.msg) ?? str(i.message) ?? str(i.detail) ?? str(i.reason);
  const where = str(i.field) ?? str(i.name) ?? str(i.pointer) ?? str(i.path);
  const loc = Array.isArray(i.loc) ? (i.loc as (string | number)[]) : where === undefined ? undefined : [where];
  if (msg === undefined || loc === undefined) return undefined;
  return { ...i, loc, msg, type: str(i.type) ?? "" };
}

function issuesOf(body: Json): ValidationIssue[] {
  for (const member of ISSUE_MEMBERS) {
    const list = body?.[member];
    if (!Array.isArray(list)) continue;
    const issues = list.map(issueOf).filter((i): i is ValidationIssue => i !== undefined);
    if (issues.length > 0) return issues;
  }
  return [];
}

function problemOf(body: Json, issues: ValidationIssue[]): Problem {
  const title = str(body?.title);
  const joined = issues.length ? issues.map((i) => `${i.loc.join(".")}: ${i.msg}`).join("; ") : undefined;
  return {
    // README and `Problem`: the sentence the server gave (`detail`, else `title`), or the joined issues.
    detail: str(body?.detail) ?? joined ?? title,
    title,
    type: str(body?.type),
    instance: str(body?.instance),
  };
}

/** A problem with nothing in it; a fresh object each time, so one result's cannot change another's. */
const noProblem = (): Problem => ({ detail: undefined, title: undefined, type: undefined, instance: undefined });

/** The `x-request-id` header, token redacted. */
export function requestIdOf(ctx: FailureContext, response: Response): string | undefined {
  const id = response.headers.get("x-request-id");
  return id === null ? undefined : ctx.redact(id);
}

// Statuses that send the client elsewhere (RFC 9110 §15.4); 300, 304 and 305 do not.
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Result for a response whose status is not 2xx; `body` is openapi-fetch's `error` (parsed
 * JSON, raw text, or undefined for an empty body).
 */
export function failureFromResponse(
  ctx: FailureContext,
  info: CallInfo,
  response: Response,
  body: unknown,
  now: number,
): Failure {
  const status = response.status;
  if (REDIRECTS.has(status) || response.type === "opaqueredirect") return redirect(ctx, info, response, body);
  const kind = KINDS[status] ?? (status >= 500 && status < 600 ? "server_error" : undefined);
  const text = typeof body === "string" ? body : body === undefined ? "" : undefined;
  // A proxy or a load balancer answers 429 and 5xx in text or with no body: still what they say.
  if (kind === "rate_limited" || kind === "server_error") {
    return anyBody(ctx, info, response, kind, text === undefined ? body : undefined, text, now);
  }
  if (text === "") return unexpected(ctx, info, response, "empty_body", "");
  if (text !== undefined) return unexpected(ctx, info, response, "non_json_body", text);
  if (!kind) return unexpected(ctx, info, response, "undeclared_status", JSON.stringify(redactDeep(ctx, body)));
  const json = redactDeep(ctx, body) as Json;
  const issues = issuesOf(json);
  const problem = problemOf(json, issues);
  const base = {
    ...info,
    ok: false as const,
    message: describeProblem(ctx, info, status, kind, problem, HINTS[kind]),
    body: json,
    problem,
    response: safeResponse(ctx, response, true),
  };
  switch (kind) {
    case "validation":
      return { ...base, kind, status: 422, issues };
    case "unauthorized":
      return { ...base, kind, status: 401 };
    case "forbidden":
      return { ...base, kind, status: 403 };
    case "not_found":
      return { ...base, kind, status: 404 };
    case "conflict":
      return { ...base, kind, status: 409 };
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

function describeProblem(
  ctx: FailureContext,
  info: CallInfo,
  status: number,
  kind: string,
  problem: Problem,
  hint: string,
): string {
  const what = `${status} ${problem.title === undefined ? kind : quote(ctx, problem.title)}`;
  // `detail` falls back to `title`: do not say it twice.
  const detail = problem.detail === problem.title ? undefined : problem.detail;
  return describe(ctx, info, what, detail, hint);
}

/** A 429 or a 5xx, with a JSON body or (`text`) without one. */
function anyBody(
  ctx: FailureContext,
  info: CallInfo,
  response: Response,
  kind: "rate_limited" | "server_error",
  body: unknown,
  text: string | undefined,
  now: number,
): RateLimited | ServerError {
  const json = text === undefined ? (redactDeep(ctx, body) as Json) : undefined;
  const problem = json === undefined ? noProblem() : problemOf(json, issuesOf(json));
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now);
  const wait = retryAfterMs === undefined ? undefined : `${Math.ceil(retryAfterMs / 1000)} s`;
  const hint = wait === undefined ? HINTS[kind] : `the server asked to wait ${wait} (Retry-After) before retrying`;
  const what = text === undefined ? undefined : text === "" ? "an empty body" : "a body that is not JSON";
  const base = {
    ...info,
    ok: false as const,
    message: what
      ? describe(ctx, info, `${response.status} with ${what}`, undefined, hint)
      : describeProblem(ctx, info, response.status, kind, problem, hint),
    body: json,
    bodyText: text === undefined ? undefined : ctx.redact(text).slice(0, MAX_BODY_TEXT),
    problem,
    retryAfterMs,
    response: safeResponse(ctx, response, true),
  };
  return kind === "rate_limited"
    ? ({ ...base, kind, status: 429 } satisfies RateLimited)
    : ({ ...base, kind, status: response.status } satisfies ServerError);
}

/** Result for a 2xx response, whose body text the caller has read (`undefined`: no body expected). */
export function successFromResponse(
  ctx: FailureContext,
  info: CallInfo,
  response: Response,
  text: string | undefined,
): AnyResult {
  if (text === "") return unexpected(ctx, info, response, "empty_body", text);
  let data: unknown;
  if (text !== undefined) {
    try {
      data = JSON.parse(text);
      // A token the server echoed may sit in the text as such or behind JSON escapes
      // (`\u0063og_…`, `\/`): walk the parsed value then. Most bodies hold neither, and cost
      // two substring searches.
      if (ctx.active && (ctx.holdsToken(text) || text.includes("\\"))) data = redactDeep(ctx, data);
    } catch {
      const json = /json/i.test(response.headers.get("content-type") ?? "");
      return unexpected(ctx, info, response, json ? "invalid_json" : "non_json_body", text);
    }
  }
  return {
    ...info,
    kind: "ok",
    ok: true,
    status: response.status,
    data,
    response: safeResponse(ctx, response, false),
  } satisfies Ok<unknown>;
}

const REASONS = {
  undeclared_status: "undeclared status",
  non_json_body: "body is not JSON",
  empty_body: "empty body",
  invalid_json: "invalid JSON body",
};

function unexpected(
  ctx: FailureContext,
  info: CallInfo,
  response: Response,
  reason: keyof typeof REASONS,
  text: string,
): Unexpected {
  return {
    ...info,
    kind: "unexpected",
    ok: false,
    status: response.status,
    reason,
    message: describe(ctx, info, `${response.status} with ${REASONS[reason]}`, undefined, UNEXPECTED_HINTS[reason]),
    bodyText: ctx.redact(text).slice(0, MAX_BODY_TEXT),
    response: safeResponse(ctx, response, true),
  };
}

/** A 3xx: the API does not redirect, and following one would send the request (and token) elsewhere. */
function redirect(ctx: FailureContext, info: CallInfo, response: Response, body: unknown): Unexpected {
  const raw = response.headers.get("location");
  const location = raw === null ? undefined : ctx.redact(raw);
  const to = location === undefined ? "without a Location" : `to ${quote(ctx, location)}`;
  return {
    ...info,
    kind: "unexpected",
    ok: false,
    status: response.status,
    reason: "redirect",
    location,
    message: describe(ctx, info, `${response.status} redirect ${to}`, undefined, UNEXPECTED_HINTS.redirect),
    bodyText: typeof body === "string" ? ctx.redact(body).slice(0, MAX_BODY_TEXT) : "",
    response: safeResponse(ctx, response, true),
  };
}

/** A body over `maxResponseBytes` (declared or counted), or one too large to decode: never retried. */
export function tooLarge(
  ctx: FailureContext,
  info: CallInfo,
  response: Response,
  limit: number,
  decodeError?: RangeError,
): Unexpected {
  const what = decodeError
    ? `${response.status} with a body too large to decode (${quote(ctx, decodeError.message)})`
    : `${response.status} with a body over \`maxResponseBytes\` (${limit} bytes); it was not read further`;
  return {
    ...info,
    kind: "unexpected",
    ok: false,
    status: response.status,
    reason: "too_large",
    message: describe(ctx, info, what, undefined, UNEXPECTED_HINTS.too_large),
    bodyText: "",
    response: safeResponse(ctx, response, true),
  };
}

/** Result for a call refused before anything was sent: `param` names the offending argument. */
export function invalidInput(method: string, path: string, param: string, what: string): InvalidInput {
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

/** The caller's signal fired: before the call (`attempts` 0), during an attempt, or during a backoff wait. */
export function aborted(info: CallInfo, signal: AbortSignal): Aborted {
  const reason: unknown = signal.reason;
  // `AbortSignal.timeout(ms)` aborts with a TimeoutError: the caller's deadline, not a cancel.
  const deadline = (reason as { name?: unknown } | null)?.name === "TimeoutError";
  const what = deadline ? "the caller's deadline (signal) passed" : "aborted by the caller";
  return {
    ...info,
    kind: "aborted",
    ok: false,
    status: undefined,
    reason,
    message: describe(NO_REDACT, info, what, undefined, deadline ? DEADLINE_HINT : HINTS.aborted),
  };
}

/** Result for an attempt that threw: the caller's abort, the attempt's timeout, or a connection error. */
export function failureFromThrow(
  ctx: FailureContext,
  info: CallInfo,
  error: unknown,
  callerSignal: AbortSignal | undefined,
  timedOut: boolean,
  timeoutMs: number,
): Failure {
  if (callerSignal?.aborted) return aborted(info, callerSignal);
  if (timedOut) {
    return {
      ...info,
      kind: "timeout",
      ok: false,
      status: undefined,
      timeoutMs,
      message: describe(ctx, info, `no complete response within ${timeoutMs} ms`, undefined, HINTS.timeout),
    } satisfies Timeout;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  // undici says what went wrong in `cause` ("redirect count exceeded", "bad port", ECONNRESET).
  const said = [str(cause?.message), str(cause?.code)].filter((s) => s !== undefined).join(", ");
  const detail = said ? `${message} (${said})` : message;
  const final = CERTAIN.test(str(cause?.message) ?? "");
  return {
    ...info,
    kind: "network",
    ok: false,
    status: undefined,
    cause: safeCause(ctx, error),
    ...(final && { final: true as const }),
    message: describe(
      ctx,
      info,
      "network error",
      detail,
      final ? "this fails the same way every time: check `baseUrl` (or the server's redirects)" : HINTS.network,
    ),
  } satisfies NetworkFailure;
}

// undici's refusals that a retry would meet again: a port fetch blocks, a scheme it does not
// speak, a redirect loop it gave up on (only with `followRedirects`).
const CERTAIN =
  /^(bad port|redirect count exceeded|URL scheme must be|fetching a URL with an? .* scheme|unknown scheme)/i;

/** The error itself, or when its text (or its cause's) holds the token, a redacted copy. */
function safeCause(ctx: FailureContext, error: unknown): unknown {
  const inner = (error as { cause?: unknown } | null)?.cause;
  const texts = (e: unknown) => (e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
  if (!ctx.holdsToken(texts(error)) && !ctx.holdsToken(inner === undefined ? "" : texts(inner))) return error;
  const copy = (e: unknown): Error => {
    const out = new Error(ctx.redact(e instanceof Error ? e.message : String(e)));
    out.name = e instanceof Error ? e.name : "Error";
    out.stack = ctx.redact(e instanceof Error ? (e.stack ?? out.message) : out.message);
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === "string") Object.assign(out, { code });
    return out;
  };
  const out = copy(error);
  if (inner !== undefined) out.cause = copy(inner);
  return out;
}

/**
 * A 409 from a DELETE that declares 409, after an earlier attempt that may have been acted
 * on: that attempt most likely did it. The conflict's own message would say the request
 * cannot succeed; this one says what happened instead.
 */
export function alreadyRevoked<B>(conflict: Conflict<B>): AlreadyRevoked<B> {
  const id = conflict.requestId ? ` (request id ${quote(NO_REDACT, conflict.requestId)})` : "";
  return {
    ...conflict,
    kind: "already_revoked",
    retried: true,
    message:
      `${conflict.method} ${conflict.path}: 409 on a retry${id}, after an earlier attempt whose response was lost; ` +
      `that attempt most likely did it: ${HINTS.already_revoked}`,
  } satisfies AlreadyRevoked<B>;
}

/** A broken pagination contract, seen on the page `result` (for the paginator). */
export function paginationFailure(
  result: Ok<unknown>,
  reason: PaginationFailure["reason"],
  what: string,
  next: string = HINTS.pagination,
): PaginationFailure {
  return {
    kind: "pagination",
    ok: false,
    reason,
    status: result.status,
    method: result.method,
    path: result.path,
    requestId: result.requestId,
    attempts: result.attempts,
    message: `${result.method} ${result.path} ${what}${
      result.requestId ? ` (request id ${quote(NO_REDACT, result.requestId)})` : ""
    }; ${next}`,
  } satisfies PaginationFailure;
}
