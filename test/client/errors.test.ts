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
import { fixtureClient, SECRET } from "./helpers.ts";

const { server, client } = await fixtureClient({}, { retry: false });
afterAll(() => server.close());

const remove = (secret_id: string) => client.DELETE(SECRET, { params: { path: { org_id: "org-alpha", secret_id } } });

describe("throwing style", () => {
  test("unwrap returns the data of an ok result", async () => {
    const secret = unwrap(await remove("secret-alpha-2"));
    expect(secret.secret_id).toBe("secret-alpha-2");
  });

  test("unwrap throws DevinApiError carrying the same kind, status, path and request id", async () => {
    const result = await remove("secret-missing");
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
      path: SECRET,
      requestId: expect.stringMatching(/^req_/),
      result,
    });
    expect(result.kind).toBe("not_found");
    expect((error as Error).message).toBe((result as { message: string }).message);
  });

  test("isDevinApiError recognises an error from another realm by name and kind", () => {
    const foreign = Object.assign(new Error("x"), { name: "DevinApiError", kind: "not_found" });
    expect(isDevinApiError(foreign)).toBe(true);
    expect(isDevinApiError(Object.assign(new Error("x"), { name: "DevinApiError" }))).toBe(false);
    expect(isDevinApiError(new Error("x"))).toBe(false);
    expect(isDevinApiError(null)).toBe(false);
  });

  test("carries a network failure's cause as its own, and no cause for an HTTP failure", async () => {
    const cause = new TypeError("fetch failed");
    const network = {
      kind: "network",
      ok: false,
      status: undefined,
      method: "GET",
      path: "/x",
      requestId: undefined,
      attempts: 1,
      message: "m",
      cause,
    } as const;
    expect(new DevinApiError(network).cause).toBe(cause);
    const missing = await remove("secret-missing");
    expect(new DevinApiError(missing as never)).not.toHaveProperty("cause");
  });
});

describe("type guards", () => {
  test("narrow results and thrown errors alike", async () => {
    const missing = await remove("secret-missing");
    expect(isNotFound(missing)).toBe(true);
    expect(isConflict(missing)).toBe(false);
    expect(isOk(missing)).toBe(false);
    expect(isNotFound(new DevinApiError(missing as never))).toBe(true);
    expect(isOk(await client.getSecret("org-alpha", "secret-alpha-1"))).toBe(true);
    expect(isRateLimited(undefined)).toBe(false);
  });
});
