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

  let first = limits.defaultPageSize;
  if (query.first !== undefined) {
    const raw = query.first;
    if (!/^[+-]?\d+$/.test(raw.trim())) {
      issues.push({
        loc: ["query", "first"],
        msg: "Input should be a valid integer, unable to parse string as an integer",
        type: "int_parsing",
        input: raw,
      });
    } else {
      first = Number(raw);
      if (first < 1) {
        issues.push({
          loc: ["query", "first"],
          msg: "Input should be greater than or equal to 1",
          type: "greater_than_equal",
          input: raw,
        });
      } else if (first > limits.maxPageSize) {
        issues.push({
          loc: ["query", "first"],
          msg: `Input should be less than or equal to ${limits.maxPageSize}`,
          type: "less_than_equal",
          input: raw,
        });
      }
    }
  }

  let offset = 0;
  if (query.after !== undefined) {
    const decoded = decodeCursor(query.after, serviceUserId, listLength);
    if (decoded === undefined) {
      issues.push({
        loc: ["query", "after"],
        msg: "Invalid or unknown cursor",
        type: "value_error",
        input: query.after,
      });
    } else {
      offset = decoded;
    }
  }

  return issues.length > 0 || !isStatus(status) ? issues : { status, first, offset };
}

function isStatus(value: string): value is StatusFilter {
  return (STATUSES as readonly string[]).includes(value);
}
