import { getEventListeners } from "node:events";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createApiClient } from "../../src/core/client.ts";
import type { OperationIndex } from "../../src/core/operations.ts";
import { defaultClock, defaultRetry, parseRetryAfter, retryDelay, shouldRetry } from "../../src/core/retry.ts";
import {
  createFixtureClient,
  dropFirstResponse,
  FIXED_NOW,
  fixtureClient,
  instantClock,
  SECRET,
  SESSIONS,
  tinyServer,
} from "./helpers.ts";

const { server, client, sleeps } = await fixtureClient();
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
  sleeps.length = 0;
});

const alpha = { path: { org_id: "org-alpha" } };

describe("retries of safe methods", () => {
  test.each([
    ["429", { kind: "status429" }],
    ["503", { kind: "status503" }],
    ["an HTML 502", { kind: "html502" }],
    ["a connection reset", { kind: "reset" }],
    ["a truncated body", { kind: "truncated" }],
  ] as const)("retries a GET after %s and succeeds", async (_name, fault) => {
    server.addFault({ fault, times: 2 });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "ok", attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  test("gives up after maxRetries and returns the last failure", async () => {
    server.addFault({ fault: { kind: "status503" }, times: Number.POSITIVE_INFINITY });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status: 503, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  test("never retries a 500 or a 4xx", async () => {
    server.addFault({ fault: { kind: "status500" } });
    expect((await client.GET(SESSIONS, { params: alpha })).kind).toBe("server_error");
    const missing = await client.GET(SESSIONS, { params: { path: { org_id: "org-ghost" } } });
    expect(missing.kind).toBe("not_found");
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  test("honours Retry-After in seconds", async () => {
    server.addFault({ fault: { kind: "status429", retryAfter: "3" } });
    expect((await client.GET(SESSIONS, { params: alpha })).kind).toBe("ok");
    expect(sleeps).toEqual([3000]);
  });

  test("honours Retry-After as an HTTP date", async () => {
    server.addFault({ fault: { kind: "status429", retryAfter: new Date(FIXED_NOW + 4000).toUTCString() } });
    expect((await client.GET(SESSIONS, { params: alpha })).kind).toBe("ok");
    expect(sleeps).toEqual([4000]);
  });

  test("does not retry when Retry-After is beyond the cap and reports the wait", async () => {
    server.addFault({ fault: { kind: "status429", retryAfter: "3600" } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "rate_limited", retryAfterMs: 3_600_000, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  test("retries timeouts a bounded number of times", async () => {
    // The server stalls every request for a minute (until it closes): each attempt can only
    // end by its timeout, and 200 ms leaves each request time to reach the server first.
    server.addFault({ fault: { kind: "latency", ms: 60_000 }, times: Number.POSITIVE_INFINITY });
    const result = await client.GET(SESSIONS, { params: alpha, timeout: 200 });
    expect(result).toMatchObject({ kind: "timeout", timeoutMs: 200, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  test("never retries a caller abort, a deadline's (TimeoutError) included", async () => {
    server.addFault({ fault: { kind: "latency", ms: 60_000 }, times: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const pending = client.GET(SESSIONS, { params: alpha, signal: controller.signal });
    // Aborted once the request is at the server, as `AbortSignal.timeout` would abort it.
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new DOMException("deadline passed", "TimeoutError"));
    expect(await pending).toMatchObject({ kind: "aborted", attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test("stops waiting when the caller aborts during backoff", async () => {
    const controller = new AbortController();
    const abortingClient = createFixtureClient({
      baseUrl: server.url,
      token: server.token,
      clock: { ...instantClock().clock, sleep: async () => controller.abort() },
    });
    server.addFault({ fault: { kind: "status503" }, times: 5 });
    const result = await abortingClient.GET(SESSIONS, { params: alpha, signal: controller.signal });
    expect(result).toMatchObject({ kind: "aborted", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  test("applies per-call overrides over the client policy", async () => {
    server.addFault({ fault: { kind: "status503" }, times: Number.POSITIVE_INFINITY });
    expect(await client.GET(SESSIONS, { params: alpha, retry: { maxRetries: 5 } })).toMatchObject({ attempts: 6 });
    expect(await client.GET(SESSIONS, { params: alpha, retry: false })).toMatchObject({ attempts: 1 });
  });
});

describe("retries of DELETE", () => {
  const remove = { params: { path: { org_id: "org-alpha", secret_id: "secret-alpha-1" } } };

  test("does not retry DELETE by default", async () => {
    server.addFault({ fault: { kind: "status503" } });
    const result = await client.DELETE(SECRET, remove);
    expect(result).toMatchObject({ kind: "server_error", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  test("retries a DELETE that opts in, and succeeds", async () => {
    server.addFault({ fault: { kind: "status503" } });
    const result = await client.deleteSecret("org-alpha", "secret-alpha-2", { retry: { methods: ["DELETE"] } });
    expect(result).toMatchObject({ kind: "ok", attempts: 2, data: { secret_id: "secret-alpha-2" } });
    expect(sleeps).toEqual([500]);
  });

  test("keeps what the server says after a lost response when the DELETE declares no 409", async () => {
    // The first attempt deletes the secret but its response is lost (a proxy reset after the
    // server answered); the retry finds nothing. Without a declared 409 there is no
    // `already_revoked`: the 404 is reported as it is.
    const dropFirst = dropFirstResponse();
    client.use(dropFirst);
    const result = await client.deleteSecret("org-alpha", "secret-alpha-3", { retry: { methods: ["DELETE"] } });
    client.eject(dropFirst);
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(result).toMatchObject({ kind: "not_found", status: 404, attempts: 2 });
  });
});

describe("the policy functions", () => {
  test.each([
    ["GET 503", { kind: "server_error", status: 503 }, "GET", 1, true],
    ["GET 500", { kind: "server_error", status: 500 }, "GET", 1, false],
    ["GET 504", { kind: "server_error", status: 504 }, "GET", 1, true],
    ["GET 404", { kind: "not_found", status: 404 }, "GET", 1, false],
    ["GET network", { kind: "network", status: undefined }, "GET", 1, true],
    ["GET timeout", { kind: "timeout", status: undefined }, "GET", 2, true],
    ["GET aborted", { kind: "aborted", status: undefined }, "GET", 1, false],
    ["GET after the last retry", { kind: "network", status: undefined }, "GET", 3, false],
    ["DELETE 503", { kind: "server_error", status: 503 }, "DELETE", 1, false],
    ["POST network", { kind: "network", status: undefined }, "POST", 1, false],
    ["HEAD 503", { kind: "server_error", status: 503 }, "HEAD", 1, true],
    ["OPTIONS 503", { kind: "server_error", status: 503 }, "OPTIONS", 1, true],
    [
      "a 429 asking for exactly maxRetryAfter",
      { kind: "rate_limited", status: 429, retryAfterMs: 60_000 },
      "GET",
      1,
      true,
    ],
    ["a 429 asking for 1 ms more", { kind: "rate_limited", status: 429, retryAfterMs: 60_001 }, "GET", 1, false],
    ["a network failure certain to repeat", { kind: "network", status: undefined, final: true }, "GET", 1, false],
  ] as const)("shouldRetry: %s", (_name, outcome, method, attempt, want) => {
    expect(shouldRetry(outcome, method, attempt, defaultRetry)).toBe(want);
  });

  test.each([
    ["an undeclared status the policy lists", { reason: "undeclared_status" }, true],
    ["a body over maxResponseBytes", { reason: "too_large" }, false],
    ["a redirect", { reason: "redirect" }, false],
  ] as const)("shouldRetry: an `unexpected` 307 under a policy that lists 307: %s", (_name, { reason }, want) => {
    const policy = { ...defaultRetry, statuses: [307] };
    expect(shouldRetry({ kind: "unexpected", status: 307, reason }, "GET", 1, policy)).toBe(want);
  });

  test("backs off exponentially up to maxDelay with up to 25% jitter", () => {
    const outcome = { kind: "network", status: undefined };
    const delays = [1, 2, 3, 4, 5, 6].map((n) => retryDelay(outcome, n, defaultRetry, () => 0));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryDelay(outcome, 1, defaultRetry, () => 0.999)).toBe(375);
  });

  test.each([
    ["seconds", "120", 120_000],
    ["zero", "0", 0],
    ["an HTTP date", new Date(FIXED_NOW + 5000).toUTCString(), 5000],
    ["a past date", new Date(FIXED_NOW - 5000).toUTCString(), 0],
    ["garbage", "soon", undefined],
    ["an RFC 850 date", "Thursday, 01-Jan-26 00:00:05 GMT", 5000],
    ["an asctime date", "Thu Jan  1 00:00:05 2026", 5000],
    ["a negative number", "-5", undefined],
    ["a fraction", "1.5", undefined],
    ["a list", "1, 2", undefined],
    ["absent", null, undefined],
    ["seconds with surrounding whitespace", " 120 ", 120_000],
    ["an HTTP date with surrounding whitespace", ` ${new Date(FIXED_NOW + 5000).toUTCString()}\t`, 5000],
  ])("parseRetryAfter reads %s", (_name, value, want) => {
    expect(parseRetryAfter(value, FIXED_NOW)).toBe(want);
  });

  test("the default clock's sleep resolves after the wait and leaves no listener on the signal", async () => {
    const controller = new AbortController();
    await defaultClock.sleep(1);
    await defaultClock.sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });

  test("the default clock's sleep ends early when the signal aborts, and lets go of the signal", async () => {
    const controller = new AbortController();
    // A minute: only the abort can end this wait within the test's time.
    const sleeping = defaultClock.sleep(60_000, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    await sleeping;
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });
});

describe("already_revoked: a 409 on a retried DELETE that declares 409", () => {
  const index = {
    removeThing: { method: "delete", path: "/things/{id}", pathParams: ["id"], query: [], conflictMeansDone: true },
    dropThing: { method: "delete", path: "/other/{id}", pathParams: ["id"], query: [] },
  } as const satisfies OperationIndex;

  /** A server answering the given statuses in turn (409s with a problem body), and a client that retries DELETE. */
  async function scenario(statuses: number[], lose = false) {
    const server = await tinyServer((_req, res, hit) => {
      const status = statuses[hit - 1] ?? 500;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? {} : { detail: `status ${status}` }));
    });
    const client = createApiClient<never, typeof index>({
      baseUrl: server.url,
      operations: index,
      clock: instantClock().clock,
      retry: { methods: ["DELETE"], statuses: [429, 502, 503, 504] },
      ...(lose && { middleware: [dropFirstResponse()] }),
    });
    return { server, client };
  }

  test.each([
    ["a lost response (the server acted, the answer never arrived)", [200, 409], true, "already_revoked"],
    ["a 504 from a gateway (the upstream may have acted)", [504, 409], false, "already_revoked"],
    ["a 502 from a gateway (the upstream may have acted)", [502, 409], false, "already_revoked"],
    ["a 503 (the server did not act)", [503, 409], false, "conflict"],
    ["a 429 (the server did not act)", [429, 409], false, "conflict"],
    ["no earlier attempt", [409], false, "conflict"],
  ] as const)("after %s: %s", async (_name, statuses, lose, kind) => {
    const { server, client } = await scenario([...statuses], lose);
    const result = await (client.removeThing as (id: string) => Promise<{ kind: string; attempts: number }>)("t1");
    await server.close();
    expect(result).toMatchObject({ kind, attempts: statuses.length });
    expect(server.hits()).toBe(statuses.length);
  });

  test("a DELETE that does not declare 409 keeps it a conflict, even after a lost response", async () => {
    const { server, client } = await scenario([200, 409], true);
    const result = await (client.dropThing as (id: string) => Promise<{ kind: string }>)("t1");
    await server.close();
    expect(result).toMatchObject({ kind: "conflict", attempts: 2 });
  });

  test("through the path-based DELETE it stays a conflict", async () => {
    const { server, client } = await scenario([504, 409]);
    const result = await (client as unknown as { DELETE(p: string, i: object): Promise<{ kind: string }> }).DELETE(
      "/things/{id}",
      { params: { path: { id: "t1" } } },
    );
    await server.close();
    expect(result).toMatchObject({ kind: "conflict", attempts: 2 });
  });
});
