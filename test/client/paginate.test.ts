import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createApiClient } from "../../src/core/client.ts";
import type { OperationIndex } from "../../src/core/operations.ts";
import { paginator } from "../../src/core/paginate.ts";
import { DevinApiError, isDevinApiError } from "../../src/index.ts";
import { makeSecrets, makeSessions, seedOrganizations } from "../support/fixture-server.ts";
import { createFixtureClient, fixtureClient, json, SECRETS, SESSIONS, tinyServer } from "./helpers.ts";

const { server, client } = await fixtureClient({
  organizations: {
    "org-many": { sessions: makeSessions(1000), secrets: makeSecrets(1000) },
    "org-empty": {},
    "org-alpha": seedOrganizations()["org-alpha"] ?? {},
  },
  maxPageSize: 200,
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
});

const many = { params: { path: { org_id: "org-many" } } };

describe("paginate", () => {
  test("walks every page of a query model, sending after=<end_cursor> each time", async () => {
    const ids: string[] = [];
    for await (const session of client.paginate(SESSIONS, { ...many, first: 100 })) ids.push(session.session_id);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    expect(server.requests).toHaveLength(10);
    expect(server.requests[0]?.query).toEqual({ first: "100" });
    // The cursor sent for page 2 is exactly the one page 1 ended with.
    const page1 = await client.GET(SESSIONS, { params: { ...many.params, query: { qs: { first: 100 } } } });
    expect(page1.kind).toBe("ok");
    const cursor = page1.kind === "ok" ? page1.data.end_cursor : undefined;
    expect(cursor).toMatch(/\S/);
    expect(server.requests[1]?.query).toEqual({ first: "100", after: cursor });
  });

  test("sends back exactly the end_cursor of the previous page, page after page", async () => {
    const cursors: (string | null | undefined)[] = [];
    for await (const page of client.listSecrets("org-many", { first: 200 }).pages()) cursors.push(page.end_cursor);
    expect(cursors).toHaveLength(5);
    expect(cursors[4]).toBeNull();
    expect(server.requests.map((r) => r.query.after)).toEqual([undefined, ...cursors.slice(0, 4)]);
    expect(new Set(cursors).size).toBe(5);
  });

  test("walks every page of top-level first/after by name", async () => {
    const ids: string[] = [];
    for await (const secret of client.listSecrets("org-many", { first: 100 })) ids.push(secret.secret_id);
    expect(new Set(ids).size).toBe(1000);
    expect(server.requests).toHaveLength(10);
    expect(server.requests[0]?.url).toBe("/v3/organizations/org-many/secrets?first=100");
    expect(server.requests[1]?.url).toMatch(/^\/v3\/organizations\/org-many\/secrets\?first=100&after=[\w-]+$/);
  });

  test("stops fetching as soon as the loop breaks", async () => {
    let seen = 0;
    for await (const _ of client.listSessions("org-many", { first: 10 })) {
      if (++seen === 15) break;
    }
    expect(server.requests).toHaveLength(2);
  });

  test("yields whole pages from pages()", async () => {
    const sizes: number[] = [];
    for await (const page of client.listSessions("org-many", { first: 200 }).pages()) {
      sizes.push(page.items.length);
    }
    expect(sizes).toEqual([200, 200, 200, 200, 200]);
  });

  test("maxItems stops after that many items without fetching further pages", async () => {
    const items = await client.listSessions("org-many", { first: 50, maxItems: 120 }).toArray(1000);
    expect(items).toHaveLength(120);
    expect(server.requests).toHaveLength(3);
  });

  test("pages() stops after the page that reaches maxItems", async () => {
    const sizes: number[] = [];
    for await (const page of client.listSessions("org-many", { first: 50, maxItems: 120 }).pages()) {
      sizes.push(page.items.length);
    }
    expect(sizes).toEqual([50, 50, 50]);
    expect(server.requests).toHaveLength(3);
  });

  test("pages() fetches no page after the one that reaches maxItems exactly", async () => {
    const sizes: number[] = [];
    for await (const page of client.listSessions("org-many", { first: 50, maxItems: 100 }).pages()) {
      sizes.push(page.items.length);
    }
    expect(sizes).toEqual([50, 50]);
    expect(server.requests).toHaveLength(2);
  });

  test("maxPages stops after that many pages", async () => {
    const items = await client.paginate(SECRETS, { ...many, first: 50, maxPages: 2 }).toArray(1000);
    expect(items).toHaveLength(100);
    expect(server.requests).toHaveLength(2);
  });

  test("toArray(limit) collects at most limit items", async () => {
    expect(await client.listSecrets("org-many", { first: 25 }).toArray(30)).toHaveLength(30);
    expect(server.requests).toHaveLength(2);
    expect(await client.paginate(SESSIONS, { ...many }).toArray(0)).toEqual([]);
  });

  test("an empty list yields nothing after one request", async () => {
    const items = await client.listSessions("org-empty").toArray(10);
    expect(items).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  test("listSessions passes the status and tag filters of its query model on every page", async () => {
    const found = await client.listSessions("org-alpha", { status: "running", tags: ["ci", "nightly"], first: 1 });
    const ids = (await found.toArray(100)).map((s) => s.session_id);
    expect(ids).toEqual(["session-alpha-4", "session-alpha-6"]);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/v3/organizations/org-alpha/sessions?status=running&tags=ci&tags=nightly&first=1",
      expect.stringMatching(
        /^\/v3\/organizations\/org-alpha\/sessions\?status=running&tags=ci&tags=nightly&first=1&after=[\w-]+$/,
      ),
    ]);
  });

  test("listSecrets passes the type filter", async () => {
    const cookies = await client.listSecrets("org-alpha", { type: "cookie" }).toArray(100);
    expect(cookies.map((s) => s.secret_id)).toEqual(["secret-alpha-2", "secret-alpha-5"]);
  });

  test("retries a failed page and carries on", async () => {
    server.addFault({ fault: { kind: "status503" }, pathIncludes: "after=" });
    const items = await client.listSessions("org-many", { first: 200 }).toArray(1000);
    expect(items).toHaveLength(1000);
    expect(server.requests).toHaveLength(6);
  });

  test("throws DevinApiError from the loop when a page fails", async () => {
    const error = await client
      .listSessions("org-ghost")
      .toArray(10)
      .catch((e: unknown) => e);
    expect(isDevinApiError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "not_found", status: 404, method: "GET", path: SESSIONS });
  });

  test("rejects a bad page size before any request", async () => {
    const error = await client
      .paginate(SESSIONS, { ...many, first: 0 })
      .toArray(10)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevinApiError);
    expect(error).toMatchObject({ kind: "invalid_input" });
    expect(server.requests).toHaveLength(0);
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
    const tiny = await tinyServer((_req, res, hit) => {
      // First page is fine (cursor "same"); every later page is the broken one.
      json(res, 200, hit === 1 ? { items: [0], has_next_page: true, end_cursor: "same" } : page);
    });
    const local = createFixtureClient({ baseUrl: tiny.url, token: "cog_x" });
    const error = await local
      .paginate(SESSIONS, { params: { path: { org_id: "org-x" } } })
      .toArray(1000)
      .catch((e: unknown) => e);
    const hits = tiny.hits();
    await tiny.close();
    expect(error).toMatchObject({
      name: "DevinApiError",
      kind: "pagination",
      requestId: "req_tiny",
      result: { reason },
    });
    expect(hits).toBe(2);
  });

  test("ends the walk on a last page that omits has_next_page (its default is false)", async () => {
    const tiny = await tinyServer((_req, res) => json(res, 200, { items: [{ session_id: "s" }] }));
    const local = createFixtureClient({ baseUrl: tiny.url, token: "cog_x" });
    const pages = [];
    for await (const page of local.listSessions("org-x").pages()) pages.push(page);
    const hits = tiny.hits();
    await tiny.close();
    expect(pages).toEqual([{ items: [{ session_id: "s" }] }]);
    expect(pages[0]?.has_next_page).toBeUndefined();
    expect(hits).toBe(1);
  });
});

describe("what a broken page is said to be", () => {
  test.each([
    ["a JSON string", "hello", "returned a broken page: the body is a string, not a page object"],
    ["an array", [], "returned a broken page: the body is an array, not a page object"],
    ["a page without items", { has_next_page: false }, "returned a broken page: the page has no `items` array"],
    ["items that are not an array", { items: {} }, "returned a broken page: `items` is an object, not an array"],
    [
      "a next page with an empty cursor",
      { items: [1], has_next_page: true, end_cursor: "" },
      "returned a broken page: `has_next_page` is true but `end_cursor` is empty",
    ],
    [
      "a next page without a cursor",
      { items: [1], has_next_page: true },
      "returned a broken page: `has_next_page` is true but `end_cursor` is missing",
    ],
    [
      "a next page with a numeric cursor",
      { items: [1], has_next_page: true, end_cursor: 7 },
      "returned a broken page: `has_next_page` is true but `end_cursor` is a number, not a string",
    ],
  ])("%s", async (_name, page, what) => {
    const tiny = await tinyServer((_req, res) => json(res, 200, page));
    const local = createFixtureClient({ baseUrl: tiny.url, token: "cog_x", retry: false });
    const error = await local
      .listSessions("org-x")
      .toArray(10)
      .catch((e: unknown) => e);
    await tiny.close();
    expect((error as Error).message).toMatch(
      new RegExp(
        `^GET /v3/organizations/\\{org_id\\}/sessions ${what.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(request id req_tiny\\); `,
      ),
    );
  });
});

describe("paginator options are checked before any request", () => {
  test.each([
    [{ first: 1.5 }, "first", "`first` (page size) must be an integer >= 1"],
    [{ maxEmptyPages: 0 }, "maxEmptyPages", "`maxEmptyPages` must be an integer >= 1, or Infinity"],
    [{ maxEmptyPages: 2.5 }, "maxEmptyPages", "`maxEmptyPages` must be an integer >= 1, or Infinity"],
  ])("%j is refused, naming %s", async (options, param, what) => {
    let calls = 0;
    const pages = paginator(async () => {
      calls++;
      return { kind: "ok" } as never;
    }, options);
    await expect(pages.pages().next()).rejects.toMatchObject({
      kind: "invalid_input",
      result: { param, method: "GET", path: "", message: expect.stringContaining(`: ${what}; `) },
      // The default description of a paginator made without one: GET and an empty path.
      message: expect.stringMatching(/^GET {2}was not sent: /),
    });
    expect(calls).toBe(0);
  });

  test("`first` on an operation without a page size says so", async () => {
    const pages = paginator(async () => ({ kind: "ok" }) as never, { first: 5 }, { after: ["after"] });
    await expect(pages.pages().next()).rejects.toMatchObject({
      message: expect.stringContaining("the operation declares no page size (`first`)"),
    });
  });
});

describe("page size of an operation that declares none", () => {
  const index = {
    listPlain: { method: "get", path: "/plain", pathParams: [], query: ["after"], paginated: { after: ["after"] } },
  } as const satisfies OperationIndex;

  test("`first` is refused before anything is sent, by name and by path", async () => {
    const tiny = await tinyServer((_req, res) => json(res, 200, { items: [], has_next_page: false, end_cursor: null }));
    const plain = createApiClient<never, typeof index>({ baseUrl: tiny.url, operations: index });
    const byName = (plain.listPlain as (o: object) => AsyncIterable<unknown>)({ first: 5 });
    const byPath = (plain as unknown as { paginate(p: string, i: object): AsyncIterable<unknown> }).paginate("/plain", {
      first: 5,
    });
    for (const pages of [byName, byPath]) {
      await expect(pages[Symbol.asyncIterator]().next()).rejects.toMatchObject({
        kind: "invalid_input",
        result: { param: "first", attempts: 0 },
      });
    }
    // Without `first` the same operation pages as usual.
    for await (const _ of (plain.listPlain as () => AsyncIterable<unknown>)()) break;
    await tiny.close();
    expect(tiny.hits()).toBe(1);
  });
});
