/**
 * Named methods from an operation index (generated/operations.ts for the Devin API): the types
 * that turn each entry into a call signature, and the runtime that turns a method call into
 * the core's path-based call. Nothing here names an endpoint.
 */
import type { RequestBodyOption } from "openapi-fetch";
import type { PaginateOptions, Paginator } from "./paginate.ts";
import type { AlreadyRevoked, Result } from "./result.ts";
import type { StyleTable } from "./serialize.ts";
import type { BodyAt, CallOptions, DataOf, Empty, HttpMethod, InitArg, ItemOf, OperationAt } from "./types.ts";

/** One operation as the pipeline describes it for the client (see scripts/build/operation-index.ts). */
export interface OperationEntry {
  readonly operationId?: string;
  /** Lower-case HTTP method. */
  readonly method: HttpMethod;
  /** The path template, a key of `paths`. */
  readonly path: string;
  /** Path parameters in template order: the method's positional arguments. */
  readonly pathParams: readonly string[];
  /** Names the method takes as top-level options and sends in the query. */
  readonly query: readonly string[];
  /** The one object query parameter whose properties are the query (a FastAPI query model). */
  readonly queryModel?: string;
  /** Where the cursor (`after`) and the page size (`first`) go, for a paginated GET. */
  readonly paginated?: { readonly after: readonly string[]; readonly first?: readonly string[] };
  /** Parameters whose serialisation differs from OpenAPI's default for their location. */
  readonly serialization?: StyleTable;
  /** A DELETE that declares 409: a 409 after an attempt whose outcome is unknown is `already_revoked`. */
  readonly conflictMeansDone?: boolean;
}

/** Method name → entry. */
export type OperationIndex = { readonly [name: string]: OperationEntry };

type ParamsOf<Op> = Op extends { parameters: infer P } ? P : Empty;
type Present<T> = [T] extends [never] ? Empty : [T] extends [undefined] ? Empty : NonNullable<T>;
/** The operation's query parameters as one object (`{}` when it has none). */
export type QueryOf<Op> = ParamsOf<Op> extends { query?: infer Q } ? Present<Q> : Empty;
type PathOf<Op> = ParamsOf<Op> extends { path?: infer P } ? Present<P> : Empty;

/** The object whose properties are the method's query options: the query model's, else the query's. */
type QueryShape<Op, E extends OperationEntry> = E extends { queryModel: infer M extends string }
  ? M extends keyof QueryOf<Op>
    ? Present<QueryOf<Op>[M]>
    : Empty
  : QueryOf<Op>;

type FlatQuery<Op, E extends OperationEntry> = Pick<QueryShape<Op, E>, E["query"][number] & keyof QueryShape<Op, E>>;

type PathArgs<Op, Names extends readonly string[]> = {
  -readonly [K in keyof Names]: Names[K] extends keyof PathOf<Op> ? PathOf<Op>[Names[K]] : string;
};

type IsPaginated<E extends OperationEntry> = E extends { paginated: object } ? true : false;

/**
 * The options object of a named method: its query parameters by name (a query model's
 * properties, for an operation that takes one), `body`, `header` and `cookie` parameters,
 * `query` for any query parameter by its wire name, the per-call options, and for a paginated
 * operation `first`, `maxItems` and `maxPages`.
 */
export type MethodOptions<Op, E extends OperationEntry> = FlatQuery<Op, E> &
  Pick<ParamsOf<Op>, ("header" | "cookie") & keyof ParamsOf<Op>> &
  RequestBodyOption<Op> & { query?: Partial<QueryOf<Op>> } & CallOptions &
  (IsPaginated<E> extends true
    ? E extends { paginated: { first: readonly string[] } }
      ? PaginateOptions
      : Omit<PaginateOptions, "first">
    : Empty);

/** What a named method returns: a `Paginator` for a paginated GET, else a promise of its result. */
export type MethodResult<Op, E extends OperationEntry> =
  IsPaginated<E> extends true
    ? Paginator<ItemOf<Op>, DataOf<Op>>
    : Promise<E extends { conflictMeansDone: true } ? Result<Op> | AlreadyRevoked<BodyAt<Op, 409>> : Result<Op>>;

type EntryOp<Paths, E extends OperationEntry> = E["path"] extends keyof Paths
  ? OperationAt<Paths, E["path"], E["method"]>
  : never;

/** A named method: path parameters first, in template order, then the options. */
export type OperationMethod<Paths, E extends OperationEntry, Op = EntryOp<Paths, E>> = (
  ...args: [...PathArgs<Op, E["pathParams"]>, ...InitArg<MethodOptions<Op, E>>]
) => MethodResult<Op, E>;

/** One method per entry of the index. */
export type OperationMethods<Paths, Index extends OperationIndex> = {
  readonly [Name in keyof Index]: OperationMethod<Paths, Index[Name]>;
};

/**
 * Option names a named method reads itself; any other key must be one of the entry's `query`
 * names. The pipeline imports these too: a query parameter named like one of them is not
 * offered as an option (scripts/build/operation-index.ts), callers pass it inside `query`.
 */
export const CALL_OPTIONS = [
  "body",
  "query",
  "header",
  "cookie",
  "headers",
  "signal",
  "timeout",
  "retry",
  "maxResponseBytes",
] as const;
/** What only a paginated method reads (besides `first`, which is also a query parameter). */
export const PAGE_ONLY_OPTIONS = ["maxItems", "maxPages", "maxEmptyPages"] as const;
const OWN_OPTIONS = new Set<string>(CALL_OPTIONS);
const PAGE_OPTIONS = new Set<string>([...PAGE_ONLY_OPTIONS, "first"]);

export interface PathCallInit {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header?: unknown; cookie?: unknown };
  [option: string]: unknown;
}

/**
 * The path-based `init` for a named method's arguments, or the name of the first option the
 * method does not know (a typo from untyped code would otherwise be dropped silently).
 */
export function toPathInit(entry: OperationEntry, args: readonly unknown[]): PathCallInit | string {
  const path: Record<string, unknown> = {};
  entry.pathParams.forEach((name, i) => {
    path[name] = args[i];
  });
  const options = (args[entry.pathParams.length] ?? {}) as Record<string, unknown>;
  const { query: explicit, header, cookie, ...rest } = options;
  const flat: Record<string, unknown> = {};
  const init: PathCallInit = { params: { path, query: {} } };
  const pageOption = (key: string) =>
    entry.paginated !== undefined && PAGE_OPTIONS.has(key) && (key !== "first" || entry.paginated.first !== undefined);
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (pageOption(key)) init[key] = value;
    else if (entry.query.includes(key)) flat[key] = value;
    else if (OWN_OPTIONS.has(key)) init[key] = value;
    else return key;
  }
  const query = { ...(explicit as Record<string, unknown> | undefined) };
  if (entry.queryModel) {
    const model = query[entry.queryModel];
    query[entry.queryModel] = { ...(typeof model === "object" && model !== null ? model : {}), ...flat };
  } else Object.assign(query, flat);
  init.params.query = query;
  if (header !== undefined) init.params.header = header;
  if (cookie !== undefined) init.params.cookie = cookie;
  return init;
}
