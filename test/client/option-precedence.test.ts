/**
 * Which value wins when the client and a call both set an option (README "Options"): a call's
 * `retry` is merged over the client's policy, its `headers` over the client's, its `timeout`
 * and `maxResponseBytes` replace the client's; `Authorization` only ever comes from the token;
 * an already-aborted `signal` sends nothing. Real HTTP against the fixture server.
 */
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import {
  createFixtureClient,
  type FixtureClientOptions,
  fixtureClient,
  instantClock,
  SESSIONS,
  tinyServer,
} from "./helpers.ts";

const { server, client: defaultClient } = await fixtureClient();
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
});

const alpha = { params: { path: { org_id: "org-alpha" } } };
const failEvery = (kind: "status500" | "status503") =>
  server.addFault({ fault: { kind }, times: Number.POSITIVE_INFINITY });

/** A client of the fixture server with these options and a clock that never waits. */
function clientWith(options: FixtureClientOptions) {
  return createFixtureClient({ baseUrl: server.url, token: server.token, clock: instantClock().clock, ...options });
}

describe("retry: a call's policy is merged over the client's", () => {
  test("keeps the client's statuses when a call only raises maxRetries", async () => {
    const client = clientWith({ retry: { statuses: [500], maxRetries: 1 } });
    failEvery("status500");
    expect(await client.GET(SESSIONS, { ...alpha, retry: { maxRetries: 3 } })).toMatchObject({
      kind: "server_error",
      status: 500,
      attempts: 4,
    });
    expect(server.requests).toHaveLength(4);
  });

  test("keeps the client's maxRetries when a call only changes the statuses", async () => {
    const client = clientWith({ retry: { maxRetries: 1 } });
    failEvery("status500");
    expect(await client.GET(SESSIONS, { ...alpha, retry: { statuses: [500] } })).toMatchObject({ attempts: 2 });
  });

  test("merges a call's policy over the defaults when the client disabled retries", async () => {
    const client = clientWith({ retry: false });
    failEvery("status503");
    expect(await client.GET(SESSIONS, alpha)).toMatchObject({ kind: "server_error", attempts: 1 });
    expect(await client.GET(SESSIONS, { ...alpha, retry: { maxRetries: 1 } })).toMatchObject({ attempts: 2 });
  });

  test("a call's `retry: false` turns off the client's policy", async () => {
    failEvery("status503");
    expect(await defaultClient.GET(SESSIONS, { ...alpha, retry: false })).toMatchObject({ attempts: 1 });
    expect(await defaultClient.GET(SESSIONS, alpha)).toMatchObject({ attempts: 3 });
  });
});

describe("headers", () => {
  test("a call's headers are merged over the client's, name by name", async () => {
    const client = clientWith({ headers: { "x-team": "platform", "x-client-only": "kept" } });
    await client.GET(SESSIONS, { ...alpha, headers: { "X-Team": "billing", "x-call-only": "added" } });
    expect(server.requests[0]?.headers).toMatchObject({
      "x-team": "billing",
      "x-client-only": "kept",
      "x-call-only": "added",
    });
  });

  test.each([
    ["an object", { Authorization: "Bearer cog_someone_else" }],
    ["a Headers object", new Headers({ authorization: "Bearer cog_someone_else" })],
  ])("an Authorization header in the client's headers (%s) is refused when there is a token", (_, headers) => {
    expect(() => clientWith({ headers })).toThrow(
      /^createApiClient: `headers` sets Authorization, which comes from `token` only/,
    );
  });

  test("without a token, the client's own Authorization header is what is sent", async () => {
    const client = createFixtureClient({ baseUrl: server.url, headers: { authorization: `Bearer ${server.token}` } });
    expect((await client.GET(SESSIONS, alpha)).kind).toBe("ok");
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${server.token}`);
  });

  test.each([
    ["an object", { Authorization: "Bearer cog_someone_else" }],
    ["a Headers object", new Headers({ authorization: "Bearer cog_someone_else" })],
    ["pairs", [["AUTHORIZATION", "Bearer cog_someone_else"]] as [string, string][]],
  ])("a call's Authorization header as %s is refused and nothing is sent", async (_, headers) => {
    const result = await defaultClient.GET(SESSIONS, { ...alpha, headers });
    expect(result).toMatchObject({ kind: "invalid_input", param: "headers.authorization", attempts: 0 });
    expect(server.requests).toEqual([]);
  });
});

describe("signal", () => {
  test("an already-aborted signal sends nothing: no fetch, no middleware, no attempt", async () => {
    let fetches = 0;
    let middleware = 0;
    const client = clientWith({
      fetch: (request) => {
        fetches++;
        return fetch(request);
      },
      middleware: [{ onRequest: () => void middleware++ }],
    });
    const controller = new AbortController();
    controller.abort(new Error("user left the page"));
    const result = await client.GET(SESSIONS, { ...alpha, signal: controller.signal });
    expect(result).toMatchObject({ kind: "aborted", attempts: 0, reason: new Error("user left the page") });
    expect([fetches, middleware, server.requests.length]).toEqual([0, 0, 0]);
  });

  test("a caller abort during an attempt is `aborted`, not a timeout, whatever the client's timeout", async () => {
    const client = clientWith({ timeout: 60_000 });
    server.addFault({ fault: { kind: "latency", ms: 60_000 } });
    const controller = new AbortController();
    // Aborted once the request has reached the server: no timing involved.
    const result = client.GET(SESSIONS, { ...alpha, signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await result).toMatchObject({ kind: "aborted", attempts: 1 });
  });
});

describe("timeout", () => {
  /** Timers alive right now in this thread (`Timeout` resources). */
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

  test("arms one timer per attempt by default (60 s), as an explicit timeout does; `0` arms none", async () => {
    // No network: the injected fetch answers at once, so only the client's own timer can differ.
    const seen: number[] = [];
    const client = clientWith({
      fetch: async () => {
        seen.push(timers());
        return Response.json({ items: [], has_next_page: false });
      },
    });
    await client.GET(SESSIONS, { ...alpha, timeout: 0 });
    await client.GET(SESSIONS, alpha);
    await client.GET(SESSIONS, { ...alpha, timeout: 60_000 });
    const [none, byDefault, explicit] = seen as [number, number, number];
    expect([byDefault - none, explicit - none]).toEqual([1, 1]);
  });

  test("a call's timeout replaces the client's: 0 turns a short client timeout off", async () => {
    // The server answers after 400 ms; the client's 150 ms timer would fire first.
    const client = clientWith({ timeout: 150, retry: false });
    server.addFault({ fault: { kind: "latency", ms: 400 } });
    expect(await client.GET(SESSIONS, { ...alpha, timeout: 0 })).toMatchObject({ kind: "ok" });
  });

  test("a call's timeout replaces the client's: a short one ends a stalled attempt", async () => {
    const client = clientWith({ timeout: 0, retry: false });
    server.addFault({ fault: { kind: "latency", ms: 60_000 } });
    expect(await client.GET(SESSIONS, { ...alpha, timeout: 200 })).toMatchObject({ kind: "timeout", timeoutMs: 200 });
  });
});

describe("maxResponseBytes", () => {
  test("a call's limit replaces the client's, both ways", async () => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ items: ["x".repeat(100)], has_next_page: false }));
    });
    const client = clientWith({ baseUrl: tiny.url, maxResponseBytes: 50, retry: false });
    const big = await client.GET(SESSIONS, { ...alpha, maxResponseBytes: 10_000 });
    const small = await client.GET(SESSIONS, alpha);
    await tiny.close();
    expect(big).toMatchObject({ kind: "ok" });
    expect(small).toMatchObject({ kind: "unexpected", reason: "too_large" });
  });
});
