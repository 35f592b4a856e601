/**
 * Type-level helpers that turn any openapi-typescript `paths` into call signatures.
 * Nothing here names an endpoint: a newly generated operation is picked up as is.
 */
import type { HeadersOptions, ParamsOption, RequestBodyOption } from "openapi-fetch";
import type { RetryOptions } from "./retry.ts";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** Paths of `Paths` that declare `Method`. */
export type PathsWith<Paths, Method extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [M in Method]: object } ? P : never;
}[keyof Paths] &
  string;

/** The operation object at `Paths[P][M]`. */
export type OperationAt<Paths, P extends keyof Paths, M extends HttpMethod> = Paths[P] extends {
  [K in M]: infer Op;
}
  ? Op
  : never;

type Responses<Op> = Op extends { responses: infer R } ? R : never;
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : undefined;

/** The parsed body of the response declared for `Status`, or `unknown` if the operation does not declare it. */
export type BodyAt<Op, Status extends number> = [Responses<Op>] extends [never]
  ? unknown
  : Status extends keyof Responses<Op>
    ? ContentOf<Responses<Op>[Status]>
    : unknown;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | "2XX";

/** The parsed body of a successful response of `Op`. */
export type DataOf<Op> = ContentOf<Responses<Op>[SuccessStatus & keyof Responses<Op>]>;

/** Options every call accepts on top of the operation's own `params` and `body`. */
export interface CallOptions {
  /**
   * Extra headers for this call; merged over the client's `headers`.
   * @default {}
   */
  headers?: HeadersOptions;
  /**
   * Cancels the call, including retries and backoff waits. A caller abort is never retried.
   * @default undefined (no cancellation)
   */
  signal?: AbortSignal;
  /**
   * Milliseconds before one attempt (request and body) is abandoned; `0` disables.
   * @default the client's `timeout`
   */
  timeout?: number;
  /**
   * Retry policy for this call, merged over the client's; `false` disables retries.
   * @default the client's `retry`
   */
  retry?: Partial<RetryOptions> | false;
  /**
   * Largest response body read for this call, in bytes; see the client option.
   * @default the client's `maxResponseBytes`
   */
  maxResponseBytes?: number;
}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** The `init` object of a call to `Op`. */
export type CallInit<Op> = ParamsOption<Op> & RequestBodyOption<Op> & CallOptions;

/** `init` is optional exactly when the operation has no required parameter or body. */
export type InitArg<Init> = RequiredKeys<Init> extends never ? [init?: Init] : [init: Init];

/** A 200 body in the Devin cursor-pagination shape (`items`, `has_next_page`, `end_cursor`). */
export interface PageShape<Item = unknown> {
  items: Item[];
  has_next_page?: boolean;
  end_cursor?: string | null;
}

/** GET paths whose success body is paginated: only these are accepted by `paginate`. */
export type PaginatedPaths<Paths> = {
  [P in PathsWith<Paths, "get">]: DataOf<OperationAt<Paths, P, "get">> extends PageShape
    ? "has_next_page" extends keyof DataOf<OperationAt<Paths, P, "get">>
      ? P
      : never
    : never;
}[PathsWith<Paths, "get">];

/** The item type of a paginated operation. */
export type ItemOf<Op> = DataOf<Op> extends PageShape<infer Item> ? Item : never;

/** The empty object type: no members (biome's noBannedTypes forbids writing `{}`). */
export type Empty = Record<never, never>;
