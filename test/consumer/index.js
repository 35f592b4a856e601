// @ts-check
/**
 * A downstream project: only the package's public entry point, type-checked by tsc
 * (checkJs, strict, no @types/node, skipLibCheck off) and run by plain node. It is
 * JavaScript so that the repository's own `tsc -p tsconfig.json`, which covers test/,
 * does not try to resolve "devin-api-client" before it is built and installed.
 * Run by check-package.ts with SANDBOX_URL and DEVIN_API_KEY pointing at a live sandbox.
 */
import { createDevinClient, isDevinApiError, unwrap } from "devin-api-client";

/** @typedef {import("devin-api-client").components["schemas"]["ApiKeyResponse"]} ApiKey */
/** @typedef {import("devin-api-client").DevinResult<"revokeServiceUserApiKey">} RevokeResult */

/** @type {{ env: Record<string, string | undefined> }} */
const { env } = /** @type {any} */ (globalThis).process;

/** @param {boolean} condition @param {string} what */
function check(condition, what) {
  if (!condition) throw new Error(`consumer check failed: ${what}`);
}

/** @param {RevokeResult} result @returns {string} */
function label(result) {
  switch (result.kind) {
    case "ok":
      return `revoked ${result.data.api_key_id}`;
    case "already_revoked":
    case "conflict":
      return "already revoked";
    case "not_found":
      return "no such key";
    case "unauthorized":
    case "forbidden":
    case "validation":
    case "rate_limited":
    case "server_error":
    case "unexpected":
    case "network":
    case "timeout":
    case "aborted":
    case "invalid_input":
      return result.message;
    default: {
      /** @type {never} */
      const unreachable = result;
      return unreachable;
    }
  }
}

/** @type {import("devin-api-client").DevinClient} */
const client = createDevinClient({ baseUrl: env.SANDBOX_URL ?? "", timeout: 5000 });

/** @type {ApiKey[]} */
const keys = [];
for await (const page of client.listServiceUserApiKeys("service-user-alpha", { first: 3 }).pages()) {
  keys.push(...page.items);
}
check(keys.length === 8, `listed ${keys.length} keys, want 8`);

const revoke = (/** @type {string} */ id) => client.revokeServiceUserApiKey("service-user-alpha", id);
check(label(await revoke("key-alpha-active-1")) === "revoked key-alpha-active-1", "revoke");
check(label(await revoke("key-alpha-active-1")) === "already revoked", "409");
check(label(await revoke("nope")) === "no such key", "404");
check(label(await revoke("..")).includes("dot segment"), "dot segment");

try {
  unwrap(
    await client.GET("/v3beta1/enterprise/service-users/{service_user_id}/api-keys", {
      params: { path: { service_user_id: "service-user-ghost" } },
    }),
  );
  check(false, "unwrap should throw");
} catch (error) {
  check(isDevinApiError(error) && error.kind === "not_found", "unwrap throws DevinApiError");
}

// @ts-expect-error a path the API does not have must not type-check for consumers either
client.GET("/v3beta1/nope");

console.log("consumer: ok");
