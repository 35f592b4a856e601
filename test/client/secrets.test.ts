import { inspect } from "node:util";
import { afterAll, expect, test } from "vitest";
import { DevinApiError, type Failure, unwrap } from "../../src/index.ts";
import type { Fault } from "../support/fixture-server.ts";
import { createFixtureClient, fixtureClient, SECRET, SESSIONS } from "./helpers.ts";

const TOKEN = "cog_SECRET_never_print_me_42";
const { server, client } = await fixtureClient({ token: TOKEN }, { token: TOKEN, retry: false });
afterAll(() => server.close());
const alpha = { path: { org_id: "org-alpha" } };

function expectNoToken(value: unknown): void {
  expect(JSON.stringify(value) ?? "").not.toContain(TOKEN);
  expect(inspect(value, { depth: 10, showHidden: true, getters: true })).not.toContain(TOKEN);
  expect(String(value)).not.toContain(TOKEN);
  expect(String((value as { stack?: unknown } | null)?.stack ?? "")).not.toContain(TOKEN);
}

/** What `fn` throws; the test fails if it throws nothing. */
function thrownBy(fn: () => unknown): unknown {
  let error: unknown;
  let threw = false;
  try {
    fn();
  } catch (e) {
    [error, threw] = [e, true];
  }
  expect(threw, "expected a throw").toBe(true);
  return error;
}

test("never exposes the token in an ok result", async () => {
  const result = await client.GET(SESSIONS, { params: alpha });
  expect(result.kind).toBe("ok");
  expectNoToken(result);
});

const faults: [string, Fault, string][] = [
  ["429", { kind: "status429", retryAfter: "1" }, "rate_limited"],
  ["503", { kind: "status503" }, "server_error"],
  ["500", { kind: "status500" }, "server_error"],
  ["reset", { kind: "reset" }, "network"],
  ["html502", { kind: "html502" }, "server_error"],
  ["truncated", { kind: "truncated" }, "network"],
  // The server stalls for a minute (until it closes): only the client's timeout ends the call.
  ["latency (timeout)", { kind: "latency", ms: 60_000 }, "timeout"],
];

test.each(faults)(
  "never exposes the token in the result, its message or the thrown error for %s",
  async (_name, fault, kind) => {
    server.addFault({ fault });
    // A short timeout only where the server stalls: elsewhere a loaded machine could take longer
    // than it to answer, and the case would test a timeout instead of its fault.
    const timeout = fault.kind === "latency" ? 200 : 60_000;
    const result = await client.GET(SESSIONS, { params: alpha, timeout });
    expect(result.kind).toBe(kind);
    expectNoToken(result);
    expectNoToken((result as Failure).message);
    expectNoToken(thrownBy(() => unwrap(result)));
  },
);

test.each([
  ["not found", { org_id: "org-alpha", secret_id: "secret-nope" }, "not_found"],
  ["validation", { org_id: "not-an-org", secret_id: "secret-alpha-1" }, "validation"],
  ["invalid input", { org_id: "org-alpha", secret_id: ".." }, "invalid_input"],
])("never exposes the token for %s", async (_name, path, kind) => {
  const result = await client.DELETE(SECRET, { params: { path } });
  expect(result.kind).toBe(kind);
  expectNoToken(result);
  const error = thrownBy(() => unwrap(result));
  expect(error).toBeInstanceOf(DevinApiError);
  expectNoToken(error);
});

test("never exposes the token for 401 or a pagination error", async () => {
  const wrong = createFixtureClient({ baseUrl: server.url, token: `${TOKEN}x`, retry: false });
  const result = await wrong.GET(SESSIONS, { params: alpha });
  expect(result.kind).toBe("unauthorized");
  expect(JSON.stringify(result)).not.toContain(TOKEN);
  const error = await client
    .listSessions("org-ghost")
    .toArray(1)
    .catch((e: unknown) => e);
  expectNoToken(error);
});

test("never exposes the token through the client object", () => {
  expectNoToken(client);
  expect(Object.values(client).map(String).join()).not.toContain(TOKEN);
});

test("result of a network failure carries no request object", async () => {
  server.addFault({ fault: { kind: "reset" } });
  const result = (await client.GET(SESSIONS, { params: alpha })) as Failure;
  expect(Object.keys(result)).not.toContain("request");
});
