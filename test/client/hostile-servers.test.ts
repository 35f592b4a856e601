/**
 * The client against misbehaving servers over real HTTP on 127.0.0.1 (issue 8): a server that
 * echoes the token everywhere it can, streams an endless body, answers in text, redirects,
 * or sends a Retry-After that is not one. Time is driven by the injected clock.
 */
import type { ServerResponse } from "node:http";
import { inspect } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { createApiClient } from "../../src/core/client.ts";
import { DevinApiError, type Failure, unwrap } from "../../src/index.ts";
import { createFixtureClient, instantClock, SECRET, SESSIONS, tinyServer } from "./helpers.ts";

const TOKEN = "cog_hostile_SECRET_token_42";
const alpha = { path: { org_id: "org-alpha" } };
const servers: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(handler: Parameters<typeof tinyServer>[0]) {
  const server = await tinyServer(handler);
  servers.push(server);
  return server;
}

/** A client for `url` whose clock never waits; `sleeps` records the waits it asked for. */
function clientFor(url: string, options: Parameters<typeof createFixtureClient>[0] = {}) {
  const { sleeps, clock } = instantClock();
  return { sleeps, client: createFixtureClient({ baseUrl: url, token: TOKEN, clock, ...options }) };
}

/** Every way a caller might print a result or an error. */
function printed(value: unknown): string[] {
  const out = [JSON.stringify(value) ?? "", inspect(value, { showHidden: true, depth: null }), String(value)];
  if (value instanceof Error) out.push(value.stack ?? "", value.message);
  return out;
}

describe("a server that echoes the token", () => {
  /** Echoes the bearer token it received in every field it can, per path. */
  const echo = (req: Parameters<Parameters<typeof tinyServer>[0]>[0], res: ServerResponse) => {
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const headers = {
      "x-request-id": `req-${token}`,
      "set-cookie": `session=${token}`,
      "x-echo": `you sent ${token}`,
    };
    const url = req.url ?? "";
    if (url.includes("org-problem")) {
      res.writeHead(404, { ...headers, "content-type": "application/problem+json" });
      res.end(JSON.stringify({ title: `No ${token}`, detail: `Key ${token} is unknown`, instance: token }));
    } else if (url.includes("org-issues")) {
      res.writeHead(422, { ...headers, "content-type": "application/json" });
      const issue = { loc: ["path", token], msg: `bad ${token}`, type: "value_error", input: token };
      res.end(JSON.stringify({ detail: [issue], [token]: token }));
    } else if (url.includes("org-data")) {
      res.writeHead(200, { ...headers, "content-type": "application/json" });
      const item = { session_id: token, status: "running", tags: [`t-${token}`], created_at: 1 };
      res.end(JSON.stringify({ items: [item], has_next_page: false, end_cursor: null, [token]: token }));
    } else if (url.includes("org-text")) {
      res.writeHead(500, { ...headers, "content-type": "text/plain" });
      res.end(`Internal error while checking ${token}`);
    } else {
      res.writeHead(200, { ...headers, "content-type": "application/json" });
      res.end(JSON.stringify({ items: [], has_next_page: false }));
    }
  };

  test.each([
    ["a problem+json 404 (title, detail, instance)", "org-problem", "not_found"],
    ["a 422 issue (msg, loc, input, a member named by the token)", "org-issues", "validation"],
    ["a text/plain 500", "org-text", "server_error"],
  ])(
    "redacts it from %s, the request id and the headers, in the result and the thrown error",
    async (_n, org, kind) => {
      const server = await serve(echo);
      const { client } = clientFor(server.url, { retry: false });
      const result = await client.GET(SESSIONS, { params: { path: { org_id: org } } });
      expect(result.kind).toBe(kind);
      for (const text of printed(result)) expect(text).not.toContain(TOKEN);
      expect(result.requestId).toBe("req-[redacted]");
      const failure = result as Failure & { response: Response };
      expect(failure.message).toContain("[redacted]");
      // Headers stay readable, with the value redacted.
      expect(failure.response.headers.get("x-echo")).toBe("you sent [redacted]");
      expect.assertions(13);
      try {
        unwrap(result);
      } catch (error) {
        expect(error).toBeInstanceOf(DevinApiError);
        for (const text of printed(error)) expect(text).not.toContain(TOKEN);
      }
    },
  );

  test("keeps the issues' reasons with the token redacted", async () => {
    const server = await serve(echo);
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: { path: { org_id: "org-issues" } } });
    expect(result).toMatchObject({
      kind: "validation",
      issues: [{ loc: ["path", "[redacted]"], msg: "bad [redacted]", input: "[redacted]" }],
      problem: { detail: "path.[redacted]: bad [redacted]" },
    });
  });

  test("redacts it from the data of an ok result, and so from every item of a page", async () => {
    const server = await serve(echo);
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: { path: { org_id: "org-data" } } });
    expect(result).toMatchObject({
      kind: "ok",
      data: { items: [{ session_id: "[redacted]", tags: ["t-[redacted]"] }] },
    });
    for (const text of printed(result)) expect(text).not.toContain(TOKEN);
    const items: unknown[] = [];
    for await (const item of client.paginate(SESSIONS, { params: { path: { org_id: "org-data" } } })) items.push(item);
    expect(items).toHaveLength(1);
    expect(JSON.stringify(items)).not.toContain(TOKEN);
  });

  test("redacts it from the headers of an ok result", async () => {
    const server = await serve(echo);
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("ok");
    for (const text of printed(result)) expect(text).not.toContain(TOKEN);
    expect(result.kind === "ok" && result.response.headers.get("set-cookie")).toBe("session=[redacted]");
  });
});

describe("server text in messages", () => {
  test("escapes line breaks and ANSI escapes, and caps the text at 300 characters", async () => {
    const forged = "Not found\n2026-01-01 INFO all good\r\u001b[31mred\u0007";
    const server = await serve((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: `${forged} ${"x".repeat(5000)}` }));
    });
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("not_found");
    const message = result.kind === "not_found" ? result.message : "";
    for (const raw of ["\n", "\r", "\u001b", "\u0007"]) expect(message).not.toContain(raw);
    expect(message).toContain("Not found\\n2026-01-01 INFO all good\\r\\u001b[31mred\\u0007");
    expect(message).toContain("x…");
    expect(message.length).toBeLessThan(600);
  });
});

/** Streams `total` bytes in 64 KiB chunks, made lazily, stopping when the client goes away. */
function endlessBody(status: number, total: number, declare = false) {
  const state = { written: 0, closed: undefined as Promise<void> | undefined };
  const chunk = Buffer.alloc(64 * 1024, "a");
  const handler = (_req: unknown, res: ServerResponse) => {
    state.closed = new Promise<void>((resolve) => res.on("close", resolve));
    res.writeHead(status, {
      "content-type": "application/json",
      ...(declare && { "content-length": String(total) }),
    });
    let gone = false;
    res.on("close", () => {
      gone = true;
    });
    const pump = () => {
      while (!gone && state.written < total) {
        state.written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!gone) res.end();
    };
    pump();
  };
  return { state, handler };
}

describe("maxResponseBytes", () => {
  const MiB = 1024 * 1024;
  const total = 200 * MiB;

  test("refuses a 200 MB body once, without retry, closing the connection early", async () => {
    const { state, handler } = endlessBody(200, total);
    const server = await serve(handler);
    const { client, sleeps } = clientFor(server.url, { maxResponseBytes: MiB });
    const result = await client.GET(SESSIONS, { params: alpha });
    await state.closed;
    expect(result).toMatchObject({ kind: "unexpected", reason: "too_large", status: 200, attempts: 1 });
    expect(result.kind === "unexpected" && result.message).toContain("maxResponseBytes");
    expect(server.hits()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(state.written).toBeLessThan(32 * MiB);
  });

  test("reads a 503 error body under the same cap, and does not retry it", async () => {
    const { state, handler } = endlessBody(503, total);
    const server = await serve(handler);
    const { client } = clientFor(server.url, { maxResponseBytes: MiB });
    const result = await client.GET(SESSIONS, { params: alpha });
    await state.closed;
    expect(result).toMatchObject({ kind: "unexpected", reason: "too_large", status: 503, attempts: 1 });
    expect(server.hits()).toBe(1);
    expect(state.written).toBeLessThan(32 * MiB);
  });

  test("refuses a declared Content-Length over the per-call limit before reading", async () => {
    const { state, handler } = endlessBody(200, total, true);
    const server = await serve(handler);
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha, maxResponseBytes: 1000 });
    await state.closed;
    expect(result).toMatchObject({ kind: "unexpected", reason: "too_large", attempts: 1 });
    expect(state.written).toBeLessThan(32 * MiB);
  });
});

describe("local errors are not network errors", () => {
  test("a body JSON cannot hold is invalid_input, with nothing sent", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const { client, sleeps } = clientFor(server.url);
    const result = await client.createSession("org-alpha", { body: { prompt: 1n as unknown as string } });
    expect(result).toMatchObject({ kind: "invalid_input", attempts: 0 });
    expect(server.hits()).toBe(0);
    expect(sleeps).toEqual([]);
  });

  test("a URL that cannot be built (port out of range) is invalid_input, not retried", async () => {
    const { client, sleeps } = clientFor("http://127.0.0.1:99999");
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "invalid_input", attempts: 0 });
    expect(sleeps).toEqual([]);
  });

  test("a RangeError while reading a body is unexpected, not retried", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    // The body as V8 fails on one too large for a string: real HTTP, the read throws RangeError.
    const fetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      const body = new ReadableStream({
        pull: (controller) => controller.error(new RangeError("Invalid string length")),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const { client, sleeps } = clientFor(server.url, { fetch });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "unexpected", reason: "too_large", attempts: 1 });
    expect(server.hits()).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

describe("Retry-After", () => {
  test.each(["-5", "1.5", "1, 2", "soon"])("ignores %j and backs off instead of retrying at once", async (value) => {
    const server = await serve((_req, res, hit) => {
      if (hit === 3) return void res.end(JSON.stringify({ items: [], has_next_page: false }));
      res.writeHead(429, { "content-type": "application/json", "retry-after": value });
      res.end('{"detail":"slow down"}');
    });
    const { client, sleeps } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "ok", attempts: 3 });
    expect(sleeps).toEqual([500, 1000]);
  });

  test.each([
    ["503", 503],
    ["502", 502],
    ["504", 504],
  ])("honours it on a %s and reports it", async (_name, status) => {
    const server = await serve((_req, res) => {
      res.writeHead(status, { "content-type": "application/json", "retry-after": "3" });
      res.end('{"detail":"busy"}');
    });
    const { client, sleeps } = clientFor(server.url, { retry: { maxRetries: 1 } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status, retryAfterMs: 3000, attempts: 2 });
    expect(sleeps).toEqual([3000]);
  });

  test.each([
    ["a text/plain 429", "text/plain", "Too many requests"],
    ["an empty 429", "application/json", ""],
  ])("reads %s as rate_limited and honours its Retry-After", async (_name, type, body) => {
    const server = await serve((_req, res) => {
      res.writeHead(429, { "content-type": type, "retry-after": "2" });
      res.end(body);
    });
    const { client, sleeps } = clientFor(server.url, { retry: { maxRetries: 1 } });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 2000, attempts: 2 });
    expect(sleeps).toEqual([2000]);
  });

  test("a non-JSON 503 is server_error", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<h1>Service Unavailable</h1>");
    });
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "server_error", status: 503, bodyText: "<h1>Service Unavailable</h1>" });
  });

  test("a 429 that is not retried says how long to wait", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "3600" });
      res.end('{"detail":"slow down"}');
    });
    const { client, sleeps } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "rate_limited", attempts: 1 });
    expect(result.kind === "rate_limited" && result.message).toContain("3600 s");
    expect(sleeps).toEqual([]);
  });
});

describe("redirects", () => {
  test("a same-origin 307 on DELETE sends nothing to the new location", async () => {
    const paths: string[] = [];
    const server = await serve((req, res) => {
      paths.push(`${req.method} ${req.url}`);
      if (req.url?.includes("secret-other")) return void res.end('{"secret_id":"secret-other"}');
      res.writeHead(307, { location: `/v3/organizations/org-alpha/secrets/secret-other?t=${TOKEN}` });
      res.end();
    });
    const { client } = clientFor(server.url);
    const result = await client.DELETE(SECRET, { params: { path: { org_id: "org-alpha", secret_id: "secret-1" } } });
    expect(paths).toEqual(["DELETE /v3/organizations/org-alpha/secrets/secret-1"]);
    expect(result).toMatchObject({
      kind: "unexpected",
      reason: "redirect",
      status: 307,
      location: "/v3/organizations/org-alpha/secrets/secret-other?t=[redacted]",
    });
    const message = result.kind === "unexpected" ? result.message : "";
    expect(message).toContain("307");
    expect(message).toContain("secret-other");
    expect(message).toContain("followRedirects");
    expect(message).not.toContain(TOKEN);
  });

  test("a 302 to another origin is not fetched", async () => {
    const other = await serve((_req, res) => res.end('{"items":[],"has_next_page":false}'));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/stolen` });
      res.end();
    });
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "unexpected", reason: "redirect", location: `${other.url}/stolen` });
    expect(other.hits()).toBe(0);
  });

  test("a redirect loop costs exactly one request", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url });
      res.end();
    });
    const { client, sleeps } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "unexpected", reason: "redirect", attempts: 1 });
    expect(server.hits()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  test("followRedirects: true follows them, and a loop says why it failed", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/loop") {
        res.writeHead(302, { location: "/loop" });
        return void res.end();
      }
      if (req.url?.startsWith("/v3")) {
        res.writeHead(302, { location: "/done" });
        return void res.end();
      }
      res.end('{"items":[],"has_next_page":false}');
    });
    const { client } = clientFor(server.url, { followRedirects: true, retry: false });
    expect(await client.GET(SESSIONS, { params: alpha })).toMatchObject({ kind: "ok", status: 200 });
    const looping = createApiClient<never>({ baseUrl: `${server.url}`, followRedirects: true, retry: false });
    const result = await (looping.GET as (p: string) => Promise<Failure>)("/loop");
    expect(result.kind).toBe("network");
    expect(result.message).toContain("redirect count exceeded");
  });
});

describe("fields that say what happened", () => {
  test("a caller's AbortSignal.timeout is reported as the caller's deadline", async () => {
    const server = await serve(() => {}); // never answers
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha, signal: AbortSignal.timeout(20) });
    expect(result).toMatchObject({ kind: "aborted", attempts: 1 });
    expect(result.kind === "aborted" && result.message).toContain("the caller's deadline (signal) passed");
    expect(result.kind === "aborted" && (result.reason as Error).name).toBe("TimeoutError");
  });

  test("a signal aborted before the call sends nothing and counts no attempt", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ kind: "aborted", attempts: 0 });
    expect(server.hits()).toBe(0);
  });

  test("a network message carries undici's cause (bad port)", async () => {
    const { client } = clientFor("http://127.0.0.1:6000", { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("network");
    expect(result.kind === "network" && result.message).toContain("bad port");
  });

  test("problem.detail falls back to title", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ type: "about:blank", title: "Organization not found" }));
    });
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "not_found", problem: { detail: "Organization not found" } });
  });

  test.each([
    ["errors with field/message", { errors: [{ field: "prompt", message: "is required" }] }, ["prompt"], "is required"],
    [
      "invalid_params with name/reason",
      { invalid_params: [{ name: "first", reason: "must be positive" }] },
      ["first"],
      "must be positive",
    ],
    [
      "violations with pointer/detail",
      { violations: [{ pointer: "/tags/0", detail: "too long" }] },
      ["/tags/0"],
      "too long",
    ],
    [
      "errors with loc/msg",
      { errors: [{ loc: ["body", "prompt"], msg: "Field required", type: "missing" }] },
      ["body", "prompt"],
      "Field required",
    ],
  ])("keeps validation reasons under %s", async (_name, body, loc, msg) => {
    const server = await serve((_req, res) => {
      res.writeHead(422, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ title: "Unprocessable", ...body }));
    });
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "validation", issues: [{ loc, msg }] });
    expect(result.kind === "validation" && result.message).toContain(msg);
  });
});

describe("review findings: what a hostile server still could", () => {
  test("a status outside 200-599 resolves to unexpected instead of rejecting the call", async () => {
    const server = await serve((req, res) => {
      res.writeHead(600, { "content-type": "application/json", "x-echo": String(req.headers.authorization) });
      res.end("{}");
    });
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "unexpected", reason: "undeclared_status", status: 600 });
    expect(result.kind === "unexpected" && result.response.status).toBe(600);
    for (const text of printed(result)) expect(text).not.toContain(TOKEN);
  });

  test("a compressed body is counted as decoded, not by its Content-Length", async () => {
    const { gzipSync } = await import("node:zlib");
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 32)); // 20 MiB of spaces, ~20 kB gzipped
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": bomb.length,
      });
      res.end(bomb);
    });
    const { client } = clientFor(server.url, { maxResponseBytes: 1024 * 1024 });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(result).toMatchObject({ kind: "unexpected", reason: "too_large", attempts: 1 });
  });

  test.each([
    ["no leading slash (another host)", ".evil.example/x"],
    ["no leading slash (another port)", ":8443/x"],
    ["a backslash", "/a/b/..\\..\\admin"],
    ["a tab inside a dot segment", "/a/b/.\t./admin"],
  ])("a path template with %s is refused, nothing sent", async (_name, template) => {
    const server = await serve((_req, res) => res.end("{}"));
    const client = createApiClient<never>({ baseUrl: server.url, token: TOKEN });
    const result = await (client.GET as (p: string) => Promise<Failure>)(template);
    expect(result).toMatchObject({ kind: "invalid_input", param: "path", attempts: 0 });
    expect(server.hits()).toBe(0);
  });

  test("per-call baseUrl, redirect or fetch from untyped code are not passed on", async () => {
    const elsewhere = await serve((_req, res) => res.end('{"items":[],"has_next_page":false}'));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/x` });
      res.end();
    });
    const { client } = clientFor(server.url);
    const sneaky = {
      params: alpha,
      baseUrl: elsewhere.url,
      redirect: "follow",
      fetch: () => Promise.reject(new Error("no")),
    };
    const result = await client.GET(SESSIONS, sneaky as never);
    expect(result).toMatchObject({ kind: "unexpected", reason: "redirect" });
    expect(server.hits()).toBe(1);
    expect(elsewhere.hits()).toBe(0);
  });

  test("a header whose name echoes the token is dropped from the result", async () => {
    const server = await serve((req, res) => {
      const token = String(req.headers.authorization).replace(/^Bearer /, "");
      res.writeHead(200, { "content-type": "application/json", [`x-${token}`]: "1" });
      res.end('{"items":[],"has_next_page":false}');
    });
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("ok");
    for (const text of printed(result)) expect(text.toLowerCase()).not.toContain(TOKEN.toLowerCase());
  });

  test("a token behind JSON escapes in ok data is redacted", async () => {
    const server = await serve((req, res) => {
      const token = String(req.headers.authorization).replace(/^Bearer /, "");
      const escaped = `\\u${token.charCodeAt(0).toString(16).padStart(4, "0")}${token.slice(1)}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"items":[],"has_next_page":false,"note":"${escaped}"}`);
    });
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "ok", data: { note: "[redacted]" } });
    for (const text of printed(result)) expect(text).not.toContain(TOKEN);
  });

  test("with followRedirects, the target URL (with the token in it) does not reach the result", async () => {
    const server = await serve((req, res) => {
      const token = String(req.headers.authorization).replace(/^Bearer /, "");
      if (req.url?.startsWith("/final")) return void res.end('{"items":[],"has_next_page":false}');
      res.writeHead(302, { location: `/final?t=${token}` });
      res.end();
    });
    const { client } = clientFor(server.url, { followRedirects: true });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("ok");
    for (const text of printed(result)) expect(text).not.toContain(TOKEN);
  });

  test("with followRedirects, a redirect loop is not retried", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url });
      res.end();
    });
    const { client, sleeps } = clientFor(server.url, { followRedirects: true });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "network", final: true, attempts: 1 });
    expect(sleeps).toEqual([]);
    expect(server.hits()).toBe(21); // the first request and fetch's 20 redirects, once
  });

  test("a blocked port is not retried", async () => {
    const { client, sleeps } = clientFor("http://127.0.0.1:6000");
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "network", final: true, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  test("a 304 is an undeclared status, not a redirect", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(304);
      res.end();
    });
    const { client } = clientFor(server.url, { retry: false });
    const result = await client.GET(SESSIONS, { params: alpha });
    expect(result).toMatchObject({ kind: "unexpected", status: 304 });
    expect(result.kind === "unexpected" && result.reason).not.toBe("redirect");
  });

  test("one result's problem cannot change another's", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("down");
    });
    const { client } = clientFor(server.url, { retry: false });
    const first = await client.GET(SESSIONS, { params: alpha });
    const second = await client.GET(SESSIONS, { params: alpha });
    expect(first.kind === "server_error" && second.kind === "server_error").toBe(true);
    if (first.kind === "server_error") first.problem.detail = "changed";
    expect(second.kind === "server_error" && second.problem.detail).toBeUndefined();
  });

  test.each([
    ["timeout", { timeout: Number.NaN }],
    ["maxResponseBytes", { maxResponseBytes: Number.NaN }],
    ["maxResponseBytes", { maxResponseBytes: 0 }],
  ])("a %s the client cannot honour is invalid_input per call, and refused by the client", async (param, limit) => {
    const server = await serve((_req, res) => res.end("{}"));
    const { client } = clientFor(server.url);
    const result = await client.GET(SESSIONS, { params: alpha, ...limit });
    expect(result).toMatchObject({ kind: "invalid_input", param, attempts: 0 });
    expect(server.hits()).toBe(0);
    expect(() => createApiClient<never>({ baseUrl: server.url, ...limit })).toThrow(new RegExp(param));
  });
});
