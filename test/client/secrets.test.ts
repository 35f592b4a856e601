import { inspect } from "node:util";
import { afterAll, expect, test } from "vitest";
import { createDevinClient, DevinApiError, type Failure, unwrap } from "../../src/index.ts";
import type { Fault } from "../sandbox/server.ts";
import { LIST, REVOKE, sandboxClient } from "./helpers.ts";

const TOKEN = "cog_SECRET_never_print_me_42";
const { sandbox, client } = await sandboxClient({ token: TOKEN }, { token: TOKEN, retry: false });
afterAll(() => sandbox.close());

function expectNoToken(value: unknown): void {
  expect(JSON.stringify(value) ?? "").not.toContain(TOKEN);
  expect(inspect(value, { depth: 10, showHidden: true, getters: true })).not.toContain(TOKEN);
  expect(String(value)).not.toContain(TOKEN);
  if (value instanceof Error) expect(value.stack ?? "").not.toContain(TOKEN);
}

const faults: [string, Fault | undefined][] = [
  ["ok", undefined],
  ["429", { kind: "status429", retryAfter: "1" }],
  ["503", { kind: "status503" }],
  ["500", { kind: "status500" }],
  ["reset", { kind: "reset" }],
  ["html502", { kind: "html502" }],
  ["truncated", { kind: "truncated" }],
  ["latency (timeout)", { kind: "latency", ms: 300 }],
];

test.each(faults)("never exposes the token in the result or thrown error for %s", async (_name, fault) => {
  if (fault) sandbox.addFault({ fault });
  const result = await client.GET(LIST, { params: { path: { service_user_id: "service-user-alpha" } }, timeout: 100 });
  expectNoToken(result);
  if (result.kind !== "ok") {
    expectNoToken(result.message);
    expectNoToken(new DevinApiError(result));
  }
});

test.each([
  ["not found", "key-nope"],
  ["conflict", "key-alpha-revoked-1"],
  ["invalid input", ".."],
])("never exposes the token for %s", async (_name, id) => {
  const result = await client.DELETE(REVOKE, {
    params: { path: { service_user_id: "service-user-alpha", api_key_id: id } },
  });
  expectNoToken(result);
  try {
    unwrap(result);
  } catch (error) {
    expectNoToken(error);
  }
});

test("never exposes the token for 401 or a pagination error", async () => {
  const wrong = createDevinClient({ baseUrl: sandbox.url, token: `${TOKEN}x`, retry: false });
  const result = await wrong.GET(LIST, { params: { path: { service_user_id: "service-user-alpha" } } });
  expect(result.kind).toBe("unauthorized");
  expect(JSON.stringify(result)).not.toContain(TOKEN);
  const error = await client
    .listServiceUserApiKeys("service-user-ghost")
    .toArray(1)
    .catch((e: unknown) => e);
  expectNoToken(error);
});

test("never exposes the token through the client object", () => {
  expectNoToken(client);
  expect(Object.values(client).map(String).join()).not.toContain(TOKEN);
});

test("result of a network failure carries no request object", async () => {
  sandbox.addFault({ fault: { kind: "reset" } });
  const result = (await client.GET(LIST, { params: { path: { service_user_id: "service-user-alpha" } } })) as Failure;
  expect(Object.keys(result)).not.toContain("request");
});
