/**
 * Every call resolves to one of these: a literal `kind` lets a `switch` narrow
 * exhaustively. Nothing here holds the request or its headers, and every string that came
 * from the server has the client's token replaced by `[redacted]` (src/core/failures.ts), so
 * no result can leak the bearer token through JSON.stringify or util.inspect.
 */
import type { BodyAt, DataOf } from "./types.ts";

/** One entry of a 422 body (FastAPI / pydantic shape). */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Legacy `{detail}` and RFC 9457 problem+json bodies, normalised to one shape. */
export interface Problem {
  /** The sentence the server gave (`detail`, else `title`), or the joined validation issues. */
  detail: string | undefined;
  title: string | undefined;
  type: string | undefined;
  instance: string | undefined;
}

/** Fields every result carries, success or not. */
export interface CallInfo {
  /** Upper-case HTTP method. */
  method: string;
  /** The path template as the spec names it, e.g. `/items/{item_id}`. */
  path: string;
  /** The `x-request-id` response header of the last attempt (token redacted); quote it in support requests. */
  requestId: string | undefined;
  /** Attempts made, retries included; `0` when the input was rejected before any request. */
  attempts: number;
}

export interface Ok<T> extends CallInfo {
  kind: "ok";
  ok: true;
  status: number;
  data: T;
  response: Response;
}

interface HttpFailure<K extends string, S extends number, B> extends CallInfo {
  kind: K;
  ok: false;
  status: S;
  /** What failed, where, the server's explanation, and what to try next. Never contains the token. */
  message: string;
  /** The parsed JSON body (token redacted), typed by the operation's declared response for this status. */
  body: B;
  problem: Problem;
  /**
   * Status and headers of the response (header values with the token redacted); its body is
   * already read.
   */
  response: Response;
}

/** 429 and 5xx are read whatever the body: a proxy or a load balancer answers them in text or with none. */
interface AnyBodyFailure<K extends string, S extends number, B> extends Omit<HttpFailure<K, S, B>, "body"> {
  /** The parsed JSON body (token redacted); `undefined` when the body is empty or not JSON (see `bodyText`). */
  body: B | undefined;
  /** The first 500 characters of a body that is not JSON (a proxy's page), token redacted; else `undefined`. */
  bodyText: string | undefined;
  /** The wait the server asked for (`Retry-After` delay-seconds or HTTP-date, RFC 9110 §10.2.3), if it said. */
  retryAfterMs: number | undefined;
}

export type Unauthorized<B = unknown> = HttpFailure<"unauthorized", 401, B>;
export type Forbidden<B = unknown> = HttpFailure<"forbidden", 403, B>;
export type NotFound<B = unknown> = HttpFailure<"not_found", 404, B>;
export type Conflict<B = unknown> = HttpFailure<"conflict", 409, B>;
export interface Validation<B = unknown> extends HttpFailure<"validation", 422, B> {
  /** Structured issues from legacy `detail: [...]` or problem+json `errors: [...]`. */
  issues: ValidationIssue[];
}
export type RateLimited<B = unknown> = AnyBodyFailure<"rate_limited", 429, B>;
export type ServerError<B = unknown> = AnyBodyFailure<"server_error", number, B>;

interface NoResponse<K extends string> extends CallInfo {
  kind: K;
  ok: false;
  status: undefined;
  /** What failed, where, and what to try next. Never contains the token. */
  message: string;
}

/** Connection refused or reset, DNS failure, or the body broke off mid-way. */
export interface NetworkFailure extends NoResponse<"network"> {
  /** What `fetch` threw (a copy without the token, should its text hold it). */
  cause: unknown;
  /** Set when the failure is certain to repeat (a blocked port, a redirect loop): never retried. */
  final?: true;
}
/** An attempt exceeded `timeout` (after any retries). */
export interface Timeout extends NoResponse<"timeout"> {
  timeoutMs: number;
}
/**
 * The caller's `AbortSignal` fired (its `reason` a `TimeoutError` when it was a deadline such
 * as `AbortSignal.timeout`). Never retried. `attempts` is 0 when it had fired before the call.
 */
export interface Aborted extends NoResponse<"aborted"> {
  reason: unknown;
}
/** Rejected before any request was sent (empty or dot-segment path parameter, a value that cannot be serialised, bad `first`...). */
export interface InvalidInput extends NoResponse<"invalid_input"> {
  /** The offending parameter's name. */
  param: string;
}

/**
 * A response the client cannot trust: an undeclared status, a body that is not the JSON
 * promised, a body over `maxResponseBytes` (`too_large`, never retried), or a redirect
 * (`redirect`: the API does not redirect, and redirects are not followed unless
 * `followRedirects` is set).
 */
export interface Unexpected extends CallInfo {
  kind: "unexpected";
  ok: false;
  status: number;
  reason: "undeclared_status" | "non_json_body" | "empty_body" | "invalid_json" | "too_large" | "redirect";
  /** What failed, where, and what to try next (for each `reason` its own). Never contains the token. */
  message: string;
  /** The first 500 characters of the body, token redacted, for diagnosis ("" for `too_large`). */
  bodyText: string;
  /** For `redirect`: the `Location` the server named (token redacted), if any. */
  location?: string | undefined;
  /** Status and headers of the response (header values with the token redacted). */
  response: Response;
}

/**
 * A 409 from a DELETE that declares 409, after an earlier attempt of the same call that may
 * have been acted on (the connection broke after the request was sent, it timed out, or a
 * gateway answered 502 or 504): that attempt most likely did it and its response was lost.
 * Distinct from `ok` (done by this call, confirmed) and from `conflict` (it was already so
 * before this call).
 */
export interface AlreadyRevoked<B = unknown> extends Omit<Conflict<B>, "kind"> {
  kind: "already_revoked";
  retried: true;
}

/**
 * A broken pagination contract: the server said there is a next page but gave no usable
 * cursor or page, or kept sending empty pages with fresh cursors.
 */
export interface PaginationFailure {
  kind: "pagination";
  ok: false;
  /**
   * `missing_cursor`: `has_next_page: true` without a non-empty string `end_cursor`.
   * `repeated_cursor`: a cursor seen before (the server is looping).
   * `malformed_page`: not a page (`items` not an array, `has_next_page` not a boolean), or a
   * cursor that is not valid Unicode text.
   * `no_progress`: `maxEmptyPages` empty pages in a row, each with `has_next_page: true`.
   */
  reason: "missing_cursor" | "repeated_cursor" | "malformed_page" | "no_progress";
  status: number;
  method: string;
  path: string;
  requestId: string | undefined;
  attempts: number;
  /** Which page broke the contract and how; the walk stopped there. */
  message: string;
}

/** Every failure of a call to `Op`. */
export type Failure<Op = unknown> =
  | Unauthorized<BodyAt<Op, 401>>
  | Forbidden<BodyAt<Op, 403>>
  | NotFound<BodyAt<Op, 404>>
  | Conflict<BodyAt<Op, 409>>
  | Validation<BodyAt<Op, 422>>
  | RateLimited<BodyAt<Op, 429>>
  | ServerError
  | NetworkFailure
  | Timeout
  | Aborted
  | InvalidInput
  | Unexpected;

/** What a call to `Op` resolves to. It never rejects. */
export type Result<Op = unknown> = Ok<DataOf<Op>> | Failure<Op>;

/** Every failure of a call, a named DELETE method (`already_revoked`) or a paginator (`pagination`). */
export type AnyFailure = Failure | AlreadyRevoked | PaginationFailure;

/** The one name for every failure `kind` (of results and of a thrown `DevinApiError`). */
export type FailureKind = AnyFailure["kind"];

/** A result of any operation, as handled inside the client. */
export type AnyResult = Ok<unknown> | Failure;

type Guard<K extends string> = <T>(value: T) => value is T & { kind: K };
const guard =
  <K extends string>(kind: K): Guard<K> =>
  <T>(value: T): value is T & { kind: K } =>
    (value as { kind?: unknown } | null | undefined)?.kind === kind;

// Guards work on results and on thrown DevinApiError alike (both carry `kind`).
export const isOk = guard("ok");
export const isUnauthorized = guard("unauthorized");
export const isForbidden = guard("forbidden");
export const isNotFound = guard("not_found");
export const isConflict = guard("conflict");
export const isValidation = guard("validation");
export const isRateLimited = guard("rate_limited");
export const isServerError = guard("server_error");
export const isNetworkFailure = guard("network");
export const isTimeout = guard("timeout");
export const isAborted = guard("aborted");
export const isInvalidInput = guard("invalid_input");
export const isUnexpected = guard("unexpected");
