import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createApiClient } from "../../src/core/client.ts";
import type { AnyResult } from "../../src/index.ts";
import { createFixtureClient, fixtureClient, SECRET, SECRETS, SESSIONS, tinyServer } from "./helpers.ts";

const { server, client } = await fixtureClient({}, { retry: false });
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
  server.setErrorFormat("legacy");
});

const alpha = { path: { org_id: "org-alpha" } };

/** Asserts the kind (the test fails here if it is another), then lets the compiler narrow to it. */
function expectKind<R extends { kind: string }, K extends R["kind"]>(result: R, kind: K): Extract<R, { kind: K }> {
  expect(result.kind).toBe(kind);
  return result as Extract<R, { kind: K }>;
}

/** Resolves once the server has received `n` requests: an abort after that cannot beat the request. */
async function received(n: number): Promise<void> {
  while (server.requests.length < n) await new Promise((resolve) => setImmediate(resolve));
}

describe.each(["legacy", "problem"] as const)("with %s error bodies", (format) => {
  beforeEach(() => server.setErrorFormat(format));

  test("maps a missing secret to not_found with a readable message and the request id", async () => {
    const deleted = await client.DELETE(SECRET, {
      params: { path: { org_id: "org-alpha", secret_id: "secret-nope" } },
    });
    const result = expectKind(deleted, "not_found");
    expect(result.status).toBe(404);
    expect(result.method).toBe("DELETE");
    expect(result.path).toBe(SECRET);
    expect(result.requestId).toMatch(/^req_\d+$/);
    expect(result.problem.detail).toBe("Secret not found");
    expect(result.message).toContain("404");
    expect(result.message).toContain("Secret not found");
    expect(result.message).toContain(result.requestId);
    expect(server.requests).toHaveLength(1);
  });

  test("maps an unknown organization on a list operation to not_found", async () => {
    const result = await client.GET(SESSIONS, { params: { path: { org_id: "org-ghost" } } });
    expect(result).toMatchObject({ kind: "not_found", status: 404, problem: { detail: "Organization not found" } });
  });

  test("maps a bad cursor to validation with structured issues", async () => {
    const result = expectKind(
      await client.GET(SECRETS, { params: { ...alpha, query: { after: "garbage!" } } }),
      "validation",
    );
    expect(result.issues).toEqual([expect.objectContaining({ loc: ["query", "after"], type: "value_error" })]);
    expect(result.message).toContain("query.after: Invalid or unknown cursor");
  });

  test("maps an invalid request body to validation naming the field", async () => {
    const result = await client.createSession("org-alpha", { body: { prompt: 42 as unknown as string } });
    expect(result).toMatchObject({
      kind: "validation",
      status: 422,
      issues: [expect.objectContaining({ loc: ["body", "prompt"], type: "string_type" })],
    });
  });

  test("maps a wrong token to unauthorized", async () => {
    const other = createFixtureClient({ baseUrl: server.url, token: "cog_wrong", retry: false });
    const result = await other.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "unauthorized", status: 401 });
  });

  test.each([
    ["status500", 500],
    ["status503", 503],
  ] as const)("maps a %s fault to server_error", async (kind, status) => {
    server.addFault({ fault: { kind } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status });
  });

  test("maps 429 to rate_limited with the wait the server asked for", async () => {
    server.addFault({ fault: { kind: "status429", retryAfter: "7" } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 7000 });
  });
});

describe("statuses the fixture server does not produce", () => {
  test.each([
    [
      "403 problem+json",
      403,
      "application/problem+json",
      { title: "Forbidden", detail: "Missing permission" },
      "forbidden",
    ],
    ["403 legacy", 403, "application/json", { detail: "Missing permission" }, "forbidden"],
    ["409 legacy", 409, "application/json", { detail: "Already in that state" }, "conflict"],
    ["504 legacy", 504, "application/json", { detail: "Upstream timed out" }, "server_error"],
  ])("maps %s", async (_name, status, type, body, kind) => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(status, { "content-type": type, "x-request-id": "req_tiny" });
      res.end(JSON.stringify(body));
    });
    const local = createFixtureClient({ baseUrl: tiny.url, token: "cog_x", retry: false });
    const result = await local.GET(SESSIONS, { params: alpha });
    await tiny.close();
    expect(result).toMatchObject({ kind, status, requestId: "req_tiny", problem: { detail: body.detail } });
  });
});

describe("successful calls", () => {
  test("returns ok with the typed page and the request id", async () => {
    const result = expectKind(await client.GET(SESSIONS, { params: { ...alpha, query: { qs: { first: 3 } } } }), "ok");
    expect(result.data.items).toHaveLength(3);
    expect(result.data.has_next_page).toBe(true);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.attempts).toBe(1);
  });

  test("deletes a secret and returns it", async () => {
    const result = await client.deleteSecret("org-alpha", "secret-alpha-4");
    expect(result).toMatchObject({ kind: "ok", data: { secret_id: "secret-alpha-4", name: "NPM_TOKEN" } });
    expect((await client.getSecret("org-alpha", "secret-alpha-4")).kind).toBe("not_found");
  });

  test("creates a session from a JSON body", async () => {
    const result = await client.createSession("org-alpha", { body: { prompt: "fix the build", tags: ["ci"] } });
    expect(result).toMatchObject({ kind: "ok", status: 200, data: { status: "running", tags: ["ci"] } });
  });
});

describe("HEAD", () => {
  test("reads a HEAD response as ok without a body, whatever its headers promise", async () => {
    const tiny = await tinyServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "27", "x-request-id": "req_head" });
      res.end(req.method === "HEAD" ? undefined : '{"items":[],"has_next_page":0}');
    });
    const local = createApiClient<never>({ baseUrl: tiny.url, retry: false });
    const head = (local as unknown as { HEAD(path: string): Promise<AnyResult> }).HEAD;
    const result = await head("/things");
    await tiny.close();
    expect(result).toMatchObject({ kind: "ok", status: 200, data: undefined, requestId: "req_head", attempts: 1 });
  });
});

describe("transport failures and unreadable responses", () => {
  test("maps an HTML 502 proxy page to server_error with the status and the page in bodyText", async () => {
    server.addFault({ fault: { kind: "html502" } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status: 502, body: undefined });
    expect(expectKind(result, "server_error").bodyText).toContain("502 Bad Gateway");
  });

  test("maps a connection reset to network", async () => {
    server.addFault({ fault: { kind: "reset" } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "network", status: undefined });
  });

  test("maps a body cut short of its Content-Length to network", async () => {
    server.addFault({ fault: { kind: "truncated" } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("network");
  });

  test("maps a slow response to timeout", async () => {
    // The server stalls for a minute (until it closes): only the client's timeout can end the call.
    server.addFault({ fault: { kind: "latency", ms: 60_000 } });
    const result = await client.GET(SESSIONS, { params: alpha, timeout: 200 });
    expect(result).toMatchObject({ kind: "timeout", timeoutMs: 200, attempts: 1 });
  });

  test("maps the caller's abort to aborted", async () => {
    server.addFault({ fault: { kind: "latency", ms: 60_000 } });
    const controller = new AbortController();
    const pending = client.GET(SESSIONS, { params: alpha, signal: controller.signal });
    await received(1);
    controller.abort();
    expect(await pending).toMatchObject({ kind: "aborted", attempts: 1 });
  });

  test("maps a refused connection to network", async () => {
    const tiny = await tinyServer(() => {});
    const { url } = tiny;
    await tiny.close();
    const dead = createFixtureClient({ baseUrl: url, token: "cog_x", retry: false });
    expect((await dead.GET(SESSIONS, { params: alpha })).kind).toBe("network");
  });

  test.each([
    ["invalid JSON in a 200", 200, "application/json", '{"items": [', "invalid_json"],
    ["an empty 200", 200, "application/json", "", "empty_body"],
    ["text in a 200", 200, "text/plain", "hello", "non_json_body"],
    ["an empty 404", 404, "application/json", "", "empty_body"],
    ["an undeclared 418", 418, "application/json", '{"detail":"teapot"}', "undeclared_status"],
    ["a 400", 400, "application/json", '{"detail":"bad"}', "undeclared_status"],
  ])("maps %s to unexpected", async (_name, status, type, body, reason) => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(status, { "content-type": type, "x-request-id": "req_tiny" });
      res.end(body);
    });
    const local = createFixtureClient({ baseUrl: tiny.url, token: "cog_x", retry: false });
    const result = await local.GET(SESSIONS, { params: alpha });
    await tiny.close();
    expect(result).toMatchObject({ kind: "unexpected", status, reason, requestId: "req_tiny" });
  });
});
