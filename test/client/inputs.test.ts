import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createDevinClient } from "../../src/index.ts";
import { LIST, REVOKE, sandboxClient } from "./helpers.ts";

const { sandbox, client } = await sandboxClient();
afterAll(() => sandbox.close());
beforeEach(() => sandbox.resetRequests());

const revoke = (api_key_id: string) =>
  client.DELETE(REVOKE, { params: { path: { service_user_id: "service-user-alpha", api_key_id } } });

describe("unsafe path parameters", () => {
  test.each(["", ".", "..", "%2e", "%2e%2e", "%2E.", ".%2E"])(
    "rejects %j before any request reaches the server",
    async (id) => {
      const result = await revoke(id);
      expect(result).toMatchObject({ kind: "invalid_input", param: "api_key_id", attempts: 0, status: undefined });
      expect(sandbox.requests).toEqual([]);
    },
  );

  test("rejects a dot-segment service user on the list operation too", async () => {
    const result = await client.GET(LIST, { params: { path: { service_user_id: ".." } } });
    expect(result).toMatchObject({ kind: "invalid_input", param: "service_user_id" });
    expect(sandbox.requests).toEqual([]);
  });

  test("rejects a missing path parameter instead of sending the literal template", async () => {
    const result = await client.GET(LIST, { params: { path: {} } } as never);
    expect(result).toMatchObject({ kind: "invalid_input", param: "service_user_id" });
    expect(sandbox.requests).toEqual([]);
  });

  test.each([
    ["a slash", "a/b", "a%2Fb"],
    ["a question mark", "a?b", "a%3Fb"],
    ["a hash", "a#b", "a%23b"],
    ["a percent sign", "a%b", "a%25b"],
    ["a space", "a b", "a%20b"],
    ["dots inside", "a..b", "a..b"],
    ["three dots", "...", "..."],
  ])("percent-encodes %s so the ID stays one segment", async (_name, id, encoded) => {
    const result = await revoke(id);
    expect(result.kind).toBe("not_found");
    expect(sandbox.requests[0]?.path).toBe(`/v3beta1/enterprise/service-users/service-user-alpha/api-keys/${encoded}`);
  });
});

describe("page size", () => {
  test.each([0, -1, 1.5, Number.NaN])("rejects first=%s before any request", async (first) => {
    const result = await client.GET(LIST, {
      params: { path: { service_user_id: "service-user-alpha" }, query: { first } },
    });
    expect(result).toMatchObject({ kind: "invalid_input", param: "first" });
    expect(sandbox.requests).toEqual([]);
  });
});

describe("token", () => {
  test.each([
    ["a newline", "cog_abc\ndef"],
    ["a space", "cog_abc def"],
    ["a control character", "cog_abc\u0000"],
    ["a trailing CR", "cog_abc\r"],
    ["a non-ASCII character", "cog_abc\u00e9"],
  ])("rejects a token with %s without echoing it", (_name, token) => {
    expect(() => createDevinClient({ token })).toThrow(/whitespace, control or non-ASCII characters/);
    try {
      createDevinClient({ token });
    } catch (error) {
      expect(String(error)).not.toContain("cog_abc");
    }
  });

  test("reads DEVIN_API_KEY when no token is passed", async () => {
    const saved = process.env.DEVIN_API_KEY;
    process.env.DEVIN_API_KEY = sandbox.token;
    try {
      const fromEnv = createDevinClient({ baseUrl: sandbox.url });
      expect((await fromEnv.GET(LIST, { params: { path: { service_user_id: "service-user-alpha" } } })).kind).toBe(
        "ok",
      );
    } finally {
      if (saved === undefined) delete process.env.DEVIN_API_KEY;
      else process.env.DEVIN_API_KEY = saved;
    }
  });

  test("fails fast when there is no token at all", () => {
    const saved = process.env.DEVIN_API_KEY;
    delete process.env.DEVIN_API_KEY;
    try {
      expect(() => createDevinClient()).toThrow(/DEVIN_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.DEVIN_API_KEY = saved;
    }
  });
});

describe("client options", () => {
  test("uses the injected fetch, default headers and middleware", async () => {
    const seen: string[] = [];
    const custom = createDevinClient({
      baseUrl: `${sandbox.url}/`,
      token: sandbox.token,
      headers: { "x-team": "platform" },
      fetch: (request) => {
        seen.push(`${request.headers.get("x-team")} ${request.headers.get("x-mw")}`);
        return fetch(request);
      },
      middleware: [{ onRequest: ({ request }) => void request.headers.set("x-mw", "yes") }],
    });
    const result = await custom.GET(LIST, { params: { path: { service_user_id: "service-user-alpha" } } });
    expect(result.kind).toBe("ok");
    expect(seen).toEqual(["platform yes"]);
  });

  test("targets an Enterprise base URL with a path prefix", async () => {
    const requests: string[] = [];
    const enterprise = createDevinClient({
      baseUrl: "https://devin.example.corp/api",
      token: "cog_x",
      retry: false,
      fetch: async (request) => {
        requests.push(request.url);
        return new Response('{"items":[],"has_next_page":false}', { headers: { "content-type": "application/json" } });
      },
    });
    await enterprise.GET(LIST, { params: { path: { service_user_id: "service-user-a" } } });
    expect(requests).toEqual([
      "https://devin.example.corp/api/v3beta1/enterprise/service-users/service-user-a/api-keys",
    ]);
  });

  test("defaults to https://api.devin.ai", async () => {
    const urls: string[] = [];
    const devin = createDevinClient({
      token: "cog_x",
      retry: false,
      fetch: async (request) => {
        urls.push(request.url);
        return new Response("{}", { status: 404, headers: { "content-type": "application/json" } });
      },
    });
    await devin.DELETE(REVOKE, { params: { path: { service_user_id: "service-user-a", api_key_id: "k" } } });
    expect(urls).toEqual(["https://api.devin.ai/v3beta1/enterprise/service-users/service-user-a/api-keys/k"]);
  });
});
