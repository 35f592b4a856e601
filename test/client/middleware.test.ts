import type { Middleware } from "openapi-fetch";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createDevinClient } from "../../src/index.ts";
import { LIST, sandboxClient } from "./helpers.ts";

const { sandbox, client } = await sandboxClient({}, { retry: false });
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.resetRequests();
  sandbox.clearFaults();
});

const alpha = { params: { path: { service_user_id: "service-user-alpha" } } };

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
    const result = await client.GET(LIST, alpha);
    client.eject(mw);
    expect(seen).toEqual([`${LIST} {"service_user_id":"service-user-alpha"}`]);
    expect(sandbox.requests[0]?.path).toBe("/v3beta1/enterprise/service-users/service-user-empty/api-keys");
    expect(result.kind === "ok" && result.data.items).toEqual([]);
  });

  test("onRequest can answer without a request reaching the server", async () => {
    const cached: Middleware = {
      onRequest: () => Response.json({ items: [], has_next_page: false }, { headers: { "x-request-id": "cache" } }),
    };
    client.use(cached);
    const result = await client.GET(LIST, alpha);
    client.eject(cached);
    expect(result).toMatchObject({ kind: "ok", requestId: "cache" });
    expect(sandbox.requests).toEqual([]);
  });

  test("onError can turn a connection failure into a response", async () => {
    sandbox.addFault({ fault: { kind: "reset" } });
    const fallback: Middleware = { onError: () => Response.json({ detail: "offline" }, { status: 503 }) };
    client.use(fallback);
    const result = await client.GET(LIST, alpha);
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
    const result = await client.GET(LIST, alpha);
    client.eject(a, b);
    expect(order).toEqual(["b", "a"]);
    expect(result.kind).toBe("not_found");
  });

  test("runs once per attempt, so retries are visible to middleware", async () => {
    const { sandbox: sb, client: retrying } = await sandboxClient();
    let attempts = 0;
    retrying.use({ onRequest: () => void attempts++ });
    sb.addFault({ fault: { kind: "status503" }, times: 2 });
    expect((await retrying.GET(LIST, alpha)).kind).toBe("ok");
    await sb.close();
    expect(attempts).toBe(3);
  });
});

describe("request encoding (by openapi-fetch)", () => {
  test("sends a cursor with reserved characters so the server reads it back unchanged", async () => {
    const cursor = "a/b?c#d&e=f %";
    await client.GET(LIST, { params: { path: alpha.params.path, query: { after: cursor, first: 5 } } });
    expect(sandbox.requests[0]?.query).toMatchObject({ after: cursor, first: "5" });
  });

  test("sends a JSON body with a content type for operations that take one", async () => {
    let seen: [string | null, string] | undefined;
    const echo = createDevinClient({
      token: "cog_x",
      fetch: async (request) => {
        seen = [request.headers.get("content-type"), await request.text()];
        return Response.json({ id: "1" }, { status: 201 });
      },
    });
    const post = echo.POST as unknown as (p: string, i: object) => Promise<{ kind: string }>;
    expect((await post("/widgets", { body: { name: "w" } })).kind).toBe("ok");
    expect(seen).toEqual(["application/json", '{"name":"w"}']);
  });
});
