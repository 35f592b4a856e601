import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createDevinClient, DevinApiError, isDevinApiError } from "../../src/index.ts";
import { makeKeys } from "../sandbox/server.ts";
import { json, LIST, sandboxClient, tinyServer } from "./helpers.ts";

const { sandbox, client } = await sandboxClient({
  serviceUsers: { "service-user-many": makeKeys(1000), "service-user-empty": [] },
  maxPageSize: 200,
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetRequests();
});

const many = { params: { path: { service_user_id: "service-user-many" } } };

describe("paginate", () => {
  test("walks every page, sending after=<end_cursor> each time", async () => {
    const ids: string[] = [];
    for await (const key of client.paginate(LIST, { ...many, first: 100 })) ids.push(key.api_key_id);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    expect(sandbox.requests).toHaveLength(10);
    expect(sandbox.requests[0]?.query).toEqual({ first: "100" });
    expect(sandbox.requests[1]?.query.after).toEqual(expect.any(String));
  });

  test("stops fetching as soon as the loop breaks", async () => {
    let seen = 0;
    for await (const _ of client.paginate(LIST, { ...many, first: 10 })) {
      if (++seen === 15) break;
    }
    expect(sandbox.requests).toHaveLength(2);
  });

  test("yields whole pages from pages()", async () => {
    const sizes: number[] = [];
    for await (const page of client.paginate(LIST, { ...many, first: 200 }).pages()) {
      sizes.push(page.items.length);
    }
    expect(sizes).toEqual([200, 200, 200, 200, 200]);
  });

  test("maxItems stops after that many items without fetching further pages", async () => {
    const items = await client.paginate(LIST, { ...many, first: 50, maxItems: 120 }).toArray(1000);
    expect(items).toHaveLength(120);
    expect(sandbox.requests).toHaveLength(3);
  });

  test("maxPages stops after that many pages", async () => {
    const items = await client.paginate(LIST, { ...many, first: 50, maxPages: 2 }).toArray(1000);
    expect(items).toHaveLength(100);
    expect(sandbox.requests).toHaveLength(2);
  });

  test("toArray(limit) collects at most limit items", async () => {
    expect(await client.paginate(LIST, { ...many, first: 25 }).toArray(30)).toHaveLength(30);
    expect(sandbox.requests).toHaveLength(2);
    expect(await client.paginate(LIST, { ...many }).toArray(0)).toEqual([]);
  });

  test("an empty list yields nothing after one request", async () => {
    const items = await client.listServiceUserApiKeys("service-user-empty").toArray(10);
    expect(items).toEqual([]);
    expect(sandbox.requests).toHaveLength(1);
  });

  test("listServiceUserApiKeys passes the status filter", async () => {
    const fresh = await sandboxClient();
    const revoked = await fresh.client.listServiceUserApiKeys("service-user-alpha", { status: "revoked" }).toArray(100);
    await fresh.sandbox.close();
    expect(revoked.map((k) => k.api_key_id)).toEqual(["key-alpha-revoked-1", "key-alpha-revoked-2"]);
  });

  test("retries a failed page and carries on", async () => {
    sandbox.addFault({ fault: { kind: "status503" }, pathIncludes: "after=" });
    const items = await client.paginate(LIST, { ...many, first: 200 }).toArray(1000);
    expect(items).toHaveLength(1000);
    expect(sandbox.requests).toHaveLength(6);
  });

  test("throws DevinApiError from the loop when a page fails", async () => {
    const error = await client
      .listServiceUserApiKeys("service-user-ghost")
      .toArray(10)
      .catch((e: unknown) => e);
    expect(isDevinApiError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "not_found", status: 404, method: "GET", path: LIST });
  });

  test("rejects a bad page size before any request", async () => {
    const error = await client
      .paginate(LIST, { ...many, first: 0 })
      .toArray(10)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevinApiError);
    expect(error).toMatchObject({ kind: "invalid_input" });
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe("paginate against a broken server", () => {
  test.each([
    ["a next page with a null cursor", { items: [1], has_next_page: true, end_cursor: null }, "missing_cursor"],
    ["a next page with an empty cursor", { items: [1], has_next_page: true, end_cursor: "" }, "missing_cursor"],
    ["a page without items", { has_next_page: false }, "malformed_page"],
    ["a page with a string has_next_page", { items: [], has_next_page: "yes" }, "malformed_page"],
    ["a null page", null, "malformed_page"],
    ["the same cursor again", { items: [1], has_next_page: true, end_cursor: "same" }, "repeated_cursor"],
  ])("fails with a pagination error on %s, never loops", async (_name, page, reason) => {
    const server = await tinyServer((_req, res, hit) => {
      // First page is fine (cursor "same"); every later page is the broken one.
      json(res, 200, hit === 1 ? { items: [0], has_next_page: true, end_cursor: "same" } : page);
    });
    const local = createDevinClient({ baseUrl: server.url, token: "cog_x" });
    const error = await local
      .paginate(LIST, { params: { path: { service_user_id: "service-user-x" } } })
      .toArray(1000)
      .catch((e: unknown) => e);
    const hits = server.hits();
    await server.close();
    expect(error).toMatchObject({
      name: "DevinApiError",
      kind: "pagination",
      requestId: "req_tiny",
      result: { reason },
    });
    expect(hits).toBe(2);
  });
});
