/**
 * The two operations, as pure functions of the live state. Auth, faults and error
 * formatting happen in server.ts.
 */
import { SANDBOX_NOW } from "./clock.ts";
import { encodeCursor } from "./cursor.ts";
import { type ApiError, errors, type ValidationIssue, validationError } from "./errors.ts";
import { keyStatus } from "./keys.ts";
import { type ListQueryLimits, parseListQuery } from "./list-query.ts";
import { paginate } from "./paginate.ts";
import { jsonReply, type Reply } from "./reply.ts";
import type { SandboxKey } from "./types.ts";

export const SERVICE_USER_PREFIX = "service-user-";

export interface HandlerState {
  serviceUsers: Map<string, SandboxKey[]>;
  limits: ListQueryLimits;
}

export function listKeys(state: HandlerState, serviceUserId: string, query: Record<string, string>): Reply | ApiError {
  const keys = state.serviceUsers.get(serviceUserId);
  const parsed = parseListQuery(query, serviceUserId, keys?.length ?? 0, state.limits);
  const issues = [...checkServiceUserId(serviceUserId), ...(Array.isArray(parsed) ? parsed : [])];
  if (issues.length > 0 || Array.isArray(parsed)) {
    // An unknown user's cursor cannot decode either; report the missing user, not the cursor.
    if (keys === undefined && issues.every((issue) => issue.loc[1] === "after")) return errors.serviceUserNotFound;
    return validationError(issues);
  }
  if (keys === undefined) return errors.serviceUserNotFound;

  const page = paginate(keys, parsed.status, parsed.offset, parsed.first);
  return jsonReply(200, {
    items: page.items,
    has_next_page: page.nextOffset !== null,
    end_cursor: page.nextOffset === null ? null : encodeCursor(serviceUserId, page.nextOffset),
    total: page.total,
  });
}

export function revokeKey(state: HandlerState, serviceUserId: string, apiKeyId: string): Reply | ApiError {
  const issues = checkServiceUserId(serviceUserId);
  if (issues.length > 0) return validationError(issues);
  const keys = state.serviceUsers.get(serviceUserId);
  if (keys === undefined) return errors.serviceUserNotFound;
  const index = keys.findIndex((candidate) => candidate.api_key_id === apiKeyId);
  const key = keys[index];
  if (key === undefined) return errors.apiKeyNotFound;
  if (keyStatus(key) === "revoked") return errors.apiKeyAlreadyRevoked;
  // The spec's only conflict is "bereits widerrufen" (already revoked): an expired key
  // was never revoked, so revoking it succeeds and it is listed as revoked from now on.
  // Replaced rather than edited: the key objects may be shared with the caller's fixtures.
  const revoked: SandboxKey = { ...key, revoked_at: SANDBOX_NOW, is_active: false };
  keys[index] = revoked;
  return jsonReply(200, revoked);
}

/** Service-user IDs carry the "service-user-" prefix; anything else is a validation error. */
function checkServiceUserId(serviceUserId: string): ValidationIssue[] {
  if (serviceUserId.startsWith(SERVICE_USER_PREFIX) && serviceUserId.length > SERVICE_USER_PREFIX.length) return [];
  return [
    {
      loc: ["path", "service_user_id"],
      msg: `Value error, service user id must start with '${SERVICE_USER_PREFIX}'`,
      type: "value_error",
      input: serviceUserId,
    },
  ];
}
