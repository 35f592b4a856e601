/**
 * Error bodies in both formats the real API uses: legacy FastAPI `{"detail": ...}` and
 * RFC 9457 problem details (application/problem+json) that keep a string `detail`.
 */
import { jsonReply, type Reply } from "./reply.ts";
import type { ErrorFormat } from "./types.ts";

/** One pydantic-style validation error, as in FastAPI's 422 bodies. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

export interface ApiError {
  status: number;
  /** Last segment of the problem type URI. */
  slug: string;
  title: string;
  /** A sentence, or the validation issues of a 422. */
  detail: string | ValidationIssue[];
}

// A URN rather than an https URL so nobody mistakes the sandbox's types for real documentation.
const PROBLEM_TYPE_BASE = "urn:devin-sandbox:problem:";

export function errorReply(error: ApiError, format: ErrorFormat, instance: string): Reply {
  if (format === "legacy") return jsonReply(error.status, { detail: error.detail });
  const issues = typeof error.detail === "string" ? undefined : error.detail;
  return jsonReply(
    error.status,
    {
      type: `${PROBLEM_TYPE_BASE}${error.slug}`,
      title: error.title,
      status: error.status,
      detail: issues === undefined ? error.detail : issues.map(describeIssue).join("; "),
      instance,
      // RFC 9457 allows extension members; keeping the structured issues lets clients point at the field.
      ...(issues === undefined ? {} : { errors: issues }),
    },
    "application/problem+json",
  );
}

function describeIssue(issue: ValidationIssue): string {
  return `${issue.loc.join(".")}: ${issue.msg}`;
}

export const errors = {
  notAuthenticated: { status: 401, slug: "not-authenticated", title: "Unauthorized", detail: "Not authenticated" },
  invalidToken: {
    status: 401,
    slug: "invalid-credentials",
    title: "Unauthorized",
    detail: "Invalid or expired API key",
  },
  routeNotFound: { status: 404, slug: "not-found", title: "Not Found", detail: "Not Found" },
  methodNotAllowed: {
    status: 405,
    slug: "method-not-allowed",
    title: "Method Not Allowed",
    detail: "Method Not Allowed",
  },
  serviceUserNotFound: {
    status: 404,
    slug: "service-user-not-found",
    title: "Service user not found",
    detail: "Service user not found",
  },
  apiKeyNotFound: { status: 404, slug: "api-key-not-found", title: "API key not found", detail: "API key not found" },
  apiKeyAlreadyRevoked: {
    status: 409,
    slug: "api-key-already-revoked",
    title: "API key already revoked",
    detail: "API key is already revoked",
  },
  tooManyRequests: {
    status: 429,
    slug: "rate-limited",
    title: "Too Many Requests",
    detail: "Rate limit exceeded, retry later",
  },
  internal: { status: 500, slug: "internal-error", title: "Internal Server Error", detail: "Internal server error" },
  unavailable: {
    status: 503,
    slug: "service-unavailable",
    title: "Service Unavailable",
    detail: "Service temporarily unavailable",
  },
} satisfies Record<string, ApiError>;

export function validationError(issues: ValidationIssue[]): ApiError {
  return { status: 422, slug: "validation-error", title: "Validation Error", detail: issues };
}
