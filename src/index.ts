export type { components, operations, paths } from "../generated/schema.ts";
export {
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  type PathClient,
} from "./core/client.ts";
export { DevinApiError, type DevinErrorKind, isDevinApiError, unwrap } from "./core/errors.ts";
export type {
  MethodOptions,
  MethodResult,
  OperationEntry,
  OperationIndex,
  OperationMethod,
  OperationMethods,
} from "./core/operations.ts";
export type { PaginateOptions, Paginator } from "./core/paginate.ts";
export {
  type Aborted,
  type AlreadyRevoked,
  type AnyFailure,
  type AnyResult,
  type CallInfo,
  type Conflict,
  type Failure,
  type FailureKind,
  type Forbidden,
  type InvalidInput,
  isAborted,
  isConflict,
  isForbidden,
  isInvalidInput,
  isNetworkFailure,
  isNotFound,
  isOk,
  isRateLimited,
  isServerError,
  isTimeout,
  isUnauthorized,
  isUnexpected,
  isValidation,
  type NetworkFailure,
  type NotFound,
  type Ok,
  type PaginationFailure,
  type Problem,
  type RateLimited,
  type Result,
  type ServerError,
  type Timeout,
  type Unauthorized,
  type Unexpected,
  type Validation,
  type ValidationIssue,
} from "./core/result.ts";
export type { Clock, RetryOptions } from "./core/retry.ts";
export type {
  CallInit,
  CallOptions,
  DataOf,
  ItemOf,
  OperationAt,
  PageShape,
  PaginatedPaths,
  PathsWith,
} from "./core/types.ts";
export {
  createDevinClient,
  DEFAULT_BASE_URL,
  type DevinClient,
  type DevinClientOptions,
  type DevinOperations,
  type DevinResult,
} from "./devin.ts";
