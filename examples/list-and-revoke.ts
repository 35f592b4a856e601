/**
 * List a service user's API keys page by page, revoke one, and handle 404 and 409.
 * Runs against the in-process sandbox, so it needs no token and no network:
 *
 *   npm run example
 *
 * Against the real API, drop the sandbox and call `createDevinClient()` with DEVIN_API_KEY set.
 */
import { createDevinClient, type DevinResult } from "../src/index.ts";

type RevokeResult = DevinResult<"revokeServiceUserApiKey">;

import { startSandbox } from "../test/sandbox/server.ts";

const SERVICE_USER = "service-user-alpha";

function describe(result: RevokeResult): string {
  switch (result.kind) {
    case "ok":
      return `revoked ${result.data.api_key_id} (${result.data.api_key_name})`;
    case "not_found":
      return `no such key: ${result.problem.detail} [request ${result.requestId}]`;
    case "conflict":
      return `already revoked before this call: ${result.problem.detail}`;
    case "already_revoked":
      return "revoked: our first attempt went through, the retry found it done";
    case "unauthorized":
    case "forbidden":
    case "validation":
    case "rate_limited":
    case "server_error":
    case "network":
    case "timeout":
    case "aborted":
    case "invalid_input":
    case "unexpected":
      return `failed: ${result.message}`;
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

const sandbox = await startSandbox();
try {
  const client = createDevinClient({ baseUrl: sandbox.url, token: sandbox.token });

  let n = 0;
  for await (const page of client.listServiceUserApiKeys(SERVICE_USER, { first: 3 }).pages()) {
    console.log(`page ${++n} (${page.items.length} of ${page.total ?? "?"} keys):`);
    for (const key of page.items) {
      const state = key.revoked_at !== null ? "revoked" : key.is_active ? "active" : "expired";
      console.log(`  ${key.api_key_id.padEnd(22)} ${key.api_key_name.padEnd(18)} ${state}`);
    }
  }

  console.log(describe(await client.revokeServiceUserApiKey(SERVICE_USER, "key-alpha-active-1")));
  console.log(describe(await client.revokeServiceUserApiKey(SERVICE_USER, "key-does-not-exist")));
  console.log(describe(await client.revokeServiceUserApiKey(SERVICE_USER, "key-alpha-active-1")));
} finally {
  await sandbox.close();
}
