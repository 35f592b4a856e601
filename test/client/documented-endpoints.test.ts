/**
 * Client behaviour that only the documented endpoints (generated/, served by the sandbox in
 * test/sandbox/) can show: revoking a key declares 409, so a named DELETE reports
 * `already_revoked` after a retry whose first outcome is unknown. Everything else runs on the
 * fixture API (test/fixtures/project); these tests are expected to fail when the docs replace
 * the documented endpoints, and say so in their names.
 */
import { inspect } from "node:util";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { DevinApiError, isConflict, isNotFound, isOk, unwrap } from "../../src/index.ts";
import { dropFirstResponse, REVOKE, sandboxClient } from "./helpers.ts";

const TOKEN = "cog_SECRET_never_print_me_42";
const { sandbox, client } = await sandboxClient({ token: TOKEN }, { token: TOKEN });
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetRequests();
  sandbox.setErrorFormat("legacy");
});

const revoke = (api_key_id: string) =>
  client.DELETE(REVOKE, { params: { path: { service_user_id: "service-user-alpha", api_key_id } } });

describe.each(["legacy", "problem"] as const)("documented endpoints: with %s error bodies", (format) => {
  beforeEach(() => sandbox.setErrorFormat(format));

  test("maps revoking a revoked key to conflict on the first attempt", async () => {
    const result = await revoke("key-alpha-revoked-1");
    expect(result).toMatchObject({ kind: "conflict", status: 409, attempts: 1 });
  });
});

describe("documented endpoints: retries of a DELETE that declares 409", () => {
  test("reports already_revoked when an opted-in retry meets 409", async () => {
    // The first attempt reaches the server (which revokes the key) but its response is lost:
    // a middleware drops it, as a proxy reset after the server answered would.
    const dropFirst = dropFirstResponse();
    client.use(dropFirst);
    const result = await client.revokeServiceUserApiKey("service-user-alpha", "key-alpha-active-1", {
      retry: { methods: ["DELETE"] },
    });
    client.eject(dropFirst);
    expect(sandbox.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(result).toMatchObject({ kind: "already_revoked", retried: true, status: 409, attempts: 2 });
  });

  test("keeps a 409 after a 503 as conflict: the server did not act on the first attempt", async () => {
    sandbox.addFault({ fault: { kind: "status503" } });
    const result = await client.revokeServiceUserApiKey("service-user-alpha", "key-alpha-revoked-1", {
      retry: { methods: ["DELETE"] },
    });
    expect(sandbox.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(result).toMatchObject({ kind: "conflict", status: 409, attempts: 2 });
  });

  test("keeps a first-attempt 409 as conflict, distinct from already_revoked", async () => {
    const result = await client.revokeServiceUserApiKey("service-user-alpha", "key-alpha-revoked-1", {
      retry: { methods: ["DELETE"] },
    });
    expect(result).toMatchObject({ kind: "conflict", attempts: 1 });
  });
});

describe("documented endpoints: conflict through the throwing style", () => {
  test("type guards narrow a conflict and the error unwrap throws for it", async () => {
    const conflict = await revoke("key-alpha-revoked-1");
    expect(isConflict(conflict)).toBe(true);
    expect(isNotFound(conflict)).toBe(false);
    expect(isOk(conflict)).toBe(false);
    expect(isConflict(new DevinApiError(conflict as never))).toBe(true);
    expect(() => unwrap(conflict)).toThrow(DevinApiError);
  });

  test("never exposes the token for a conflict", async () => {
    const result = await revoke("key-alpha-revoked-1");
    expect.assertions(3);
    try {
      unwrap(result);
    } catch (error) {
      expect(JSON.stringify(result)).not.toContain(TOKEN);
      expect(inspect(error, { depth: 10, showHidden: true, getters: true })).not.toContain(TOKEN);
      expect((error as Error).stack ?? "").not.toContain(TOKEN);
    }
  });
});
