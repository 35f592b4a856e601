export type { components, operations, paths } from "../generated/schema.ts";
export {
  type ApiClient,
  createDevinClient,
  DEFAULT_BASE_URL,
  type DevinClient,
  type DevinClientOptions,
} from "./client.ts";
export { DevinApiError, type DevinErrorKind, isDevinApiError, type PaginationFailure, unwrap } from "./errors.ts";
export type { PaginateOptions, Paginator } from "./paginate.ts";
export * from "./result.ts";
export {
  type AttemptOutcome,
  type Clock,
  defaultRetry,
  parseRetryAfter,
  type RetryOptions,
  retryDelay,
  shouldRetry,
} from "./retry.ts";
export type { AlreadyRevoked, ListApiKeysOptions, RevokeResult, ServiceUserApiKeys } from "./service-user-keys.ts";
export type {
  CallInit,
  CallOptions,
  DataOf,
  ItemOf,
  OperationAt,
  PageShape,
  PaginatedPaths,
  PathsWith,
} from "./types.ts";
