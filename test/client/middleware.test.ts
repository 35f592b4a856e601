import type { Middleware } from "openapi-fetch";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { fixtureClient, SESSIONS } from "./helpers.ts";

const { server, client } = await fixtureClient({}, { retry: false });
afterAll(() => server.close());
beforeEach(() => {
  server.resetRequests();
  server.clearFaults();
});

const alpha = { params: { path: { org_id: "org-alpha" } } };

describe("openapi-fetch middleware", () => {
  test("onRequest sees the path template and params and can replace the request", async () => {
    const seen: string[] = [];
    const mw: Middleware = {
      onRequest: ({ request, schemaPath, params }) => {
        seen.push(`${schemaPath} ${JSON.stringify(params.path)}`);
        return new Request(request.url.replace("alpha", "empty"), request);
      },
    };
    client.use(mw);
    const result = await client.GET(SESSIONS, alpha);
    client.eject(mw);
    expect(seen).toEqual([`${SESSIONS} {"org_id":"org-alpha"}`]);
    expect(server.requests[0]?.path).toBe("/v3/organizations/org-empty/sessions");
    expect(result.kind === "ok" && result.data.items).toEqual([]);
  });

  test("onRequest can answer without a request reaching the server", async () => {
    const cached: Middleware = {
      onRequest: () => Response.json({ items: [], has_next_page: false }, { headers: { "x-request-id": "cache" } }),
    };
    client.use(cached);
    const result = await client.GET(SESSIONS, alpha);
    client.eject(cached);
    expect(result).toMatchObject({ kind: "ok", requestId: "cache" });
    expect(server.requests).toEqual([]);
  });

  test("onError can turn a connection failure into a response", async () => {
    server.addFault({ fault: { kind: "reset" } });
    const fallback: Middleware = { onError: () => Response.json({ detail: "offline" }, { status: 503 }) };
    client.use(fallback);
    const result = await client.GET(SESSIONS, alpha);
    client.eject(fallback);
    expect(result).toMatchObject({ kind: "server_error", status: 503, problem: { detail: "offline" } });
  });

  test("onResponse can replace the response, in reverse order of registration", async () => {
    const order: string[] = [];
    const a: Middleware = { onResponse: () => void order.push("a") };
    const b: Middleware = {
      onResponse: () => {
        order.push("b");
        return Response.json({ detail: "nope" }, { status: 404 });
      },
    };
    client.use(a, b);
    const result = await client.GET(SESSIONS, alpha);
    client.eject(a, b);
    expect(order).toEqual(["b", "a"]);
    expect(result.kind).toBe("not_found");
  });

  test("runs once per attempt, so retries are visible to middleware", async () => {
    const { server: sb, client: retrying } = await fixtureClient();
    let attempts = 0;
    retrying.use({ onRequest: () => void attempts++ });
    sb.addFault({ fault: { kind: "status503" }, times: 2 });
    expect((await retrying.GET(SESSIONS, alpha)).kind).toBe("ok");
    await sb.close();
    expect(attempts).toBe(3);
  });
});

describe("request encoding", () => {
  test("sends a cursor with reserved characters so the server reads it back unchanged", async () => {
    const cursor = "a/b?c#d&e=f %";
    await client.GET(SESSIONS, { params: { path: alpha.params.path, query: { qs: { after: cursor, first: 5 } } } });
    expect(server.requests[0]?.query).toMatchObject({ after: cursor, first: "5" });
  });

  test("sends a JSON body with a content type for operations that take one", async () => {
    const result = await client.createSession("org-alpha", { body: { prompt: "w" } });
    expect(result.kind).toBe("ok");
    expect(server.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(server.requests[0]?.body).toBe('{"prompt":"w"}');
  });
});
