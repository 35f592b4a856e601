/**
 * A local stand-in for the two operations of generated/devin-api.yaml, built on node:http
 * only, with fault injection for the client's retry and error handling tests.
 *
 * Request flow: record -> injected fault (if any) -> route (404/405) -> auth (401) -> handler.
 * Faults come before routing because they model the network and proxies in front of the API.
 */
import { type HandlerState, listKeys, revokeKey } from "./handlers.ts";
import { startApiServer } from "./http.ts";
import { seedServiceUsers } from "./keys.ts";
import { matchRoute } from "./routes.ts";
import type { RecordedRequest, Sandbox, SandboxKey, SandboxOptions } from "./types.ts";

export { makeKeys, seedServiceUsers } from "./keys.ts";
export type {
  ErrorFormat,
  Fault,
  FaultRule,
  KeyStatus,
  RecordedRequest,
  Sandbox,
  SandboxKey,
  SandboxOptions,
} from "./types.ts";

const DEFAULT_TOKEN = "cog_sandbox_token";

// A prefix of a real page, so a client that ignores Content-Length would see broken JSON too.
const TRUNCATED_BODY = '{"items":[{"api_key_id":"key-alpha-active-1","api_key_name":"ci-de';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state: HandlerState = {
    serviceUsers: copyServiceUsers(options.serviceUsers ?? seedServiceUsers()),
    limits: { defaultPageSize: options.defaultPageSize ?? 25, maxPageSize: options.maxPageSize ?? 200 },
  };
  const server = await startApiServer<RecordedRequest>({
    name: "sandbox",
    port: options.port,
    token: options.token ?? DEFAULT_TOKEN,
    errorFormat: options.errorFormat ?? "legacy",
    requestIdPrefix: options.requestIdPrefix ?? "req_",
    truncatedBody: TRUNCATED_BODY,
    // Last value wins for repeated parameters, as FastAPI does for scalar query params.
    record: ({ method, path, query, headers }) => ({
      method,
      path,
      query: Object.fromEntries(query),
      hasAuth: headers.authorization !== undefined,
    }),
    route: ({ method, path, query }) => {
      const route = matchRoute(method, path);
      switch (route.operation) {
        case "not-found":
          return undefined;
        case "method-not-allowed":
          return { allow: route.allow };
        case "list":
          return () => listKeys(state, route.serviceUserId, Object.fromEntries(query));
        case "revoke":
          return () => revokeKey(state, route.serviceUserId, route.apiKeyId);
      }
    },
  });
  return { ...server, serviceUsers: state.serviceUsers };
}

/**
 * Copies the arrays (not the keys: revocation replaces a key instead of editing it), so
 * a sandbox never changes the caller's fixtures and 100_000 keys cost no second copy.
 */
function copyServiceUsers(users: Record<string, SandboxKey[]>): Map<string, SandboxKey[]> {
  return new Map(Object.entries(users).map(([id, keys]) => [id, [...keys]]));
}
