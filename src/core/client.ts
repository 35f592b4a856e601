/**
 * `createDevinClient`: openapi-fetch underneath, plus results as data, retries, timeouts,
 * safe path parameters and pagination. Generic over any openapi-typescript `paths`:
 * there is no per-endpoint code here.
 */
import createClient, { type HeadersOptions, type Middleware, mergeHeaders } from "openapi-fetch";
import type { paths as DevinPaths } from "../generated/schema.ts";
import { failureFromResponse, failureFromThrow, successFromResponse } from "./outcome.ts";
import { type PaginateOptions, type Paginator, paginator } from "./paginate.ts";
import type { AnyResult, CallInfo, Failure, Result } from "./result.ts";
import { type Clock, defaultClock, defaultRetry, type RetryOptions, retryDelay, shouldRetry } from "./retry.ts";
import { type ServiceUserApiKeys, serviceUserApiKeys } from "./service-user-keys.ts";
import type { CallInit, DataOf, HttpMethod, InitArg, ItemOf, OperationAt, PaginatedPaths, PathsWith } from "./types.ts";
import { checkParams, checkToken } from "./validate.ts";

export const DEFAULT_BASE_URL = "https://api.devin.ai";

export interface DevinClientOptions {
  /**
   * Service-user API key (prefix `cog_`), sent as `Authorization: Bearer`. Never included in
   * errors or results.
   * @default process.env.DEVIN_API_KEY
   */
  token?: string;
  /**
   * API origin. Enterprise deployments pass their own domain.
   * @default "https://api.devin.ai"
   */
  baseUrl?: string;
  /**
   * The `fetch` to use, e.g. one with a proxy agent, or a test double.
   * @default globalThis.fetch
   */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * Headers sent with every request. `Authorization` is always set from `token`.
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
   * Retry policy, merged over the defaults; `false` disables retries.
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

export interface ApiClient<Paths> {
  GET: Call<Paths, "get">;
  PUT: Call<Paths, "put">;
  POST: Call<Paths, "post">;
  DELETE: Call<Paths, "delete">;
  PATCH: Call<Paths, "patch">;
  HEAD: Call<Paths, "head">;
  OPTIONS: Call<Paths, "options">;
  /**
   * Iterates the items of any paginated GET operation (`items`, `has_next_page`,
   * `end_cursor`), sending `after=<end_cursor>` for each next page. Throws `DevinApiError`
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

export type DevinClient<Paths = DevinPaths> = ApiClient<Paths> & ServiceUserApiKeys;

type AnyInit = { params?: Record<string, Record<string, unknown>>; signal?: AbortSignal } & Record<string, unknown>;

const NO_RETRY: RetryOptions = { ...defaultRetry, maxRetries: 0 };

export function createDevinClient<Paths extends {} = DevinPaths>(options: DevinClientOptions = {}): DevinClient<Paths> {
  // Read through globalThis so browsers and edge runtimes without `process` still load the module.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const token = checkToken(options.token ?? env?.DEVIN_API_KEY);
  const raw = createClient<Paths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    headers: mergeHeaders({ accept: "application/json" }, options.headers, { authorization: `Bearer ${token}` }),
    ...(options.fetch && { fetch: options.fetch }),
  });
  if (options.middleware) raw.use(...options.middleware);
  const clock: Clock = { ...defaultClock, ...options.clock };
  const clientTimeout = options.timeout ?? 60_000;
  const clientRetry = options.retry === false ? NO_RETRY : { ...defaultRetry, ...options.retry };
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

  async function call(method: string, path: string, init: AnyInit = {}): Promise<AnyResult> {
    const { timeout = clientTimeout, retry, ...rest } = init;
    const bad = checkParams(path, rest.params);
    if (bad) {
      const [param, what] = bad;
      const message = `${method} ${path} was not sent: ${what}`;
      return {
        kind: "invalid_input",
        ok: false,
        status: undefined,
        method,
        path,
        requestId: undefined,
        attempts: 0,
        param,
        message,
      };
    }
    const policy = retry === false ? NO_RETRY : retry ? { ...clientRetry, ...(retry as object) } : clientRetry;
    for (let attempts = 1; ; attempts++) {
      const info: CallInfo = { method, path, requestId: undefined, attempts };
      const result = await attempt(method, path, rest, timeout as number, info);
      if (result.kind === "ok" || !shouldRetry(result as Failure, method, attempts, policy)) return result;
      await clock.sleep(retryDelay(result as Failure, attempts, policy, clock.random), rest.signal);
      if (rest.signal?.aborted) return failureFromThrow(info, rest.signal.reason, rest.signal, false, 0);
    }
  }

  const bind = (method: string) => (path: string, init?: AnyInit) => call(method, path, init);
  const client = {
    GET: bind("GET"),
    PUT: bind("PUT"),
    POST: bind("POST"),
    DELETE: bind("DELETE"),
    PATCH: bind("PATCH"),
    HEAD: bind("HEAD"),
    OPTIONS: bind("OPTIONS"),
    paginate: (path: string, init?: AnyInit) => paginator((i) => call("GET", path, i as AnyInit), init),
    use: raw.use,
    eject: raw.eject,
  };
  return Object.assign(
    client,
    serviceUserApiKeys(client as unknown as ApiClient<DevinPaths>),
  ) as unknown as DevinClient<Paths>;
}
