/**
 * Validation of the list operation's query, with FastAPI/pydantic-style messages so the
 * client meets the same 422 shapes as against the real API. All problems are reported
 * at once, as FastAPI does.
 */
import { decodeCursor } from "./cursor.ts";
import type { ValidationIssue } from "./errors.ts";
import type { StatusFilter } from "./paginate.ts";

const STATUSES: readonly StatusFilter[] = ["active", "revoked", "expired", "all"];

export interface ListQuery {
  status: StatusFilter;
  first: number;
  offset: number;
}

export interface ListQueryLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

export function parseListQuery(
  query: Record<string, string>,
  serviceUserId: string,
  listLength: number,
  limits: ListQueryLimits,
): ListQuery | ValidationIssue[] {
  const issues: ValidationIssue[] = [];

  const status = query.status ?? "all";
  if (!isStatus(status)) {
    issues.push({
      loc: ["query", "status"],
      msg: "Input should be 'active', 'revoked', 'expired' or 'all'",
      type: "enum",
      input: status,
    });
  }

  const first = parsePageSize(query.first, limits);
  if (typeof first !== "number") issues.push(first);

  const offset = parseCursor(query.after, serviceUserId, listLength);
  if (typeof offset !== "number") issues.push(offset);

  return issues.length > 0 || !isStatus(status) || typeof first !== "number" || typeof offset !== "number"
    ? issues
    : { status, first, offset };
}

/** The offset a cursor (query parameter `after`) resumes from, 0 without one, or the issue to report. */
export function parseCursor(raw: string | undefined, scope: string, listLength: number): number | ValidationIssue {
  if (raw === undefined) return 0;
  const offset = decodeCursor(raw, scope, listLength);
  if (offset !== undefined) return offset;
  return { loc: ["query", "after"], msg: "Invalid or unknown cursor", type: "value_error", input: raw };
}

/**
 * The page size `first` (query parameter `first`) as FastAPI judges an integer with
 * `ge=1, le=maxPageSize`: the number, or the issue to report. Absent means the default.
 */
export function parsePageSize(raw: string | undefined, limits: ListQueryLimits): number | ValidationIssue {
  if (raw === undefined) return limits.defaultPageSize;
  const loc = ["query", "first"];
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    return {
      loc,
      msg: "Input should be a valid integer, unable to parse string as an integer",
      type: "int_parsing",
      input: raw,
    };
  }
  const first = Number(raw);
  if (first < 1)
    return { loc, msg: "Input should be greater than or equal to 1", type: "greater_than_equal", input: raw };
  if (first > limits.maxPageSize) {
    return {
      loc,
      msg: `Input should be less than or equal to ${limits.maxPageSize}`,
      type: "less_than_equal",
      input: raw,
    };
  }
  return first;
}

function isStatus(value: string): value is StatusFilter {
  return (STATUSES as readonly string[]).includes(value);
}
