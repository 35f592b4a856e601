/**
 * docs/client.md, "Retries and timeouts": a per-call `retry` is merged over the client's policy; over a
 * client created with `retry: false` it is merged over the defaults, so one call can opt in
 * (issue 11: such a client used to keep `maxRetries: 0` for a call that opted in).
 */
import { afterAll, expect, test } from "vitest";
import { fixtureClient, SESSIONS } from "./helpers.ts";

const { server, client, sleeps } = await fixtureClient({}, { retry: false });
afterAll(() => server.close());

test("a call opts in to retries on a client created with retry: false, with the default policy", async () => {
  server.addFault({ fault: { kind: "status503" }, times: 2 });
  const result = await client.deleteSecret("org-alpha", "secret-alpha-4", { retry: { methods: ["DELETE"] } });
  // maxRetries 2 and the backoff come from the defaults, not from the client's `false`.
  expect(result).toMatchObject({ kind: "ok", attempts: 3 });
  expect(sleeps).toEqual([500, 1000]);
  // The client's own `false` still holds for calls that do not opt in.
  server.addFault({ fault: { kind: "status503" } });
  const plain = await client.GET(SESSIONS, { params: { path: { org_id: "org-alpha" } } });
  expect(plain).toMatchObject({ kind: "server_error", attempts: 1 });
});
