/**
 * Matches the two operations of generated/devin-api.yaml against a raw request path.
 */

export type Route =
  | { operation: "list"; serviceUserId: string }
  | { operation: "revoke"; serviceUserId: string; apiKeyId: string }
  /** The path exists but not for this method. */
  | { operation: "method-not-allowed"; allow: string }
  | { operation: "not-found" };

const LIST = /^\/v3beta1\/enterprise\/service-users\/([^/]+)\/api-keys$/;
const REVOKE = /^\/v3beta1\/enterprise\/service-users\/([^/]+)\/api-keys\/([^/]+)$/;

export function matchRoute(method: string, rawPath: string): Route {
  const list = LIST.exec(rawPath);
  if (list) {
    const serviceUserId = decodeSegment(list[1]);
    if (serviceUserId === undefined) return { operation: "not-found" };
    return method === "GET" ? { operation: "list", serviceUserId } : { operation: "method-not-allowed", allow: "GET" };
  }
  const revoke = REVOKE.exec(rawPath);
  if (revoke) {
    const serviceUserId = decodeSegment(revoke[1]);
    const apiKeyId = decodeSegment(revoke[2]);
    if (serviceUserId === undefined || apiKeyId === undefined) return { operation: "not-found" };
    return method === "DELETE"
      ? { operation: "revoke", serviceUserId, apiKeyId }
      : { operation: "method-not-allowed", allow: "DELETE" };
  }
  return { operation: "not-found" };
}

/** Path parameters arrive percent-encoded; a malformed escape cannot name anything. */
export function decodeSegment(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
