/**
 * `createApiClient`: the generic core. openapi-fetch underneath, plus results as data,
 * retries, timeouts, safe and spec-exact parameters, pagination, and one named method per
 * entry of an operation index. Generic over any openapi-typescript `paths`: it knows no
 * endpoint of any API.
 */
import createClient, { type HeadersOptions, type Middleware, mergeHeaders } from "openapi-fetch";
import {
  aborted,
  alreadyRevoked,
  type FailureContext,
  failureContext,
  failureFromResponse,
  failureFromThrow,
  invalidInput,
  requestIdOf,
  responseWith,
  successFromResponse,
  tooLarge,
} from "./failures.ts";
import { type OperationEntry, type OperationIndex, type OperationMethods, toPathInit } from "./operations.ts";
import { type PaginateOptions, type Paginator, paginator } from "./paginate.ts";
import type { AnyResult, CallInfo, Conflict, Failure, Result } from "./result.ts";
import { type Clock, defaultClock, defaultRetry, type RetryOptions, retryDelay, shouldRetry } from "./retry.ts";
import {
  SerializeError,
  type StyleTable,
  serializeCookies,
  serializeHeaders,
  serializePathParam,
  serializeQuery,
} from "./serialize.ts";
import type {
  CallInit,
  DataOf,
  Empty,
  HttpMethod,
  InitArg,
  ItemOf,
  OperationAt,
  PaginatedPaths,
  PathsWith,
} from "./types.ts";
import { checkPresent, checkSegment, checkTemplate, checkToken, paramNames, unsafePath } from "./validate.ts";

export interface ApiClientOptions<Index extends OperationIndex = Empty> {
  /** API origin, e.g. `https://api.example.com`. */
  baseUrl: string;
  /**
   * Bearer token, sent as `Authorization: Bearer`. Never included in errors or results.
   * @default undefined (no Authorization header)
   */
  token?: string | undefined;
  /** Said when `token` is missing although `requireToken` is set: where a token comes from. */
  tokenHint?: string;
  /**
   * Refuse to create a client without a token.
   * @default false
   */
  requireToken?: boolean;
  /**
   * The operation index whose entries become named methods, and whose parameter styles
   * drive serialisation of path-based calls too.
   * @default {} (path-based calls only)
   */
  operations?: Index;
  /**
   * The `fetch` to use, e.g. one with a proxy agent, or a test double.
   * @default globalThis.fetch
   */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * Headers sent with every request. `Authorization` always comes from `token`.
   * @default {}
   */
  headers?: HeadersOptions;
  /**
   * Milliseconds before one attempt (request and body) is abandoned; `0` disables.
   * Each retry gets a fresh timeout; retries are bounded by `retry.maxRetries`.
   * @default 60000
   */
  timeout?: number;
  /**
   * Retry policy, merged over the defaults; `false` disables retries (a call can still opt in
   * with its own `retry`, merged over the defaults).
   * @default { maxRetries: 2, methods: ["GET", "HEAD", "OPTIONS"], statuses: [429, 502, 503, 504], baseDelay: 500, maxDelay: 8000, maxRetryAfter: 60000 }
   */
  retry?: Partial<RetryOptions> | false;
  /**
   * openapi-fetch middleware, run on every attempt (so an `onRequest` sees each retry).
   * @default []
   */
  middleware?: Middleware[];
  /**
   * Largest response body read, in bytes (counted while it streams in, and refused at once when
   * `Content-Length` says more). A larger body ends the attempt as `unexpected` with reason
   * `too_large`, never retried; error bodies are read under the same cap. A page of the Devin
   * API is tens of kB. A call can pass its own.
   * @default 10485760 (10 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Follow HTTP redirects as `fetch` does. Off by default: the API does not redirect, and a
   * followed redirect would replay the request (a DELETE, the token) at another address; a
   * 3xx is reported as `unexpected` with reason `redirect` and its `location`.
   * @default false
   */
  followRedirects?: boolean;
  /**
   * Time sources for retries; tests inject these to avoid real waiting.
   * @default { sleep: setTimeout-based, now: Date.now, random: Math.random }
   */
  clock?: Partial<Clock>;
}

type Call<Paths, M extends HttpMethod> = <P extends PathsWith<Paths, M>>(
  path: P,
  ...init: InitArg<CallInit<OperationAt<Paths, P, M>>>
) => Promise<Result<OperationAt<Paths, P, M>>>;

/** Every operation by its path: `client.GET("/path/{id}", { params: { path: { id } } })`. */
export interface PathClient<Paths> {
  GET: Call<Paths, "get">;
  PUT: Call<Paths, "put">;
  POST: Call<Paths, "post">;
  DELETE: Call<Paths, "delete">;
  PATCH: Call<Paths, "patch">;
  HEAD: Call<Paths, "head">;
  OPTIONS: Call<Paths, "options">;
  /**
   * Iterates the items of any paginated GET operation (`items`, `has_next_page`,
   * `end_cursor`), sending `<end_cursor>` as `after` for each next page (inside the query
   * model, when the operation index says the cursor sits there). Throws `DevinApiError`
   * from the loop when a page fails.
   */
  paginate<P extends PaginatedPaths<Paths>>(
    path: P,
    ...init: InitArg<CallInit<OperationAt<Paths, P, "get">> & PaginateOptions>
  ): Paginator<ItemOf<OperationAt<Paths, P, "get">>, DataOf<OperationAt<Paths, P, "get">>>;
  /** Adds openapi-fetch middleware. */
  use(...middleware: Middleware[]): void;
  /** Removes middleware added with `use` or `middleware`. */
  eject(...middleware: Middleware[]): void;
}

/** The path-based calls plus one named method per operation of `Index`. */
export type ApiClient<Paths, Index extends OperationIndex = Empty> = PathClient<Paths> & OperationMethods<Paths, Index>;

type AnyInit = {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: unknown; cookie?: unknown };
  signal?: AbortSignal;
  headers?: HeadersOptions;
} & Record<string, unknown>;

/** What the retry loop learnt besides the result: whether an earlier attempt may have been acted on. */
interface Outcome {
  result: AnyResult;
  /** An earlier attempt broke off after the request was sent, or timed out: the server may have acted. */
  unknownBefore: boolean;
}

const NO_RETRY: RetryOptions = { ...defaultRetry, maxRetries: 0 };
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** What one attempt's `fetch` saw: whether the request left, and the response before middleware. */
interface Exchange {
  sent: boolean;
  response: Response | undefined;
  /** The body went over `maxResponseBytes`. */
  over: boolean;
  /** A body is being read: a RangeError now means one too large to decode. */
  reading: boolean;
}

/** Thrown by a capped body read; turned into `too_large` by the attempt. */
class TooLarge extends Error {
  override readonly name = "TooLarge";
}

/**
 * The body as text, read chunk by chunk and abandoned (the stream cancelled, so the
 * connection closes) as soon as it passes `limit` bytes: a hostile or broken server cannot
 * make the client hold more than that.
 */
async function readCapped(response: Response, limit: number, exchange: Exchange): Promise<string> {
  const body = response.body;
  if (body === null) return "";
  if (Number(response.headers.get("content-length")) > limit) {
    exchange.over = true;
    await body.cancel().catch(() => {});
    throw new TooLarge();
  }
  // A declared length within the limit is all the body can be (undici enforces the framing):
  // read it in one go, as the common small page is.
  // Not under a Content-Encoding: then the length is the compressed size, and the decoded
  // body can be any size (a gzip bomb), so it is counted as it is read.
  if (response.headers.has("content-length") && !response.headers.has("content-encoding")) return response.text();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      exchange.over = true;
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const decoder = new TextDecoder();
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}

/**
 * A non-2xx response whose body openapi-fetch will read in full (`response.text()`), given a
 * body that errors, and cancels the real one, past `limit` bytes.
 */
function capErrorBody(response: Response, limit: number, exchange: Exchange): Response {
  const source = response.body;
  if (source === null) return response;
  const reader = source.getReader();
  let size = 0;
  const over = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    exchange.over = true;
    reader.cancel().catch(() => {});
    controller.error(new TooLarge());
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (Number(response.headers.get("content-length")) > limit) over(controller);
    },
    async pull(controller) {
      exchange.reading = true;
      const { done, value } = await reader.read();
      if (done) return controller.close();
      size += value.byteLength;
      if (size > limit) return over(controller);
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return responseWith(body, response.status, response.statusText, response.headers);
}
// Connection errors that happen before a request leaves: the server cannot have acted on it.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/**
 * A message when a limit is not a number the client can honour: `timeout` is milliseconds
 * >= 0 (0 turns it off), `maxResponseBytes` a count >= 1 (or Infinity). NaN or a string would
 * otherwise switch the limit off without a word.
 */
function limitProblem(name: "timeout" | "maxResponseBytes", value: unknown): string | undefined {
  const ok =
    typeof value === "number" &&
    !Number.isNaN(value) &&
    (name === "timeout" ? value >= 0 && value <= 2_147_483_647 : value >= 1);
  return ok
    ? undefined
    : `\`${name}\` must be ${name === "timeout" ? "milliseconds >= 0" : "a byte count >= 1"}, not ${String(value)}`;
}

/** Whether per-call headers set (or, with `null`, delete) `Authorization`. */
function namesAuthorization(headers: HeadersOptions | Record<string, string> | undefined): boolean {
  if (headers instanceof Headers) return headers.has("authorization");
  const keys = Array.isArray(headers)
    ? headers.map((pair) => String(pair[0]))
    : Object.entries(headers ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
  return keys.some((k) => k.toLowerCase() === "authorization");
}

/**
 * Whether a failed attempt may have been acted on. A 429 or a 503 says the server did not
 * act; a 502 or 504 comes from a gateway whose upstream may have; a timeout or a connection
 * lost after sending leaves it unknown. Only an attempt that may have acted can make a later
 * 409 mean "done by this call".
 */
function mayHaveActed(result: AnyResult): boolean {
  if (result.kind === "timeout") return true;
  if (result.kind === "server_error") return result.status !== 503;
  if (result.kind !== "network") return false;
  const code = (result.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return !(typeof code === "string" && NOT_SENT.has(code));
}

export function createApiClient<Paths extends object, Index extends OperationIndex = Empty>(
  options: ApiClientOptions<Index>,
): ApiClient<Paths, Index> {
  const token =
    options.token !== undefined || options.requireToken
      ? checkToken(options.token, options.tokenHint ?? "pass `token`")
      : undefined;
  const ctx: FailureContext = failureContext(token);
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const baseFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const clientMaxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const badLimit = limitProblem("maxResponseBytes", clientMaxBytes) ?? limitProblem("timeout", options.timeout ?? 0);
  if (badLimit) throw new TypeError(`createApiClient: ${badLimit}`);
  // As per call: `Authorization` comes from `token` only, never silently from `headers`.
  if (token !== undefined && namesAuthorization(options.headers)) {
    throw new TypeError(
      "createApiClient: `headers` sets Authorization, which comes from `token` only: pass the key as `token` and drop the header",
    );
  }
  const raw = createClient<Paths>({
    baseUrl,
    // openapi-fetch follows by default; here a 3xx comes back as a response, reported as `redirect`.
    redirect: options.followRedirects ? "follow" : "manual",
    headers: mergeHeaders(
      { accept: "application/json" },
      options.headers,
      token === undefined ? {} : { authorization: `Bearer ${token}` },
    ),
  });
  if (options.middleware) raw.use(...options.middleware);
  const clock: Clock = { ...defaultClock, ...options.clock };
  const clientTimeout = options.timeout ?? 60_000;
  const clientRetry = options.retry === false ? undefined : { ...defaultRetry, ...options.retry };
  const operations: OperationIndex = options.operations ?? {};
  const byRoute = new Map<string, OperationEntry>(
    Object.values(operations).map((e) => [`${e.method.toUpperCase()} ${e.path}`, e]),
  );
  // Typed loosely inside: the public signatures above carry the per-operation types.
  const request = raw.request as unknown as (m: string, p: string, i: object) => ReturnType<typeof raw.GET>;

  async function attempt(
    method: string,
    path: string,
    init: AnyInit,
    timeoutMs: number,
    maxBytes: number,
    info: CallInfo,
  ): Promise<AnyResult> {
    const caller = init.signal;
    // A timer cleared when the attempt ends, not AbortSignal.timeout: thousands of calls would
    // otherwise leave thousands of pending 60 s timers behind (measured at concurrency 50).
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deadline: AbortSignal | undefined;
    if (timeoutMs > 0) {
      const controller = new AbortController();
      timer = setTimeout(
        () => controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError")),
        timeoutMs,
      );
      deadline = controller.signal;
    }
    const signal = deadline && caller ? AbortSignal.any([caller, deadline]) : (deadline ?? caller);
    const exchange: Exchange = { sent: false, response: undefined, over: false, reading: false };
    // Per attempt: marks the moment the request leaves, and caps an error body that openapi-fetch reads.
    const fetch = async (input: Request) => {
      exchange.sent = true;
      const response = await baseFetch(input);
      exchange.response = response;
      return response.ok ? response : capErrorBody(response, maxBytes, exchange);
    };
    try {
      const { error, response } = await request(method, path, { ...init, parseAs: "stream", signal, fetch });
      info.requestId = requestIdOf(ctx, response);
      if (!response.ok) return failureFromResponse(ctx, info, response, error, clock.now());
      if (response.status === 204 || method === "HEAD") return successFromResponse(ctx, info, response, undefined);
      exchange.reading = true;
      const text = await readCapped(response, maxBytes, exchange);
      return successFromResponse(ctx, info, response, text);
    } catch (thrown) {
      const response = exchange.response;
      if (response && (exchange.over || thrown instanceof TooLarge)) return tooLarge(ctx, info, response, maxBytes);
      // A string or buffer too large for the engine: certain to fail again.
      if (response && exchange.reading && thrown instanceof RangeError) {
        return tooLarge(ctx, info, response, maxBytes, thrown);
      }
      // Thrown while the request was being built (a body JSON cannot hold, an invalid URL): nothing was sent.
      if (
        !exchange.sent &&
        (thrown instanceof TypeError || thrown instanceof URIError || thrown instanceof RangeError)
      ) {
        return invalidInput(
          method,
          path,
          "request",
          `the request could not be built (${thrown.name}: ${ctx.redact(thrown.message)})`,
        );
      }
      return failureFromThrow(ctx, info, thrown, caller, deadline?.aborted === true, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Serialises every parameter as the spec declares it, before anything is sent. Returns the
   * openapi-fetch init that sends exactly these strings, or the invalid-input failure.
   */
  function prepare(method: string, path: string, init: AnyInit): AnyInit | Failure {
    const styles: StyleTable | undefined = byRoute.get(`${method} ${path}`)?.serialization;
    const { params = {}, headers, ...rest } = init;
    const refuse = (param: string, what: string) => invalidInput(method, path, param, what);
    const template = checkTemplate(path);
    if (template) return refuse("path", template);
    try {
      let built = path;
      for (const name of paramNames(path)) {
        const value = params.path?.[name];
        const missing = checkPresent(name, value);
        if (missing) return refuse(name, missing);
        const serialized = serializePathParam(name, value, styles);
        // The raw value too: `%2e%2e` is encoded harmlessly, but it is refused all the same.
        const raw = typeof value === "object" ? undefined : String(value);
        const bad = (raw === undefined ? undefined : checkSegment(name, raw)) ?? checkSegment(name, serialized);
        if (bad) return refuse(name, bad);
        built = built.replace(`{${name}}`, serialized);
      }
      // A label-style value can still form a dot segment once in place.
      const dots = built === path ? undefined : unsafePath(built);
      if (dots) return refuse("path", `${dots} once its parameters are in place`);
      const search = serializeQuery(params.query, styles);
      const header = serializeHeaders(params.header as Record<string, unknown> | undefined, styles);
      const cookie = serializeCookies(params.cookie as Record<string, unknown> | undefined, styles);
      if (cookie !== undefined) header.cookie = cookie;
      // Authorization comes from the client's token only: a per-call override would send a
      // credential the client does not know to redact, and defeat the token checks.
      // Headers are checked here, not left to fetch: an invalid name or value (a line break)
      // would throw inside it and read as a connection error.
      for (const [what, set] of [
        ["headers", headers],
        ["header", header],
      ] as const) {
        if (set === undefined || (!(set instanceof Headers) && Object.keys(set).length === 0)) continue;
        try {
          new Headers(set as HeadersInit);
        } catch {
          return refuse(
            what,
            `\`${what}\` holds an invalid header name or value (a line break, a non-Latin-1 character)`,
          );
        }
      }
      if (namesAuthorization(headers) || namesAuthorization(header)) {
        return refuse(
          "headers.authorization",
          "`Authorization` comes from the client's `token`; create another client for another token",
        );
      }
      // Only what a call may set goes on to openapi-fetch: a per-call `baseUrl`, `redirect`,
      // `fetch` or serialiser from untyped code would send the request (and token) elsewhere.
      return {
        ...(rest.body !== undefined && { body: rest.body }),
        ...(rest.signal !== undefined && { signal: rest.signal }),
        ...(headers !== undefined && { headers }),
        params: { ...params, path: params.path ?? {}, query: params.query ?? {}, header },
        // openapi-fetch builds `${baseUrl}${path}` and hands it to these: send the strings made above.
        pathSerializer: (url: string) => `${url.slice(0, url.length - path.length)}${built}`,
        querySerializer: () => search,
      };
    } catch (error) {
      if (error instanceof SerializeError) return refuse(error.param, error.what);
      throw error;
    }
  }

  async function callWithOutcome(method: string, path: string, init: AnyInit = {}): Promise<Outcome> {
    const { timeout = clientTimeout, retry, maxResponseBytes = clientMaxBytes, ...rest } = init;
    const badLimit = limitProblem("timeout", timeout) ?? limitProblem("maxResponseBytes", maxResponseBytes);
    if (badLimit) {
      const param = badLimit.slice(1, badLimit.indexOf("`", 1));
      return { result: invalidInput(method, path, param, badLimit), unknownBefore: false };
    }
    const prepared = prepare(method, path, rest);
    if ("kind" in prepared) return { result: prepared as Failure, unknownBefore: false };
    // Aborted before the call: nothing is sent, no attempt is counted.
    if (rest.signal?.aborted) {
      return {
        result: aborted({ method, path, requestId: undefined, attempts: 0 }, rest.signal),
        unknownBefore: false,
      };
    }
    const policy: RetryOptions =
      retry === false
        ? NO_RETRY
        : retry
          ? { ...(clientRetry ?? defaultRetry), ...(retry as Partial<RetryOptions>) }
          : (clientRetry ?? NO_RETRY);
    let unknownBefore = false;
    for (let attempts = 1; ; attempts++) {
      const info: CallInfo = { method, path, requestId: undefined, attempts };
      const result = await attempt(method, path, prepared, timeout as number, maxResponseBytes as number, info);
      if (result.kind === "ok" || !shouldRetry(result as Failure, method, attempts, policy)) {
        return { result, unknownBefore };
      }
      unknownBefore ||= mayHaveActed(result);
      await clock.sleep(retryDelay(result as Failure, attempts, policy, clock.random), rest.signal);
      if (rest.signal?.aborted) return { result: aborted(info, rest.signal), unknownBefore };
    }
  }

  const call = async (method: string, path: string, init?: AnyInit) =>
    (await callWithOutcome(method, path, init)).result;

  const bind = (method: string) => (path: string, init?: AnyInit) => call(method, path, init);
  const paginate = (path: string, init?: AnyInit, entry = byRoute.get(`GET ${path}`)) =>
    paginator((i) => call("GET", path, i as AnyInit), init, entry?.paginated, { method: "GET", path });

  const named: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(operations)) {
    const method = entry.method.toUpperCase();
    named[name] = (...args: unknown[]) => {
      const init = toPathInit(entry, args);
      if (typeof init === "string") {
        const refused = invalidInput(method, entry.path, init, `\`${name}\` takes no option \`${init}\``);
        if (!entry.paginated) return Promise.resolve(refused);
        return paginator(() => Promise.resolve(refused));
      }
      if (entry.paginated) return paginate(entry.path, init as AnyInit, entry);
      return callWithOutcome(method, entry.path, init as AnyInit).then(({ result, unknownBefore }) =>
        entry.conflictMeansDone && result.kind === "conflict" && unknownBefore
          ? alreadyRevoked(result as Conflict)
          : result,
      );
    };
  }

  const client = {
    ...named,
    GET: bind("GET"),
    PUT: bind("PUT"),
    POST: bind("POST"),
    DELETE: bind("DELETE"),
    PATCH: bind("PATCH"),
    HEAD: bind("HEAD"),
    OPTIONS: bind("OPTIONS"),
    paginate: (path: string, init?: AnyInit) => paginate(path, init),
    use: raw.use,
    eject: raw.eject,
  };
  return client as unknown as ApiClient<Paths, Index>;
}
