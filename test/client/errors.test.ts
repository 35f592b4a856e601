import { afterAll, describe, expect, test } from "vitest";
import {
  DevinApiError,
  isConflict,
  isDevinApiError,
  isNotFound,
  isOk,
  isRateLimited,
  unwrap,
} from "../../src/index.ts";
import { REVOKE, sandboxClient } from "./helpers.ts";

const { sandbox, client } = await sandboxClient({}, { retry: false });
afterAll(() => sandbox.close());

const revoke = (api_key_id: string) =>
  client.DELETE(REVOKE, { params: { path: { service_user_id: "service-user-alpha", api_key_id } } });

describe("throwing style", () => {
  test("unwrap returns the data of an ok result", async () => {
    const key = unwrap(await revoke("key-alpha-active-2"));
    expect(key.api_key_id).toBe("key-alpha-active-2");
  });

  test("unwrap throws DevinApiError carrying the same kind, status, path and request id", async () => {
    const result = await revoke("key-missing");
    const error = (() => {
      try {
        unwrap(result);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DevinApiError);
    expect(error).toMatchObject({
      name: "DevinApiError",
      kind: "not_found",
      status: 404,
      method: "DELETE",
      path: REVOKE,
      requestId: expect.stringMatching(/^req_/),
      result,
    });
    expect((error as Error).message).toBe(result.kind === "not_found" ? result.message : "");
  });

  test("isDevinApiError recognises an error from another realm by name", () => {
    const foreign = Object.assign(new Error("x"), { name: "DevinApiError", kind: "not_found" });
    expect(isDevinApiError(foreign)).toBe(true);
    expect(isDevinApiError(new Error("x"))).toBe(false);
    expect(isDevinApiError(null)).toBe(false);
  });
});

describe("type guards", () => {
  test("narrow results and thrown errors alike", async () => {
    const conflict = await revoke("key-alpha-revoked-1");
    expect(isConflict(conflict)).toBe(true);
    expect(isNotFound(conflict)).toBe(false);
    expect(isOk(conflict)).toBe(false);
    expect(isConflict(new DevinApiError(conflict as never))).toBe(true);
    expect(isRateLimited(undefined)).toBe(false);
  });
});
