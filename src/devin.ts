/**
 * The Devin entry: the generic core combined with what the pipeline generated from the docs
 * (`paths` types and the operation index), plus the Devin defaults: base URL, the
 * `DEVIN_API_KEY` variable and the `cog_` service-user token.
 */
import { operationIndex } from "../generated/operations.ts";
import type { paths } from "../generated/schema.ts";
import { type ApiClient, type ApiClientOptions, createApiClient } from "./core/client.ts";
import type { OperationIndex } from "./core/operations.ts";
import type { Empty } from "./core/types.ts";

/** API overview: "Base URL https://api.devin.ai; Enterprise deployments use their own domain." */
export const DEFAULT_BASE_URL = "https://api.devin.ai";

/** The operations this package was generated with, by method name. */
export type DevinOperations = typeof operationIndex;

export interface DevinClientOptions
  extends Omit<ApiClientOptions, "baseUrl" | "token" | "operations" | "tokenHint" | "requireToken"> {
  /**
   * Service-user API key (prefix `cog_`), sent as `Authorization: Bearer`. Never included in
   * errors or results.
   * @default process.env.DEVIN_API_KEY
   */
  token?: string | undefined;
  /**
   * API origin. Enterprise deployments pass their own domain.
   * @default process.env.DEVIN_API_BASE_URL, else "https://api.devin.ai"
   */
  baseUrl?: string | undefined;
}

/** The named methods a client for `Paths` has: the generated ones for the generated `paths`, else none. */
type IndexFor<Paths> = [Paths] extends [paths] ? DevinOperations : Empty;

/**
 * A client for the Devin API: every operation of generated/ by its method name
 * (`client.<name>(...pathParams, options)`) and by path (`client.GET(path, { params })`).
 * A client for another `paths` type keeps the path-based calls only; for another API with an
 * index of its own, use `createApiClient`.
 */
export type DevinClient<Paths = paths> = ApiClient<Paths, IndexFor<Paths>>;

export function createDevinClient<Paths extends object = paths>(options: DevinClientOptions = {}): DevinClient<Paths> {
  // Read through globalThis so browsers and edge runtimes without `process` still load the module.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  // The index is passed whatever `Paths` is (types do not exist at run time); for another
  // `paths` its methods are simply not in the client's type.
  const operations: OperationIndex = operationIndex;
  return createApiClient<Paths, IndexFor<Paths>>({
    ...options,
    baseUrl: options.baseUrl ?? (env?.DEVIN_API_BASE_URL || DEFAULT_BASE_URL),
    token: options.token ?? env?.DEVIN_API_KEY,
    requireToken: true,
    tokenHint: "pass `token` to createDevinClient or set DEVIN_API_KEY (a service-user key, prefix `cog_`)",
    operations: operations as IndexFor<Paths>,
  });
}

/** What the named method `Name` resolves to (for a paginated one: what its pages hold). */
export type DevinResult<Name extends keyof DevinOperations> = Awaited<ReturnType<DevinClient[Name]>>;
