/**
 * Parameter serialisation over real HTTP: a node:http server on 127.0.0.1 records each
 * request's target (`req.url`, exactly as received) and raw headers, and every assertion is
 * made on what reached it. The client is the generic core (`createApiClient`) with a
 * hand-written `paths` type and operation index whose `serialization` entries declare styles
 * (OpenAPI 3.1 §4.8.12.4); path-based calls pick those styles up by `METHOD path`.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { buildOperationIndex } from "../../scripts/build/operation-index.ts";
import { createApiClient } from "../../src/core/client.ts";
import type { OperationIndex } from "../../src/core/operations.ts";

// ---------------------------------------------------------------------------------------------
// The server

interface Received {
  /** The request target exactly as it arrived (path and query, nothing decoded). */
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names and values as sent, alternating, names in their original case. */
  rawHeaders: string[];
}

/** A server that records every request and answers 200 `{}`. */
async function startRecorder() {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    req.resume();
    requests.push({ url: req.url ?? "", headers: req.headers, rawHeaders: req.rawHeaders });
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every value of header `name` (case-insensitive) in the raw header list, one entry per header line. */
function rawValues(request: Received, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]?.toLowerCase() === name) values.push(request.rawHeaders[i + 1] as string);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// The API under test: a hand-written `paths` type and operation index

type Loose = { [name: string]: unknown };

/** An operation with these parameters that answers 200 with a JSON object. */
interface Op<Parameters> {
  parameters: Parameters;
  requestBody?: never;
  responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": Record<string, never> } } };
}

type QueryOp = Op<{ query?: Loose; header?: never; path?: never; cookie?: never }>;
type HeaderOp = Op<{ query?: never; header?: Loose; path?: never; cookie?: never }>;
type CookieOp = Op<{ query?: never; header?: never; path?: never; cookie?: Loose }>;
type PathOp = Op<{ query?: never; header?: never; path: { id: unknown }; cookie?: never }>;
type ThingsOp = Op<{
  query?: { qs?: { first?: number; after?: string | null; tags?: string[] } };
  header?: never;
  path: { org_id: string };
  cookie?: never;
}>;

interface TestPaths {
  "/search": { get: QueryOp };
  "/csv": { get: QueryOp };
  "/space": { get: QueryOp };
  "/pipe": { get: QueryOp };
  "/deep": { get: QueryOp };
  "/reserved": { get: QueryOp };
  "/json": { get: QueryOp };
  "/headers": { get: HeaderOp };
  "/cookies": { get: CookieOp };
  "/path/simple/{id}": { get: PathOp };
  "/path/simple-explode/{id}": { get: PathOp };
  "/path/label/{id}": { get: PathOp };
  "/path/label-explode/{id}": { get: PathOp };
  "/path/matrix/{id}": { get: PathOp };
  "/path/matrix-explode/{id}": { get: PathOp };
  "/v3/organizations/{org_id}/things": { get: ThingsOp };
}

type PathRoute = Extract<keyof TestPaths, `/path/${string}`>;

const route = (path: string, serialization?: OperationIndex[string]["serialization"]) =>
  ({
    method: "get",
    path,
    pathParams: path.includes("{id}") ? ["id"] : [],
    query: [],
    ...(serialization && { serialization }),
  }) as const;

const operations = {
  // "/search" has no entry: OpenAPI's defaults apply (query form + explode).
  csv: route("/csv", { query: { tags: { explode: false }, qs: { explode: false } } }),
  space: route("/space", { query: { tags: { style: "spaceDelimited" } } }),
  pipe: route("/pipe", { query: { tags: { style: "pipeDelimited" } } }),
  deep: route("/deep", { query: { filter: { style: "deepObject", explode: true } } }),
  reserved: route("/reserved", { query: { q: { allowReserved: true } } }),
  json: route("/json", { query: { filter: { content: "application/json" } } }),
  headers: route("/headers", { header: { "x-obj-explode": { explode: true } } }),
  cookies: route("/cookies", { cookie: { list: { explode: false }, obj: { explode: false } } }),
  simple: route("/path/simple/{id}"),
  simpleExplode: route("/path/simple-explode/{id}", { path: { id: { explode: true } } }),
  label: route("/path/label/{id}", { path: { id: { style: "label" } } }),
  labelExplode: route("/path/label-explode/{id}", { path: { id: { style: "label", explode: true } } }),
  matrix: route("/path/matrix/{id}", { path: { id: { style: "matrix" } } }),
  matrixExplode: route("/path/matrix-explode/{id}", { path: { id: { style: "matrix", explode: true } } }),
  listThings: {
    method: "get",
    path: "/v3/organizations/{org_id}/things",
    pathParams: ["org_id"],
    query: ["first", "after", "tags"],
    queryModel: "qs",
  },
} as const satisfies OperationIndex;

const TOKEN = "test-token";
const server = await startRecorder();
afterAll(() => server.close());

/** Waits the retry loop asked for; none may happen for a refused call. */
const sleeps: number[] = [];
const client = createApiClient<TestPaths, typeof operations>({
  baseUrl: server.url,
  token: TOKEN,
  operations,
  clock: {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
  },
});

beforeEach(() => {
  server.reset();
  sleeps.length = 0;
});

/** Asserts a call was refused before sending: `invalid_input` naming `param`, no attempt, no request, no retry. */
function expectRefused(result: unknown, param: string) {
  expect(result).toMatchObject({ kind: "invalid_input", ok: false, status: undefined, attempts: 0, param });
  expect(server.requests).toHaveLength(0);
  expect(sleeps).toEqual([]);
}

/** Asserts exactly one request reached the server and returns it. */
function onlyRequest(result: { kind: string }): Received {
  expect(result.kind).toBe("ok");
  expect(server.requests).toHaveLength(1);
  return server.requests[0] as Received;
}

const search = (query: Loose) => client.GET("/search", { params: { query } });

// ---------------------------------------------------------------------------------------------

describe("query parameters with OpenAPI's defaults (form, explode)", () => {
  test.each<[string, Loose, string]>([
    ["sends a primitive as name=value", { first: 5 }, "/search?first=5"],
    ["sends a boolean as its literal", { archived: false }, "/search?archived=false"],
    ["repeats the name once per array item", { tags: ["a", "b"] }, "/search?tags=a&tags=b"],
    [
      "sends an object query parameter in form style, one name per property, arrays repeating",
      { qs: { first: 5, after: "c1", tags: ["x", "y"] } },
      "/search?first=5&after=c1&tags=x&tags=y",
    ],
    ["keeps the caller's key order", { b: "2", a: "1", c: "3" }, "/search?b=2&a=1&c=3"],
    ["omits null and undefined values", { a: null, b: undefined, c: "1" }, "/search?c=1"],
    [
      "omits null and undefined properties of an object parameter",
      { qs: { first: null, after: undefined, tags: ["x"] } },
      "/search?tags=x",
    ],
    ["omits an empty array", { tags: [], first: 1 }, "/search?first=1"],
    ["sends no `?` at all when every value is omitted", { a: null, tags: [] }, "/search"],
    ["percent-encodes space, &, = and / in a value", { q: "a b&c=d/e" }, "/search?q=a%20b%26c%3Dd%2Fe"],
    ["percent-encodes + so it is not read as a space", { q: "1+1" }, "/search?q=1%2B1"],
    ["percent-encodes # so it does not start a fragment", { q: "a#b" }, "/search?q=a%23b"],
    ["percent-encodes a literal %", { q: "100%" }, "/search?q=100%25"],
    ["encodes non-ASCII as UTF-8 percent-escapes", { q: "ü" }, "/search?q=%C3%BC"],
    ["percent-encodes the parameter name too", { "a b": "x" }, "/search?a%20b=x"],
    ["percent-encodes array items one by one", { tags: ["a&b", "c d"] }, "/search?tags=a%26b&tags=c%20d"],
  ])("%s", async (_name, query, url) => {
    const request = onlyRequest(await search(query));
    expect(request.url).toBe(url);
  });
});

describe("query parameters with declared styles", () => {
  test.each<[string, keyof TestPaths & `/${string}`, Loose, string]>([
    ["form without explode joins array items with commas", "/csv", { tags: ["a", "b"] }, "/csv?tags=a,b"],
    [
      "form without explode keeps a comma inside an item encoded, so items stay distinguishable",
      "/csv",
      { tags: ["a,b", "c"] },
      "/csv?tags=a%2Cb,c",
    ],
    [
      "form without explode sends an object as one name with key,value pairs",
      "/csv",
      { qs: { first: 5, after: "c1" } },
      "/csv?qs=first,5,after,c1",
    ],
    ["form without explode omits an empty array", "/csv", { tags: [] }, "/csv"],
    ["spaceDelimited joins array items with an encoded space", "/space", { tags: ["a", "b"] }, "/space?tags=a%20b"],
    ["pipeDelimited joins array items with a pipe", "/pipe", { tags: ["a", "b"] }, "/pipe?tags=a|b"],
    ["pipeDelimited keeps a pipe inside an item encoded", "/pipe", { tags: ["a|b", "c"] }, "/pipe?tags=a%7Cb|c"],
    [
      "deepObject sends name[property]=value per property",
      "/deep",
      { filter: { name: "x", age: 3 } },
      "/deep?filter[name]=x&filter[age]=3",
    ],
    [
      "deepObject percent-encodes property values",
      "/deep",
      { filter: { name: "a b/c" } },
      "/deep?filter[name]=a%20b%2Fc",
    ],
    ["allowReserved leaves / and : as they are", "/reserved", { q: "a/b:c" }, "/reserved?q=a/b:c"],
    ["allowReserved still encodes space and #", "/reserved", { q: "http://h/a b#c" }, "/reserved?q=http://h/a%20b%23c"],
    [
      "a parameter with content application/json is sent as percent-encoded JSON",
      "/json",
      { filter: { name: "x", tags: ["a"] } },
      "/json?filter=%7B%22name%22%3A%22x%22%2C%22tags%22%3A%5B%22a%22%5D%7D",
    ],
    ["a content parameter holding a string is sent as a JSON string", "/json", { filter: "x" }, "/json?filter=%22x%22"],
    [
      "a parameter without a declared style on a styled route keeps the default",
      "/csv",
      { other: ["a", "b"] },
      "/csv?other=a&other=b",
    ],
  ])("%s", async (_name, path, query, url) => {
    const request = onlyRequest(await client.GET(path as "/search", { params: { query } }));
    expect(request.url).toBe(url);
  });
});

describe("path parameters", () => {
  test.each<[string, PathRoute, unknown, string]>([
    ["simple: a primitive as is", "/path/simple/{id}", "abc", "/path/simple/abc"],
    ["simple: a number as its decimal text", "/path/simple/{id}", 42, "/path/simple/42"],
    ["simple: an array comma-joined", "/path/simple/{id}", ["a", "b"], "/path/simple/a,b"],
    [
      "simple without explode: an object as k,v pairs",
      "/path/simple/{id}",
      { k: "v", k2: "v2" },
      "/path/simple/k,v,k2,v2",
    ],
    [
      "simple with explode: an object as k=v pairs",
      "/path/simple-explode/{id}",
      { k: "v", k2: "v2" },
      "/path/simple-explode/k=v,k2=v2",
    ],
    [
      "simple with explode: an array still comma-joined",
      "/path/simple-explode/{id}",
      ["a", "b"],
      "/path/simple-explode/a,b",
    ],
    ["label: a primitive after a dot", "/path/label/{id}", "v", "/path/label/.v"],
    // RFC 6570 `{.id}` and OpenAPI 3.1.1's table; 3.1.0's table printed `.a.b` here (an erratum).
    ["label without explode: an array comma-joined after one dot", "/path/label/{id}", ["a", "b"], "/path/label/.a,b"],
    [
      "label with explode: each array item after its own dot",
      "/path/label-explode/{id}",
      ["a", "b"],
      "/path/label-explode/.a.b",
    ],
    [
      "label with explode: an object as .k=v per property",
      "/path/label-explode/{id}",
      { k: "v", k2: "v2" },
      "/path/label-explode/.k=v.k2=v2",
    ],
    ["matrix: a primitive as ;name=value", "/path/matrix/{id}", 5, "/path/matrix/;id=5"],
    ["matrix without explode: an array comma-joined", "/path/matrix/{id}", [3, 4], "/path/matrix/;id=3,4"],
    [
      "matrix with explode: ;name=value per array item",
      "/path/matrix-explode/{id}",
      [3, 4],
      "/path/matrix-explode/;id=3;id=4",
    ],
    [
      "matrix without explode: an object as ;name=k,v pairs",
      "/path/matrix/{id}",
      { k: "v", k2: "v2" },
      "/path/matrix/;id=k,v,k2,v2",
    ],
    [
      "matrix with explode: an object as ;k=v per property",
      "/path/matrix-explode/{id}",
      { k: "v", k2: "v2" },
      "/path/matrix-explode/;k=v;k2=v2",
    ],
    ["percent-encodes / and ? so the value stays one segment", "/path/simple/{id}", "a/b?c", "/path/simple/a%2Fb%3Fc"],
    ["percent-encodes #, % and space", "/path/simple/{id}", "a#b%c d", "/path/simple/a%23b%25c%20d"],
    ["percent-encodes non-ASCII as UTF-8", "/path/simple/{id}", "ü", "/path/simple/%C3%BC"],
    ["percent-encodes a comma inside an array item", "/path/simple/{id}", ["a,b", "c"], "/path/simple/a%2Cb,c"],
    ["keeps dots inside a value that is not a dot segment", "/path/simple/{id}", "a..b", "/path/simple/a..b"],
  ])("%s", async (_name, path, id, url) => {
    const request = onlyRequest(await client.GET(path, { params: { path: { id } } }));
    expect(request.url).toBe(url);
  });
});

describe("header parameters", () => {
  test("sends an array as one comma-joined header, not one header per item", async () => {
    const request = onlyRequest(await client.GET("/headers", { params: { header: { "x-tags": ["a", "b"] } } }));
    expect(rawValues(request, "x-tags")).toEqual(["a,b"]);
  });

  test.each<[string, Loose, string, string]>([
    ["sends a primitive as its text", { "x-count": 5 }, "x-count", "5"],
    ["sends an object without explode as k,v pairs", { "x-obj": { k: "v", k2: "v2" } }, "x-obj", "k,v,k2,v2"],
    [
      "sends an object with explode as k=v pairs",
      { "x-obj-explode": { k: "v", k2: "v2" } },
      "x-obj-explode",
      "k=v,k2=v2",
    ],
  ])("%s", async (_name, header, name, value) => {
    const request = onlyRequest(await client.GET("/headers", { params: { header } }));
    expect(rawValues(request, name)).toEqual([value]);
  });

  test.each<[string, unknown]>([
    ["CR LF", "a\r\nx-injected: 1"],
    ["a lone LF", "a\nb"],
    ["a lone CR", "a\rb"],
    ["CR LF inside an array item", ["a", "b\r\nx-injected: 1"]],
    ["CR LF inside an object property", { k: "v\r\nx-injected: 1" }],
  ])("refuses a header value holding %s, and nothing reaches the server", async (_name, value) => {
    expectRefused(await client.GET("/headers", { params: { header: { "x-note": value } } }), "x-note");
  });
});

describe("cookie parameters", () => {
  test("sends cookie parameters as one `cookie: a=1; b=2` header", async () => {
    const request = onlyRequest(await client.GET("/cookies", { params: { cookie: { a: 1, b: 2 } } }));
    expect(rawValues(request, "cookie")).toEqual(["a=1; b=2"]);
  });

  test("percent-encodes ; , and space inside a cookie value", async () => {
    const request = onlyRequest(await client.GET("/cookies", { params: { cookie: { a: "x; y,z" } } }));
    expect(rawValues(request, "cookie")).toEqual(["a=x%3B%20y%2Cz"]);
  });

  test("sends an array cookie declared without explode as comma-joined items", async () => {
    const request = onlyRequest(await client.GET("/cookies", { params: { cookie: { list: ["a", "b"] } } }));
    expect(rawValues(request, "cookie")).toEqual(["list=a,b"]);
  });

  test("sends an object cookie declared without explode as k,v pairs", async () => {
    const request = onlyRequest(await client.GET("/cookies", { params: { cookie: { obj: { k: "v", k2: "v2" } } } }));
    expect(rawValues(request, "cookie")).toEqual(["obj=k,v,k2,v2"]);
  });

  test("refuses an array cookie with form's default explode, and nothing reaches the server", async () => {
    expectRefused(await client.GET("/cookies", { params: { cookie: { a: ["x", "y"] } } }), "a");
  });
});

describe("values that cannot be serialised are refused before sending, never retried", () => {
  test.each<[string, () => Promise<unknown>, string]>([
    ["a nested object inside a form-exploded object", () => search({ qs: { inner: { x: 1 } } }), "qs"],
    ["an object inside an array property of a form-exploded object", () => search({ qs: { tags: [{ x: 1 }] } }), "qs"],
    ["an array item that is an object", () => search({ tags: ["a", { x: 1 }] }), "tags"],
    [
      "an array property of a form object without explode",
      () => client.GET("/csv", { params: { query: { qs: { tags: ["a"] } } } }),
      "qs",
    ],
    [
      "a lone surrogate in a path parameter",
      () => client.GET("/path/simple/{id}", { params: { path: { id: "\uD800" } } }),
      "id",
    ],
    ["a lone surrogate in a query value", () => search({ q: "a\uD800" }), "q"],
    ["a lone surrogate in a query object property", () => search({ qs: { after: "\uDC00" } }), "qs"],
    ["a symbol query value", () => search({ q: Symbol("s") }), "q"],
    ["a function query value", () => search({ q: () => 1 }), "q"],
    ["a symbol path parameter", () => client.GET("/path/simple/{id}", { params: { path: { id: Symbol("s") } } }), "id"],
    ["a function path parameter", () => client.GET("/path/simple/{id}", { params: { path: { id: () => 1 } } }), "id"],
    ["deepObject given a string", () => client.GET("/deep", { params: { query: { filter: "x" } } }), "filter"],
    ["deepObject given an array", () => client.GET("/deep", { params: { query: { filter: ["x"] } } }), "filter"],
    [
      "a header value that is a nested object",
      () => client.GET("/headers", { params: { header: { "x-obj": { k: { x: 1 } } } } }),
      "x-obj",
    ],
  ])("refuses %s as invalid_input naming the parameter", async (_name, call, param) => {
    expectRefused(await call(), param);
  });

  test("refuses a function given to a content (JSON) parameter instead of sending `undefined`", async () => {
    expectRefused(await client.GET("/json", { params: { query: { filter: () => 1 } } }), "filter");
  });

  test.each<[string, unknown]>([
    ["a BigInt", 1n],
    [
      "a circular object",
      (() => {
        const o: Loose = {};
        o.self = o;
        return o;
      })(),
    ],
  ])("refuses %s given to a content (JSON) parameter instead of rejecting", async (_name, filter) => {
    expectRefused(await client.GET("/json", { params: { query: { filter } } }), "filter");
  });

  test("does not silently drop a Date query value", async () => {
    expectRefused(await search({ since: new Date(0) }), "since");
  });

  test("refuses a per-call header value holding CR LF as invalid_input, without retrying", async () => {
    const result = await client.GET("/search", { headers: { "x-note": "a\r\nx-injected: 1" } });
    expect(result).toMatchObject({ kind: "invalid_input", attempts: 0 });
    expect(server.requests).toHaveLength(0);
    expect(sleeps).toEqual([]);
  });
});

describe("path safety", () => {
  test.each(["..", ".", "%2e%2e", "%2E.", ".%2e", ""])(
    "refuses the path parameter %j, and nothing reaches the server",
    async (id) => {
      expectRefused(await client.GET("/path/simple/{id}", { params: { path: { id } } }), "id");
    },
  );

  test("refuses a label value that becomes a dot segment once prefixed", async () => {
    const result = await client.GET("/path/label/{id}", { params: { path: { id: "." } } });
    expect(result).toMatchObject({ kind: "invalid_input", attempts: 0 });
    expect(server.requests).toHaveLength(0);
  });

  test("refuses a missing path parameter instead of sending the template", async () => {
    expectRefused(await client.GET("/path/simple/{id}", { params: { path: {} } } as never), "id");
  });

  test.each(["/a/../admin", "/a/./admin", "/a/%2e%2e/admin", "/../admin"])(
    "refuses an untyped template %j holding a dot segment, and nothing reaches the server",
    async (path) => {
      expectRefused(await client.GET(path as never), "path");
    },
  );
});

describe("authorization", () => {
  test("sends the client's token as the only Authorization header", async () => {
    const request = onlyRequest(await search({ first: 1 }));
    expect(rawValues(request, "authorization")).toEqual([`Bearer ${TOKEN}`]);
  });

  test.each<[string, () => Promise<unknown>]>([
    [
      "per-call `headers: { Authorization }`",
      () => client.GET("/search", { headers: { Authorization: "Bearer other" } }),
    ],
    [
      "per-call `headers: { authorization }`",
      () => client.GET("/search", { headers: { authorization: "Bearer other" } }),
    ],
    [
      "per-call `headers` as a Headers object",
      () => client.GET("/search", { headers: new Headers({ Authorization: "Bearer other" }) }),
    ],
    [
      "per-call `headers: { Authorization: null }` (deleting it)",
      () => client.GET("/search", { headers: { Authorization: null } }),
    ],
    [
      "an `Authorization` header parameter",
      () => client.GET("/headers", { params: { header: { Authorization: "Bearer other" } } }),
    ],
  ])(
    "refuses %s as invalid_input naming headers.authorization, and nothing reaches the server",
    async (_name, call) => {
      expectRefused(await call(), "headers.authorization");
    },
  );
});

describe("named methods from the operation index", () => {
  test("sends positional path parameters and flat options through the query model", async () => {
    const request = onlyRequest(await client.listThings("org-1", { first: 2, tags: ["a"] }));
    expect(request.url).toBe("/v3/organizations/org-1/things?first=2&tags=a");
  });

  test("sends every option of the query model, arrays repeating, in the order given", async () => {
    const request = onlyRequest(await client.listThings("org-1", { after: "c 1", tags: ["a", "b"], first: 3 }));
    expect(request.url).toBe("/v3/organizations/org-1/things?after=c%201&tags=a&tags=b&first=3");
  });

  test("sends no query when no option is given", async () => {
    const request = onlyRequest(await client.listThings("org-1"));
    expect(request.url).toBe("/v3/organizations/org-1/things");
  });

  test("percent-encodes a positional path parameter", async () => {
    const request = onlyRequest(await client.listThings("org/1?x"));
    expect(request.url).toBe("/v3/organizations/org%2F1%3Fx/things");
  });

  test("refuses a dot-segment positional path parameter", async () => {
    expectRefused(await client.listThings(".."), "org_id");
  });

  test("ignores an option whose value is undefined, as an absent one", async () => {
    const result = await client.listThings("org-1", { first: 2, bogus: undefined } as never);
    expect(result).toMatchObject({ kind: "ok" });
    expect(server.requests.map((r) => r.url)).toEqual(["/v3/organizations/org-1/things?first=2"]);
  });

  test("refuses an unknown option key, naming it, and nothing reaches the server", async () => {
    const result = await client.listThings("org-1", { stauts: "x" } as never);
    expectRefused(result, "stauts");
    expect((result as { message: string }).message).toContain("stauts");
  });
});

// ---------------------------------------------------------------------------------------------
// From the spec to the wire: the pipeline's index generator feeds the client

describe("parameters declared in a spec go over the wire as declared", () => {
  const array = { type: "array", items: { type: "string" } };
  const object = { type: "object", properties: { a: { type: "string" }, b: { type: "string" } } };
  const cases: [string, Record<string, unknown>, unknown, string][] = [
    ["form (no style declared), array", { schema: array }, ["x", "y"], "p=x&p=y"],
    ["form with explode false, array", { explode: false, schema: array }, ["x", "y"], "p=x,y"],
    ["form (no style declared), object", { schema: object }, { a: "1", b: "2" }, "a=1&b=2"],
    ["form with explode false, object", { explode: false, schema: object }, { a: "1", b: "2" }, "p=a,1,b,2"],
    ["spaceDelimited, array", { style: "spaceDelimited", schema: array }, ["x", "y"], "p=x%20y"],
    [
      "spaceDelimited with explode, array",
      { style: "spaceDelimited", explode: true, schema: array },
      ["x", "y"],
      "p=x&p=y",
    ],
    ["pipeDelimited, array", { style: "pipeDelimited", schema: array }, ["x", "y"], "p=x|y"],
    [
      "pipeDelimited with explode, array",
      { style: "pipeDelimited", explode: true, schema: array },
      ["x", "y"],
      "p=x&p=y",
    ],
    ["deepObject", { style: "deepObject", explode: true, schema: object }, { a: "1", b: "2" }, "p[a]=1&p[b]=2"],
    ["allowReserved", { allowReserved: true, schema: { type: "string" } }, "a/b:c", "p=a/b:c"],
    [
      "content application/json",
      { content: { "application/json": { schema: object } } },
      { a: "1" },
      "p=%7B%22a%22%3A%221%22%7D",
    ],
  ];

  test.each(cases)("%s", async (_name, declared, value, want) => {
    const spec = {
      paths: {
        "/declared": {
          get: {
            operationId: "getDeclared",
            parameters: [{ name: "p", in: "query", ...declared }],
            responses: { "200": { description: "ok" } },
          },
        },
      },
    };
    const operations = Object.fromEntries(buildOperationIndex(spec));
    const client = createApiClient<Record<string, never>, OperationIndex>({ baseUrl: server.url, operations });
    server.reset();
    const result = await (
      client as unknown as Record<string, (path: string, init: object) => Promise<{ kind: string }>>
    ).GET?.("/declared", { params: { query: { p: value } } });
    expect(result?.kind).toBe("ok");
    expect(server.requests.map((r) => r.url)).toEqual([`/declared?${want}`]);
  });
});
