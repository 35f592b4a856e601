import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createDevinClient, defaultRetry, parseRetryAfter, retryDelay, shouldRetry } from "../../src/index.ts";
import { FIXED_NOW, instantClock, LIST, REVOKE, sandboxClient } from "./helpers.ts";

const { sandbox, client, sleeps } = await sandboxClient();
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetRequests();
  sleeps.length = 0;
});

const alpha = { path: { service_user_id: "service-user-alpha" } };

describe("retries of safe methods", () => {
  test.each([
    ["429", { kind: "status429" }],
    ["503", { kind: "status503" }],
    ["an HTML 502", { kind: "html502" }],
    ["a connection reset", { kind: "reset" }],
    ["a truncated body", { kind: "truncated" }],
  ] as const)("retries a GET after %s and succeeds", async (_name, fault) => {
    sandbox.addFault({ fault, times: 2 });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "ok", attempts: 3 });
    expect(sandbox.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  test("gives up after maxRetries and returns the last failure", async () => {
    sandbox.addFault({ fault: { kind: "status503" }, times: Number.POSITIVE_INFINITY });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status: 503, attempts: 3 });
    expect(sandbox.requests).toHaveLength(3);
  });

  test("never retries a 500 or a 4xx", async () => {
    sandbox.addFault({ fault: { kind: "status500" } });
    expect((await client.GET(LIST, { params: alpha })).kind).toBe("server_error");
    const missing = await client.GET(LIST, { params: { path: { service_user_id: "service-user-ghost" } } });
    expect(missing.kind).toBe("not_found");
    expect(sandbox.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  test("honours Retry-After in seconds", async () => {
    sandbox.addFault({ fault: { kind: "status429", retryAfter: "3" } });
    expect((await client.GET(LIST, { params: alpha })).kind).toBe("ok");
    expect(sleeps).toEqual([3000]);
  });

  test("honours Retry-After as an HTTP date", async () => {
    sandbox.addFault({ fault: { kind: "status429", retryAfter: new Date(FIXED_NOW + 4000).toUTCString() } });
    expect((await client.GET(LIST, { params: alpha })).kind).toBe("ok");
    expect(sleeps).toEqual([4000]);
  });

  test("does not retry when Retry-After is beyond the cap and reports the wait", async () => {
    sandbox.addFault({ fault: { kind: "status429", retryAfter: "3600" } });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "rate_limited", retryAfterMs: 3_600_000, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  test("retries timeouts a bounded number of times", async () => {
    sandbox.addFault({ fault: { kind: "latency", ms: 300 }, times: Number.POSITIVE_INFINITY });
    const result = await client.GET(LIST, { params: alpha, timeout: 20 });
    expect(result).toMatchObject({ kind: "timeout", attempts: 3 });
    expect(sandbox.requests).toHaveLength(3);
  });

  test("never retries a caller abort", async () => {
    sandbox.addFault({ fault: { kind: "latency", ms: 300 }, times: Number.POSITIVE_INFINITY });
    const result = await client.GET(LIST, { params: alpha, signal: AbortSignal.timeout(20) });
    expect(result).toMatchObject({ kind: "aborted", attempts: 1 });
    expect(sandbox.requests).toHaveLength(1);
  });

  test("stops waiting when the caller aborts during backoff", async () => {
    const controller = new AbortController();
    const abortingClient = createDevinClient({
      baseUrl: sandbox.url,
      token: sandbox.token,
      clock: { ...instantClock().clock, sleep: async () => controller.abort() },
    });
    sandbox.addFault({ fault: { kind: "status503" }, times: 5 });
    const result = await abortingClient.GET(LIST, { params: alpha, signal: controller.signal });
    expect(result).toMatchObject({ kind: "aborted", attempts: 1 });
    expect(sandbox.requests).toHaveLength(1);
  });

  test("applies per-call overrides over the client policy", async () => {
    sandbox.addFault({ fault: { kind: "status503" }, times: Number.POSITIVE_INFINITY });
    expect(await client.GET(LIST, { params: alpha, retry: { maxRetries: 5 } })).toMatchObject({ attempts: 6 });
    expect(await client.GET(LIST, { params: alpha, retry: false })).toMatchObject({ attempts: 1 });
  });
});

describe("retries of DELETE", () => {
  const revoke = { params: { path: { service_user_id: "service-user-alpha", api_key_id: "key-alpha-active-1" } } };

  test("does not retry DELETE by default", async () => {
    sandbox.addFault({ fault: { kind: "status503" } });
    const result = await client.DELETE(REVOKE, revoke);
    expect(result).toMatchObject({ kind: "server_error", attempts: 1 });
    expect(sandbox.requests).toHaveLength(1);
  });

  test("reports already_revoked when an opted-in retry meets 409", async () => {
    // The first attempt reaches the server (which revokes the key) but its response is lost:
    // a middleware drops it, as a proxy reset after the server answered would.
    let dropped = 0;
    const dropFirst = {
      onResponse: () => {
        if (dropped++ === 0) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      },
    };
    client.use(dropFirst);
    const result = await client.revokeServiceUserApiKey("service-user-alpha", "key-alpha-active-1", {
      retry: { methods: ["DELETE"] },
    });
    client.eject(dropFirst);
    expect(sandbox.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(result).toMatchObject({ kind: "already_revoked", retried: true, status: 409, attempts: 2 });
  });

  test("keeps a first-attempt 409 as conflict, distinct from already_revoked", async () => {
    const result = await client.revokeServiceUserApiKey("service-user-alpha", "key-alpha-revoked-1", {
      retry: { methods: ["DELETE"] },
    });
    expect(result).toMatchObject({ kind: "conflict", attempts: 1 });
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
  ] as const)("shouldRetry: %s", (_name, outcome, method, attempt, want) => {
    expect(shouldRetry(outcome, method, attempt, defaultRetry)).toBe(want);
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
    ["absent", null, undefined],
  ])("parseRetryAfter reads %s", (_name, value, want) => {
    expect(parseRetryAfter(value, FIXED_NOW)).toBe(want);
  });
});
