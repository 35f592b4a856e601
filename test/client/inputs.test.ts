import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createDevinClient } from "../../src/index.ts";
import {
  createFixtureClient,
  type FixturePaths,
  fixtureClient,
  SECRET,
  SECRETS,
  SESSIONS,
  withEnv,
} from "./helpers.ts";

const { server, client } = await fixtureClient();
afterAll(() => server.close());
beforeEach(() => server.resetRequests());

const remove = (secret_id: string) => client.DELETE(SECRET, { params: { path: { org_id: "org-alpha", secret_id } } });
const alpha = { path: { org_id: "org-alpha" } };

describe("unsafe path parameters", () => {
  test.each(["", ".", "..", "%2e", "%2e%2e", "%2E.", ".%2E"])(
    "rejects %j before any request reaches the server",
    async (id) => {
      const result = await remove(id);
      expect(result).toMatchObject({ kind: "invalid_input", param: "secret_id", attempts: 0, status: undefined });
      expect(server.requests).toEqual([]);
    },
  );

  test("rejects a dot-segment organization on a list operation too", async () => {
    const result = await client.GET(SESSIONS, { params: { path: { org_id: ".." } } });
    expect(result).toMatchObject({ kind: "invalid_input", param: "org_id" });
    expect(server.requests).toEqual([]);
  });

  test("rejects a missing path parameter instead of sending the literal template", async () => {
    const result = await client.GET(SESSIONS, { params: { path: {} } } as never);
    expect(result).toMatchObject({ kind: "invalid_input", param: "org_id" });
    expect(server.requests).toEqual([]);
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
    const result = await remove(id);
    expect(result.kind).toBe("not_found");
    expect(server.requests[0]?.path).toBe(`/v3/organizations/org-alpha/secrets/${encoded}`);
  });
});

describe("page size", () => {
  test.each([0, -1, 1.5, Number.NaN])("pagination rejects first=%s before any request", async (first) => {
    for (const pages of [
      client.listSecrets("org-alpha", { first }).pages(),
      client.listSessions("org-alpha", { first }).pages(),
    ]) {
      await expect(pages.next()).rejects.toMatchObject({
        kind: "invalid_input",
        result: { param: "first", attempts: 0 },
      });
    }
    expect(server.requests).toEqual([]);
  });

  test("a single path-based GET leaves `first` to the server to judge", async () => {
    const result = await client.GET(SECRETS, { params: { ...alpha, query: { first: 0 } } });
    expect(result.kind).toBe("validation");
    expect(server.requests).toHaveLength(1);
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
    let error: unknown;
    try {
      createDevinClient({ token });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/whitespace, control or non-ASCII characters/);
    expect(String(error)).not.toContain("cog_abc");
  });

  test("reads DEVIN_API_KEY when no token is passed", async () => {
    await withEnv("DEVIN_API_KEY", server.token, async () => {
      const fromEnv = createDevinClient<FixturePaths>({ baseUrl: server.url });
      expect((await fromEnv.GET(SESSIONS, { params: alpha })).kind).toBe("ok");
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${server.token}`);
  });

  test("fails fast when there is no token at all", async () => {
    await withEnv("DEVIN_API_KEY", undefined, () => {
      expect(() => createDevinClient()).toThrow(/DEVIN_API_KEY/);
    });
  });
});

describe("client options", () => {
  test("uses the injected fetch, default headers and middleware", async () => {
    const seen: string[] = [];
    const custom = createFixtureClient({
      baseUrl: `${server.url}/`,
      token: server.token,
      headers: { "x-team": "platform" },
      fetch: (request) => {
        seen.push(`${request.headers.get("x-team")} ${request.headers.get("x-mw")}`);
        return fetch(request);
      },
      middleware: [{ onRequest: ({ request }) => void request.headers.set("x-mw", "yes") }],
    });
    const result = await custom.GET(SESSIONS, { params: alpha });
    expect(result.kind).toBe("ok");
    expect(seen).toEqual(["platform yes"]);
  });

  test("targets an Enterprise base URL with a path prefix", async () => {
    const requests: string[] = [];
    const enterprise = createFixtureClient({
      baseUrl: "https://devin.example.corp/api",
      token: "cog_x",
      retry: false,
      fetch: async (request) => {
        requests.push(request.url);
        return new Response('{"items":[],"has_next_page":false}', { headers: { "content-type": "application/json" } });
      },
    });
    await enterprise.GET(SESSIONS, { params: { path: { org_id: "org-a" } } });
    expect(requests).toEqual(["https://devin.example.corp/api/v3/organizations/org-a/sessions"]);
  });

  test("defaults to https://api.devin.ai", async () => {
    const urls: string[] = [];
    const devin = await withEnv("DEVIN_API_BASE_URL", undefined, () =>
      createDevinClient<FixturePaths>({
        token: "cog_x",
        retry: false,
        fetch: async (request) => {
          urls.push(request.url);
          return new Response("{}", { status: 404, headers: { "content-type": "application/json" } });
        },
      }),
    );
    await devin.DELETE(SECRET, { params: { path: { org_id: "org-a", secret_id: "k" } } });
    expect(urls).toEqual(["https://api.devin.ai/v3/organizations/org-a/secrets/k"]);
  });

  test("reads DEVIN_API_BASE_URL when no baseUrl is passed", async () => {
    await withEnv("DEVIN_API_BASE_URL", server.url, async () => {
      const fromEnv = createDevinClient<FixturePaths>({ token: server.token });
      expect((await fromEnv.GET(SESSIONS, { params: alpha })).kind).toBe("ok");
    });
    expect(server.requests.map((r) => r.path)).toEqual(["/v3/organizations/org-alpha/sessions"]);
  });
});
