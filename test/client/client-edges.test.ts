/**
 * src/core/client.ts at its edges, over real HTTP on 127.0.0.1: body limits exactly at the
 * limit, bodies that arrive in several chunks, option validation, the path-based methods,
 * what a call passes on to middleware, and when a 409 after an unknown outcome means done.
 * Found by mutation testing (docs/mutation-testing.md): each test pins a behaviour that a
 * small change of the code left unnoticed before.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, describe, expect, test } from "vitest";
import { createApiClient } from "../../src/core/client.ts";
import type { OperationIndex } from "../../src/core/operations.ts";
import type { AnyResult } from "../../src/index.ts";
import { createFixtureClient, instantClock, SESSIONS, tinyServer } from "./helpers.ts";

const servers: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
async function serve(handler: Handler) {
  const server = await tinyServer(handler);
  servers.push(server);
  return server;
}

/** Records each request's method, URL and headers, and answers 200 `{}` (or what `answer` says). */
async function recorder(answer?: Handler) {
  const seen: { method: string; url: string; headers: IncomingMessage["headers"] }[] = [];
  const server = await serve((req, res, hit) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (answer) return answer(req, res, hit);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(req.method === "HEAD" ? undefined : "{}");
  });
  return { server, seen };
}

/** An untyped view of a client: every call by method name and path. */
type Untyped = Record<string, (path: string, init?: object) => Promise<AnyResult>>;
const untyped = (client: unknown) => client as Untyped;
const alpha = { params: { path: { org_id: "org-alpha" } } };

describe("response bodies at the limit", () => {
  const body = JSON.stringify({ items: [], has_next_page: false, pad: "x".repeat(50) });

  test.each([
    ["with Content-Length", true],
    ["streamed without Content-Length", false],
  ])("a 200 body of exactly maxResponseBytes is read (%s)", async (_, withLength) => {
    const { server } = await recorder((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", ...(withLength && { "content-length": body.length }) });
      res.end(body);
    });
    const client = createFixtureClient({ baseUrl: server.url, retry: false });
    expect(await client.GET(SESSIONS, { ...alpha, maxResponseBytes: body.length })).toMatchObject({ kind: "ok" });
    expect(await client.GET(SESSIONS, { ...alpha, maxResponseBytes: body.length - 1 })).toMatchObject({
      kind: "unexpected",
      reason: "too_large",
    });
  });

  test.each([
    ["with Content-Length", true],
    ["streamed without Content-Length", false],
  ])("an error body of exactly maxResponseBytes is read (%s)", async (_, withLength) => {
    const problem = JSON.stringify({ detail: `gone ${"y".repeat(40)}` });
    const { server } = await recorder((_req, res) => {
      res.writeHead(404, {
        "content-type": "application/json",
        ...(withLength && { "content-length": problem.length }),
      });
      res.end(problem);
    });
    const client = createFixtureClient({ baseUrl: server.url, retry: false });
    expect(await client.GET(SESSIONS, { ...alpha, maxResponseBytes: problem.length })).toMatchObject({
      kind: "not_found",
    });
    expect(await client.GET(SESSIONS, { ...alpha, maxResponseBytes: problem.length - 1 })).toMatchObject({
      kind: "unexpected",
      reason: "too_large",
    });
  });

  test("a body that arrives in many chunks is read whole, a character split between them too", async () => {
    // 300 kB without Content-Length: more than one read of the stream, whatever the chunking.
    const items = Array.from({ length: 3000 }, (_, i) => `ä${i}${"x".repeat(97)}`);
    const { server } = await recorder((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const text = JSON.stringify({ items, has_next_page: false });
      const bytes = Buffer.from(text);
      // Cut inside the two bytes of an "ä".
      const cut = bytes.indexOf(Buffer.from("ä")) + 1;
      res.write(bytes.subarray(0, cut));
      res.end(bytes.subarray(cut));
    });
    const client = createFixtureClient({ baseUrl: server.url, retry: false });
    const result = await client.GET(SESSIONS, alpha);
    expect(result).toMatchObject({ kind: "ok", data: { items, has_next_page: false } });
  });

  test("a 204 is ok with no data", async () => {
    const { server } = await recorder((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const client = createFixtureClient({ baseUrl: server.url, retry: false });
    expect(await client.GET(SESSIONS, alpha)).toMatchObject({ kind: "ok", status: 204, data: undefined });
  });

  test("a response without a body from middleware is an empty body, not a failure to send", async () => {
    const client = createFixtureClient({
      retry: false,
      middleware: [{ onRequest: () => new Response(null, { status: 200 }) }],
    });
    expect(await client.GET(SESSIONS, alpha)).toMatchObject({ kind: "unexpected", reason: "empty_body", status: 200 });
  });
});

describe("limits are validated", () => {
  test.each<[string, Record<string, unknown>, string]>([
    ["a negative timeout", { timeout: -1 }, "`timeout` must be milliseconds >= 0, not -1"],
    ["a timeout as a string", { timeout: "5" }, "`timeout` must be milliseconds >= 0, not 5"],
    ["a NaN timeout", { timeout: Number.NaN }, "`timeout` must be milliseconds >= 0, not NaN"],
    [
      "a timeout past setTimeout's range",
      { timeout: 2_147_483_648 },
      "`timeout` must be milliseconds >= 0, not 2147483648",
    ],
    ["a zero maxResponseBytes", { maxResponseBytes: 0 }, "`maxResponseBytes` must be a byte count >= 1, not 0"],
    [
      "a fractional maxResponseBytes below 1",
      { maxResponseBytes: 0.5 },
      "`maxResponseBytes` must be a byte count >= 1, not 0.5",
    ],
    [
      "a NaN maxResponseBytes",
      { maxResponseBytes: Number.NaN },
      "`maxResponseBytes` must be a byte count >= 1, not NaN",
    ],
  ])("createApiClient refuses %s", (_, options, message) => {
    expect(() => createApiClient({ baseUrl: "http://127.0.0.1:9", ...options })).toThrow(
      new TypeError(`createApiClient: ${message}`),
    );
  });

  test.each<[string, Record<string, unknown>, string, string]>([
    ["a negative timeout", { timeout: -5 }, "timeout", "`timeout` must be milliseconds >= 0, not -5"],
    [
      "a zero maxResponseBytes",
      { maxResponseBytes: 0 },
      "maxResponseBytes",
      "`maxResponseBytes` must be a byte count >= 1, not 0",
    ],
  ])("a call with %s is invalid_input naming it", async (_, options, param, what) => {
    const client = createFixtureClient({ retry: false });
    const result = await client.GET(SESSIONS, { ...alpha, ...options });
    expect(result).toMatchObject({ kind: "invalid_input", param, attempts: 0 });
    expect((result as { message: string }).message).toContain(what);
  });

  test("accepts the largest timeout setTimeout takes, a byte limit of 1, and Infinity", () => {
    expect(() =>
      createApiClient({ baseUrl: "http://127.0.0.1:9", timeout: 2_147_483_647, maxResponseBytes: 1 }),
    ).not.toThrow();
    expect(() =>
      createApiClient({ baseUrl: "http://127.0.0.1:9", maxResponseBytes: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
  });

  test("requireToken without a token says where one comes from", () => {
    expect(() => createApiClient({ baseUrl: "http://127.0.0.1:9", requireToken: true })).toThrow(
      new TypeError("No API token: pass `token`"),
    );
  });
});

describe("what is sent", () => {
  test.each(["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"])("%s sends that method", async (method) => {
    const { server, seen } = await recorder();
    const client = createApiClient<never>({ baseUrl: server.url, retry: false });
    const result = await untyped(client)[method]?.("/things");
    expect(result?.kind).toBe("ok");
    expect(seen.map((r) => r.method)).toEqual([method]);
  });

  test("asks for JSON, sends no Authorization without a token, and strips every trailing slash of baseUrl", async () => {
    const { server, seen } = await recorder();
    const client = createApiClient<never>({ baseUrl: `${server.url}///`, retry: false });
    await untyped(client).GET?.("/things");
    expect(seen[0]?.url).toBe("/things");
    expect(seen[0]?.headers.accept).toBe("application/json");
    expect(seen[0]?.headers).not.toHaveProperty("authorization");
  });

  test("an Authorization header set to undefined is no Authorization header: the token is sent", async () => {
    const { server, seen } = await recorder();
    const client = createApiClient<never>({ baseUrl: server.url, token: "cog_t", retry: false });
    const result = await untyped(client).GET?.("/things", { headers: { Authorization: undefined } });
    expect(result?.kind).toBe("ok");
    expect(seen[0]?.headers.authorization).toBe("Bearer cog_t");
  });

  test("refuses a per-call Authorization header, saying where it comes from", async () => {
    const client = createApiClient<never>({ baseUrl: "http://127.0.0.1:9", token: "cog_t" });
    const result = await untyped(client).GET?.("/things", { headers: { authorization: "Bearer x" } });
    expect(result).toMatchObject({ kind: "invalid_input", param: "headers.authorization" });
    expect((result as { message: string }).message).toContain(
      "`Authorization` comes from the client's `token`; create another client for another token",
    );
  });

  test.each([
    ["a line break", { "x-note": "a\r\nb" }],
    ["a non-Latin-1 character", { "x-note": "ü€" }],
    ["an invalid name", { "x note": "a" }],
  ])("refuses per-call headers with %s before sending", async (_, headers) => {
    const { server, seen } = await recorder();
    const client = createApiClient<never>({ baseUrl: server.url, retry: false });
    const result = await untyped(client).GET?.("/things", { headers });
    expect(result).toMatchObject({ kind: "invalid_input", param: "headers", attempts: 0 });
    expect((result as { message: string }).message).toContain(
      "`headers` holds an invalid header name or value (a line break, a non-Latin-1 character)",
    );
    expect(seen).toEqual([]);
  });

  test.each([
    ["missing", {}],
    ["null", { id: null }],
  ])("a %s path parameter is refused by name", async (_, pathParams) => {
    const client = createApiClient<never>({ baseUrl: "http://127.0.0.1:9" });
    for (const init of [{ params: { path: pathParams } }, { params: {} }]) {
      const result = await untyped(client).GET?.("/things/{id}", init);
      expect(result).toMatchObject({ kind: "invalid_input", param: "id" });
      expect((result as { message: string }).message).toContain("path parameter `id` is missing");
    }
  });

  test("middleware sees the path and query parameters the call passed", async () => {
    const { server } = await recorder();
    const params: unknown[] = [];
    const client = createApiClient<never>({
      baseUrl: server.url,
      retry: false,
      middleware: [{ onRequest: ({ params: p }) => void params.push(p) }],
    });
    await untyped(client).GET?.("/things/{id}", { params: { path: { id: "1" }, query: { a: "b" } } });
    await untyped(client).GET?.("/things");
    expect(params).toEqual([
      { path: { id: "1" }, query: { a: "b" }, header: {} },
      { path: {}, query: {}, header: {} },
    ]);
  });

  test("a body too deep to serialise is invalid_input (param `request`) and nothing is sent", async () => {
    const { server, seen } = await recorder();
    const client = createApiClient<never>({ baseUrl: server.url, retry: false, timeout: 0 });
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { deep };
    const result = await untyped(client).POST?.("/things", { body: deep });
    expect(result).toMatchObject({ kind: "invalid_input", param: "request", attempts: 0 });
    expect((result as { message: string }).message).toMatch(
      /^POST \/things was not sent: the request could not be built \(RangeError: Maximum call stack size exceeded\)/,
    );
    expect(seen).toEqual([]);
  });

  test("any other error before the request leaves is a network failure, also without a timeout", async () => {
    const client = createApiClient<never>({
      baseUrl: "http://127.0.0.1:9",
      retry: false,
      timeout: 0,
      middleware: [
        {
          onRequest: () => {
            throw new Error("proxy configuration missing");
          },
        },
      ],
    });
    expect(await untyped(client).GET?.("/things")).toMatchObject({
      kind: "network",
      message: expect.stringContaining("proxy configuration missing"),
    });
  });

  test("an ok result is never retried, even under a policy that lists its status", async () => {
    const { server, seen } = await recorder();
    const client = createApiClient<never>({
      baseUrl: server.url,
      clock: instantClock().clock,
      retry: { statuses: [200] },
    });
    expect(await untyped(client).GET?.("/things")).toMatchObject({ kind: "ok", attempts: 1 });
    expect(seen).toHaveLength(1);
  });
});

describe("pagination by path", () => {
  test("pages a path the client has no index entry for, with top-level first and after", async () => {
    const { server, seen } = await recorder((_req, res, hit) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ items: [hit], has_next_page: hit === 1, end_cursor: hit === 1 ? "c1" : null }));
    });
    const client = createApiClient<never>({ baseUrl: server.url, retry: false });
    const paginate = (client as unknown as { paginate(p: string, i: object): AsyncIterable<number> }).paginate;
    const items: number[] = [];
    for await (const item of paginate("/list", { first: 2 })) items.push(item);
    expect(items).toEqual([1, 2]);
    expect(seen.map((r) => r.url)).toEqual(["/list?first=2", "/list?first=2&after=c1"]);
  });

  test("a bad page size by path is refused naming the method and the path", async () => {
    const client = createFixtureClient();
    await expect(client.paginate(SESSIONS, { ...alpha, first: 0 }).toArray(1)).rejects.toMatchObject({
      kind: "invalid_input",
      message: expect.stringMatching(/^GET \/v3\/organizations\/\{org_id\}\/sessions was not sent: `first`/),
    });
  });
});

describe("a DELETE that declares 409", () => {
  const index = {
    removeThing: { method: "delete", path: "/things/{id}", pathParams: ["id"], query: [], conflictMeansDone: true },
  } as const satisfies OperationIndex;

  /** A client whose DELETE retries, against a server answering `statuses` in turn (0: stall). */
  async function scenario(statuses: number[], options: { timeout?: number; middleware?: object[] } = {}) {
    const server = await serve((_req, res, hit) => {
      const status = statuses[hit - 1] ?? 500;
      if (status === 0) return; // stalls until the client's timeout ends the attempt
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: `status ${status}` }));
    });
    const client = createApiClient<never, typeof index>({
      baseUrl: server.url,
      operations: index,
      clock: instantClock().clock,
      retry: { methods: ["DELETE"], statuses: [429, 500, 502, 503, 504] },
      ...(options.timeout !== undefined && { timeout: options.timeout }),
      ...(options.middleware && { middleware: options.middleware as never }),
    });
    return (client.removeThing as (id: string) => Promise<{ kind: string; attempts: number }>)("t1");
  }

  test("after a timeout (the server may have acted), a 409 is already_revoked", async () => {
    expect(await scenario([0, 409], { timeout: 200 })).toMatchObject({ kind: "already_revoked", attempts: 2 });
  });

  test("after a connection error that says nothing was sent (ECONNREFUSED), a 409 stays a conflict", async () => {
    let first = true;
    const refuse = {
      onResponse: () => {
        if (first) {
          first = false;
          throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
        }
      },
    };
    expect(await scenario([200, 409], { middleware: [refuse] })).toMatchObject({ kind: "conflict", attempts: 2 });
  });

  test("after a 502, another failure than 409 is reported as it is", async () => {
    expect(await scenario([502, 404])).toMatchObject({ kind: "not_found", attempts: 2 });
  });
});

describe("named methods pass their options on", () => {
  const index = {
    listPlain: { method: "get", path: "/plain", pathParams: [], query: ["after"], paginated: { after: ["after"] } },
    search: { method: "get", path: "/search", pathParams: [], query: ["q", "first"], queryModel: "filter" },
    flat: { method: "get", path: "/flat", pathParams: [], query: ["q"] },
  } as const satisfies OperationIndex;
  type Method = (options?: object) => Promise<AnyResult>;

  async function client() {
    const { server, seen } = await recorder((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ items: [], has_next_page: false }));
    });
    const api = createApiClient<never, typeof index>({ baseUrl: server.url, operations: index, retry: false });
    return { api: api as unknown as Record<keyof typeof index, Method>, seen };
  }

  test("`first` on a paginated method that declares no page size is an unknown option", async () => {
    const { api } = await client();
    const pages = (api.listPlain as unknown as (o: object) => AsyncIterable<unknown>)({ first: 5 });
    await expect(pages[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      kind: "invalid_input",
      message: expect.stringMatching(/^GET \/plain was not sent: `listPlain` takes no option `first`/),
    });
  });

  test("flat options go into the query model, merged over an explicit `query` for it", async () => {
    const { api, seen } = await client();
    await api.search?.({ q: "x", query: { filter: { first: 2, tag: "t" }, other: "o" } });
    await api.search?.({ first: 3, query: { filter: "not an object" } });
    expect(seen.map((r) => r.url)).toEqual(["/search?first=2&tag=t&q=x&other=o", "/search?first=3"]);
  });

  test("a paginated method without a page size still takes maxItems and maxPages", async () => {
    const { api, seen } = await client();
    const pages = (api.listPlain as unknown as (o: object) => { toArray(n: number): Promise<unknown[]> })({
      maxItems: 1,
      maxPages: 1,
    });
    expect(await pages.toArray(10)).toEqual([]);
    expect(seen.map((r) => r.url)).toEqual(["/plain"]);
  });

  test("without a query model, flat options and an explicit `query` are one query", async () => {
    const { api, seen } = await client();
    await api.flat?.({ q: "x", query: { extra: "1" } });
    expect(seen.map((r) => r.url)).toEqual(["/flat?extra=1&q=x"]);
  });

  test("`header` and `cookie` are sent as header and cookie parameters", async () => {
    const { api, seen } = await client();
    await api.flat?.({ header: { "x-trace": "t1" }, cookie: { session: "s1" } });
    await api.flat?.();
    expect([seen[0]?.headers["x-trace"], seen[0]?.headers.cookie]).toEqual(["t1", "session=s1"]);
    expect(seen[1]?.headers).not.toHaveProperty("cookie");
  });
});
