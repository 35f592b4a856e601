/**
 * `createApiClient`: the generic core. openapi-fetch underneath, plus results as data,
 * retries, timeouts, safe and spec-exact parameters, pagination, and one named method per
 * entry of an operation index. Generic over any openapi-typescript `paths`: it knows no
 * endpoint of any API.
 */
import createClient, { type HeadersOptions, type Middleware, mergeHeaders } from "openapi-fetch";
import { failureFromResponse, failureFromThrow, invalidInput, successFromResponse } from "./failures.ts";
import { type OperationEntry, type OperationIndex, type OperationMethods, toPathInit } from "./operations.ts";
import { type PaginateOptions, type Paginator, paginator } from "./paginate.ts";
import type { AnyResult, CallInfo, Failure, Result } from "./result.ts";
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
import { checkPresent, checkSegment, checkTemplate, checkToken, dotSegmentIn, paramNames } from "./validate.ts";

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
// Connection errors that happen before a request leaves: the server cannot have acted on it.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

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
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const raw = createClient<Paths>({
    baseUrl,
    headers: mergeHeaders(
      { accept: "application/json" },
      options.headers,
      token === undefined ? {} : { authorization: `Bearer ${token}` },
    ),
    ...(options.fetch && { fetch: options.fetch }),
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

  async function attempt(method: string, path: string, init: AnyInit, timeoutMs: number, info: CallInfo) {
    const caller = init.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    let signal = caller;
    let onAbort: (() => void) | undefined;
    if (timeoutMs > 0) {
      const controller = new AbortController();
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError"));
      }, timeoutMs);
      if (caller) {
        onAbort = () => controller.abort(caller.reason);
        if (caller.aborted) onAbort();
        else caller.addEventListener("abort", onAbort, { once: true });
      }
      signal = controller.signal;
    }
    try {
      const { error, response } = await request(method, path, { ...init, parseAs: "stream", signal });
      info.requestId = response.headers.get("x-request-id") ?? undefined;
      if (!response.ok) return failureFromResponse(info, response, error, clock.now());
      const empty = response.status === 204 || method === "HEAD";
      return successFromResponse(info, response, empty ? undefined : await response.text());
    } catch (thrown) {
      return failureFromThrow(info, thrown, caller, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
      if (onAbort) caller?.removeEventListener("abort", onAbort);
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
      const dots = built === path ? undefined : dotSegmentIn(built);
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
      return {
        ...rest,
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
    const { timeout = clientTimeout, retry, ...rest } = init;
    const prepared = prepare(method, path, rest);
    if ("kind" in prepared) return { result: prepared as Failure, unknownBefore: false };
    const policy: RetryOptions =
      retry === false
        ? NO_RETRY
        : retry
          ? { ...(clientRetry ?? defaultRetry), ...(retry as Partial<RetryOptions>) }
          : (clientRetry ?? NO_RETRY);
    let unknownBefore = false;
    for (let attempts = 1; ; attempts++) {
      const info: CallInfo = { method, path, requestId: undefined, attempts };
      const result = await attempt(method, path, prepared, timeout as number, info);
      if (result.kind === "ok" || !shouldRetry(result as Failure, method, attempts, policy)) {
        return { result, unknownBefore };
      }
      unknownBefore ||= mayHaveActed(result);
      await clock.sleep(retryDelay(result as Failure, attempts, policy, clock.random), rest.signal);
      if (rest.signal?.aborted) {
        return { result: failureFromThrow(info, rest.signal.reason, rest.signal, false, 0), unknownBefore };
      }
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
          ? { ...result, kind: "already_revoked", retried: true }
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
