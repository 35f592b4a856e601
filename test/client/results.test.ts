import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createDevinClient } from "../../src/index.ts";
import { LIST, REVOKE, sandboxClient, tinyServer } from "./helpers.ts";

const { sandbox, client } = await sandboxClient({}, { retry: false });
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetRequests();
  sandbox.setErrorFormat("legacy");
});

const alpha = { path: { service_user_id: "service-user-alpha" } };

describe.each(["legacy", "problem"] as const)("with %s error bodies", (format) => {
  beforeEach(() => sandbox.setErrorFormat(format));

  test("maps a missing key to not_found with a readable message and the request id", async () => {
    const result = await client.DELETE(REVOKE, {
      params: { path: { service_user_id: "service-user-alpha", api_key_id: "key-nope" } },
    });
    expect(result.kind).toBe("not_found");
    if (result.kind !== "not_found") return;
    expect(result.status).toBe(404);
    expect(result.method).toBe("DELETE");
    expect(result.path).toBe(REVOKE);
    expect(result.requestId).toMatch(/^req_\d+$/);
    expect(result.problem.detail).toBe("API key not found");
    expect(result.message).toContain("404");
    expect(result.message).toContain("API key not found");
    expect(result.message).toContain(result.requestId);
  });

  test("maps an unknown service user on the list operation to not_found", async () => {
    const result = await client.GET(LIST, { params: { path: { service_user_id: "service-user-ghost" } } });
    expect(result.kind).toBe("not_found");
  });

  test("maps revoking a revoked key to conflict on the first attempt", async () => {
    const result = await client.DELETE(REVOKE, {
      params: { path: { service_user_id: "service-user-alpha", api_key_id: "key-alpha-revoked-1" } },
    });
    expect(result).toMatchObject({ kind: "conflict", status: 409, attempts: 1 });
  });

  test("maps a bad cursor to validation with structured issues", async () => {
    const result = await client.GET(LIST, { params: { ...alpha, query: { after: "garbage!" } } });
    expect(result.kind).toBe("validation");
    if (result.kind !== "validation") return;
    expect(result.issues).toEqual([expect.objectContaining({ loc: ["query", "after"], type: "value_error" })]);
    expect(result.message).toContain("query.after: Invalid or unknown cursor");
  });

  test("maps a wrong token to unauthorized", async () => {
    const other = createDevinClient({ baseUrl: sandbox.url, token: "cog_wrong", retry: false });
    const result = await other.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "unauthorized", status: 401 });
  });

  test.each([
    ["status500", 500],
    ["status503", 503],
  ] as const)("maps a %s fault to server_error", async (kind, status) => {
    sandbox.addFault({ fault: { kind } });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status });
  });

  test("maps 429 to rate_limited with the wait the server asked for", async () => {
    sandbox.addFault({ fault: { kind: "status429", retryAfter: "7" } });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 7000 });
  });
});

describe("statuses the sandbox does not produce", () => {
  test.each([
    [
      "403 problem+json",
      403,
      "application/problem+json",
      { title: "Forbidden", detail: "Missing permission" },
      "forbidden",
    ],
    ["403 legacy", 403, "application/json", { detail: "Missing permission" }, "forbidden"],
    ["504 legacy", 504, "application/json", { detail: "Upstream timed out" }, "server_error"],
  ])("maps %s", async (_name, status, type, body, kind) => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(status, { "content-type": type, "x-request-id": "req_tiny" });
      res.end(JSON.stringify(body));
    });
    const local = createDevinClient({ baseUrl: server.url, token: "cog_x", retry: false });
    const result = await local.GET(LIST, { params: alpha });
    await server.close();
    expect(result).toMatchObject({ kind, status, requestId: "req_tiny", problem: { detail: body.detail } });
  });
});

describe("successful calls", () => {
  test("returns ok with the typed page and the request id", async () => {
    const result = await client.GET(LIST, { params: { ...alpha, query: { first: 3 } } });
    expect(result.kind).toBe("ok");
    if (result.kind !== "ok") return;
    expect(result.data.items).toHaveLength(3);
    expect(result.data.has_next_page).toBe(true);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.attempts).toBe(1);
  });

  test("revokes an active key and returns it", async () => {
    const result = await client.revokeServiceUserApiKey("service-user-alpha", "key-alpha-active-4");
    expect(result.kind).toBe("ok");
    if (result.kind === "ok") expect(result.data).toMatchObject({ api_key_id: "key-alpha-active-4", is_active: false });
  });
});

describe("transport failures and unreadable responses", () => {
  test("maps an HTML 502 proxy page to unexpected/non_json_body with the status", async () => {
    sandbox.addFault({ fault: { kind: "html502" } });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "unexpected", status: 502, reason: "non_json_body" });
    if (result.kind === "unexpected") expect(result.bodyText).toContain("502 Bad Gateway");
  });

  test("maps a connection reset to network", async () => {
    sandbox.addFault({ fault: { kind: "reset" } });
    const result = await client.GET(LIST, { params: alpha });
    expect(result).toMatchObject({ kind: "network", status: undefined });
  });

  test("maps a body cut short of its Content-Length to network", async () => {
    sandbox.addFault({ fault: { kind: "truncated" } });
    const result = await client.GET(LIST, { params: alpha });
    expect(result.kind).toBe("network");
  });

  test("maps a slow response to timeout", async () => {
    sandbox.addFault({ fault: { kind: "latency", ms: 500 } });
    const result = await client.GET(LIST, { params: alpha, timeout: 30 });
    expect(result).toMatchObject({ kind: "timeout", timeoutMs: 30 });
  });

  test("maps the caller's abort to aborted", async () => {
    sandbox.addFault({ fault: { kind: "latency", ms: 500 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const result = await client.GET(LIST, { params: alpha, signal: controller.signal });
    expect(result.kind).toBe("aborted");
  });

  test("maps a refused connection to network", async () => {
    const server = await tinyServer(() => {});
    const { url } = server;
    await server.close();
    const dead = createDevinClient({ baseUrl: url, token: "cog_x", retry: false });
    expect((await dead.GET(LIST, { params: alpha })).kind).toBe("network");
  });

  test.each([
    ["invalid JSON in a 200", 200, "application/json", '{"items": [', "invalid_json"],
    ["an empty 200", 200, "application/json", "", "empty_body"],
    ["text in a 200", 200, "text/plain", "hello", "non_json_body"],
    ["an empty 404", 404, "application/json", "", "empty_body"],
    ["an undeclared 418", 418, "application/json", '{"detail":"teapot"}', "undeclared_status"],
    ["a 400", 400, "application/json", '{"detail":"bad"}', "undeclared_status"],
  ])("maps %s to unexpected", async (_name, status, type, body, reason) => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(status, { "content-type": type, "x-request-id": "req_tiny" });
      res.end(body);
    });
    const local = createDevinClient({ baseUrl: server.url, token: "cog_x", retry: false });
    const result = await local.GET(LIST, { params: alpha });
    await server.close();
    expect(result).toMatchObject({ kind: "unexpected", status, reason, requestId: "req_tiny" });
  });
});
