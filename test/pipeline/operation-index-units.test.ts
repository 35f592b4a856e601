/**
 * In-process units of the operation index (scripts/build/operation-index.ts) on small hand-built
 * bundles: method names, which parameters count and how they serialise, query models,
 * pagination, DELETE + 409, and the collision error. Each assertion compares whole entries.
 */
import { describe, expect, test } from "vitest";
import { buildOperationIndex, methodName, operationIndexSource } from "../../scripts/build/operation-index.ts";
import type { OperationEntry } from "../../src/core/operations.ts";
import { pipelineErrorOf } from "./helpers.ts";

type Json = Record<string, unknown>;

const ok = { "200": { description: "ok" } };

/** The entries of the index of `paths` (with `components`), in the index's order. */
function entries(paths: Json, components: Json = {}): OperationEntry[] {
  return [...buildOperationIndex({ openapi: "3.1.0", paths, components }).values()];
}

/** The one entry of a bundle whose only operation is `GET /x` (or `method /x`). */
function entryOf(operation: Json, components: Json = {}, method = "get"): OperationEntry[] {
  return entries({ "/x": { [method]: operation } }, components);
}

/** A 200 response whose JSON body is an object with these (string) properties. */
function page(...names: string[]): Json {
  return {
    "200": {
      description: "ok",
      content: {
        "application/json": {
          schema: { type: "object", properties: Object.fromEntries(names.map((n) => [n, { type: "string" }])) },
        },
      },
    },
  };
}
const PAGE = page("items", "has_next_page", "end_cursor");

const str = { type: "string" };
const query = (name: string, extra: Json = {}) => ({ name, in: "query", schema: str, ...extra });

describe("methodName", () => {
  test.each([
    ["drops `handle_` only at the start", "list_handle_things", "get", "/x", "listHandleThings"],
    ["ignores leading and doubled separators", "__private--call_", "get", "/x", "privateCall"],
    ["splits only where a lower-case letter or digit meets a capital", "get2FAStatus", "get", "/x", "get2Fastatus"],
    ["falls back to the method when the id has no word", "___", "post", "/x", "post"],
    ["falls back to the method for an id of only `-`", "-", "patch", "/x", "patch"],
    ["prefixes a name starting with a digit", "3d_models", "get", "/x", "op3dModels"],
    ["names by method and path without an id", undefined, "delete", "/v3/items/{item_id}", "deleteV3ItemsItemId"],
  ])("%s", (_what, operationId, method, path, want) => {
    expect(methodName(operationId, method, path)).toBe(want);
  });
});

describe("operationId", () => {
  test("recorded only when it is a string; otherwise the name comes from method and path", () => {
    expect(entries({ "/a/{id}": { get: { responses: ok }, post: { operationId: 42, responses: ok } } })).toStrictEqual([
      { method: "get", path: "/a/{id}", pathParams: ["id"], query: [] },
      { method: "post", path: "/a/{id}", pathParams: ["id"], query: [] },
    ]);
  });

  test("the index is keyed by method name in code-point order", () => {
    const index = buildOperationIndex({
      paths: { "/b": { get: { operationId: "beta", responses: ok } }, "/a": { get: { responses: ok } } },
    });
    expect([...index.keys()]).toEqual(["beta", "getA"]);
  });
});

describe("path items", () => {
  test("a path item that is not an object is skipped; a $ref'd one is followed", () => {
    const paths = {
      "/null": null,
      "/text": "not an item",
      "/list": [{ get: { responses: ok } }],
      "/ref": { $ref: "#/components/pathItems/Ref" },
      "/dangling": { $ref: "#/components/pathItems/Missing" },
    };
    const components = { pathItems: { Ref: { get: { operationId: "viaRef", responses: ok } } } };
    expect(entries(paths, components)).toStrictEqual([
      { operationId: "viaRef", method: "get", path: "/ref", pathParams: [], query: [] },
    ]);
  });

  test("a bundle without paths has an empty index", () => {
    expect(buildOperationIndex({ openapi: "3.1.0" })).toEqual(new Map());
  });
});

describe("parameters", () => {
  test("entries without a string name, or with a location OpenAPI 3 does not have, are skipped", () => {
    const parameters = [
      null,
      "junk",
      { in: "query", schema: str },
      { name: 7, in: "query", schema: str },
      { name: "payload", in: "body", style: "form", explode: true, schema: { type: "object" } },
      { name: "nowhere", style: "label", schema: str },
      query("q"),
    ];
    expect(entryOf({ operationId: "op", parameters, responses: ok })).toStrictEqual([
      { operationId: "op", method: "get", path: "/x", pathParams: [], query: ["q"] },
    ]);
  });

  test("a list that is not an array is ignored", () => {
    expect(
      entries({ "/x": { parameters: { name: "a", in: "query" }, get: { parameters: "q", responses: ok } } }),
    ).toStrictEqual([{ method: "get", path: "/x", pathParams: [], query: [] }]);
  });

  test("an operation's parameter overrides the path item's of the same name and location; $refs are followed", () => {
    const components = {
      parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer" } } },
    };
    const item = {
      parameters: [
        { name: "id", in: "path", required: true, style: "matrix", schema: str },
        query("id", { style: "spaceDelimited" }),
        query("shared", { explode: false }),
      ],
      get: {
        operationId: "getThing",
        parameters: [
          { name: "id", in: "path", required: true, schema: str },
          { $ref: "#/components/parameters/Limit" },
          query("shared", { allowReserved: true }),
        ],
        responses: ok,
      },
    };
    expect(entries({ "/things/{id}": item }, components)).toStrictEqual([
      {
        operationId: "getThing",
        method: "get",
        path: "/things/{id}",
        pathParams: ["id"],
        // The path item's order, the operation's own additions after it.
        query: ["id", "shared", "limit"],
        serialization: {
          // `path id` lost its matrix style to the operation's plain parameter.
          query: { id: { style: "spaceDelimited" }, shared: { allowReserved: true } },
        },
      },
    ]);
  });

  test("each location keeps a declared serialisation that differs from its default", () => {
    const parameters = [
      { name: "id", in: "path", required: true, style: "label", schema: str },
      { name: "tags", in: "cookie", explode: false, schema: { type: "array" } },
      { name: "plain", in: "cookie", style: "form", schema: str },
      { name: "x-raw", in: "header", allowReserved: true, schema: str },
      { name: "x-list", in: "header", style: "simple", explode: true, schema: { type: "array" } },
    ];
    expect(entries({ "/x/{id}": { get: { operationId: "op", parameters, responses: ok } } })).toStrictEqual([
      {
        operationId: "op",
        method: "get",
        path: "/x/{id}",
        pathParams: ["id"],
        query: [],
        serialization: {
          path: { id: { style: "label" } },
          header: { "x-list": { explode: true } },
          cookie: { tags: { explode: false } },
        },
      },
    ]);
  });

  test("a parameter with `content` records only its media type, whatever style it declares", () => {
    const parameters = [
      query("json", {
        style: "deepObject",
        explode: true,
        allowReserved: true,
        schema: undefined,
        content: { "application/json": { schema: { type: "object" } } },
      }),
      { name: "x-text", in: "header", explode: true, content: { "text/plain": null } },
      { name: "c", in: "cookie", style: "simple", explode: false, content: { "application/json": {} } },
    ];
    expect(entryOf({ operationId: "op", parameters, responses: ok })).toStrictEqual([
      {
        operationId: "op",
        method: "get",
        path: "/x",
        pathParams: [],
        query: ["json"],
        serialization: {
          query: { json: { content: "application/json", allowReserved: true } },
          header: { "x-text": { content: "text/plain" } },
          cookie: { c: { content: "application/json" } },
        },
      },
    ]);
  });
});

describe("query models", () => {
  const components = {
    schemas: {
      Base: { properties: { a: str, b: str } },
      // Refers to itself through allOf: the walk stops at a fixed depth.
      Loop: { type: "object", allOf: [{ $ref: "#/components/schemas/Loop" }], properties: { z: str } },
    },
  };
  const base = { method: "get", path: "/x", pathParams: [] };

  test.each<[string, Json, Partial<OperationEntry>]>([
    ["a scalar parameter is an option of its own", query("q"), { query: ["q"] }],
    [
      "an object without properties is a model with no options",
      query("q", { schema: { type: "object" } }),
      {
        query: [],
        queryModel: "q",
      },
    ],
    [
      "properties without `type`, through $ref and allOf, make a model",
      query("q", { schema: { allOf: [{ $ref: "#/components/schemas/Base" }] } }),
      { query: ["a", "b"], queryModel: "q" },
    ],
    [
      "a schema that refers to itself through allOf is read to a fixed depth",
      query("q", { schema: { $ref: "#/components/schemas/Loop" } }),
      { query: ["z"], queryModel: "q" },
    ],
    [
      "option names the client reads itself are left out of a model's options",
      query("q", { schema: { type: "object", properties: { signal: str, maxItems: str, kind: str } } }),
      { query: ["kind"], queryModel: "q" },
    ],
    [
      "deepObject is not a model",
      query("q", { style: "deepObject", schema: { $ref: "#/components/schemas/Base" } }),
      { query: ["q"], serialization: { query: { q: { style: "deepObject" } } } },
    ],
    [
      "form without explode is not a model",
      query("q", { explode: false, schema: { $ref: "#/components/schemas/Base" } }),
      { query: ["q"], serialization: { query: { q: { explode: false } } } },
    ],
    [
      "an object in `content` is not a model",
      query("q", { schema: undefined, content: { "application/json": { schema: { type: "object" } } } }),
      { query: ["q"], serialization: { query: { q: { content: "application/json" } } } },
    ],
    [
      "an empty `content` leaves the parameter's own schema in charge",
      query("q", { content: {}, schema: { $ref: "#/components/schemas/Base" } }),
      { query: ["a", "b"], queryModel: "q" },
    ],
  ])("%s", (_what, parameter, want) => {
    expect(entryOf({ parameters: [parameter], responses: ok }, components)).toStrictEqual([{ ...base, ...want }]);
  });

  test("two query parameters: no model, even when one is an object", () => {
    const parameters = [query("q", { schema: { $ref: "#/components/schemas/Base" } }), query("r")];
    expect(entryOf({ parameters, responses: ok }, components)).toStrictEqual([{ ...base, query: ["q", "r"] }]);
  });
});

describe("pagination", () => {
  const base = { method: "get", path: "/x", pathParams: [] };
  const model = (...names: string[]) =>
    query("qs", { schema: { type: "object", properties: Object.fromEntries(names.map((n) => [n, str])) } });

  test.each<[string, Json, Partial<OperationEntry>]>([
    [
      "top-level after and first",
      { parameters: [query("after"), query("first")], responses: PAGE },
      { query: ["after", "first"], paginated: { after: ["after"], first: ["first"] } },
    ],
    [
      "after alone",
      { parameters: [query("after")], responses: PAGE },
      { query: ["after"], paginated: { after: ["after"] } },
    ],
    ["first without after: not paginated", { parameters: [query("first")], responses: PAGE }, { query: ["first"] }],
    [
      "cursor inside the query model",
      { parameters: [model("after", "first", "kind")], responses: PAGE },
      {
        query: ["after", "first", "kind"],
        queryModel: "qs",
        paginated: { after: ["qs", "after"], first: ["qs", "first"] },
      },
    ],
    [
      "a query model without a cursor: not paginated",
      { parameters: [model("kind")], responses: PAGE },
      { query: ["kind"], queryModel: "qs" },
    ],
    [
      "a cursor inside a deepObject parameter does not count",
      { parameters: [{ ...model("after"), style: "deepObject" }], responses: PAGE },
      { query: ["qs"], serialization: { query: { qs: { style: "deepObject" } } } },
    ],
    [
      "a scalar query parameter without a cursor: not paginated",
      { parameters: [query("limit")], responses: PAGE },
      { query: ["limit"] },
    ],
    ["no responses at all: not paginated", { parameters: [query("after")] }, { query: ["after"] }],
    [
      "a response without a page body: not paginated",
      { parameters: [query("after")], responses: ok },
      { query: ["after"] },
    ],
    [
      "a body with only end_cursor: not paginated",
      { parameters: [query("after")], responses: page("end_cursor") },
      { query: ["after"] },
    ],
    [
      "a body without items: not paginated",
      { parameters: [query("after")], responses: page("has_next_page", "end_cursor") },
      { query: ["after"] },
    ],
    [
      "a body without end_cursor: not paginated",
      { parameters: [query("after")], responses: page("items", "has_next_page") },
      { query: ["after"] },
    ],
    [
      "a body without has_next_page: not paginated",
      { parameters: [query("after")], responses: page("items", "end_cursor") },
      { query: ["after"] },
    ],
  ])("GET: %s", (_what, operation, want) => {
    expect(entryOf(operation)).toStrictEqual([{ ...base, ...want }]);
  });

  test("the page body is found through $refs and allOf", () => {
    const components = {
      responses: { Page: { $ref: "#/components/responses/RealPage" }, RealPage: PAGE["200"] },
      schemas: {
        Cursor: { type: "object", properties: { end_cursor: str, has_next_page: str } },
        Items: {
          allOf: [{ $ref: "#/components/schemas/Cursor" }, { type: "object", properties: { items: str } }],
        },
      },
    };
    const responses = {
      "200": {
        content: { "application/json": { schema: { $ref: "#/components/schemas/Items" } } },
      },
    };
    const parameters = [query("after")];
    expect([
      ...entryOf({ parameters, responses }, components),
      ...entryOf({ parameters, responses: { "200": { $ref: "#/components/responses/Page" } } }, components),
    ]).toStrictEqual([
      { ...base, query: ["after"], paginated: { after: ["after"] } },
      { ...base, query: ["after"], paginated: { after: ["after"] } },
    ]);
  });

  test("only a GET is paginated", () => {
    const parameters = [query("after"), query("first")];
    expect(entryOf({ parameters, responses: PAGE }, {}, "post")).toStrictEqual([
      { method: "post", path: "/x", pathParams: [], query: ["after", "first"] },
    ]);
  });
});

describe("a DELETE that declares 409", () => {
  test("only a DELETE with a 409 response (directly or through a $ref) means done on conflict", () => {
    const conflict = { ...ok, "409": { description: "conflict" } };
    const paths = {
      "/a": { delete: { operationId: "a", responses: conflict } },
      "/b": { delete: { operationId: "b", responses: { $ref: "#/components/x-responses/Conflict" } } },
      "/c": { delete: { operationId: "c", responses: ok } },
      "/d": { delete: { operationId: "d" } },
      "/e": { get: { operationId: "e", responses: conflict }, post: { operationId: "f", responses: conflict } },
    };
    const at = (path: string, method: string) => ({ method, path, pathParams: [], query: [] });
    expect(entries(paths, { "x-responses": { Conflict: conflict } })).toStrictEqual([
      { operationId: "a", ...at("/a", "delete"), conflictMeansDone: true },
      { operationId: "b", ...at("/b", "delete"), conflictMeansDone: true },
      { operationId: "c", ...at("/c", "delete") },
      { operationId: "d", ...at("/d", "delete") },
      { operationId: "e", ...at("/e", "get") },
      { operationId: "f", ...at("/e", "post") },
    ]);
  });
});

describe("method name collisions", () => {
  test("every problem on its own line, operations without an id named by method and path", () => {
    const error = pipelineErrorOf(() =>
      buildOperationIndex({
        paths: {
          "/a-b": { get: { responses: ok } },
          "/a_b": { get: { responses: ok } },
          "/p": { post: { operationId: "toString", responses: ok }, put: { responses: ok } },
          "/put/p": { get: { operationId: "putP", responses: ok } },
        },
      }),
    );
    expect(error.message).toBe(
      [
        "method names collide:",
        "    GET /a-b and GET /a_b both map to the method name `getAB`",
        "    POST /p (operationId toString) maps to the method name `toString`, which the client reserves for its own use",
        "    PUT /p and GET /put/p (operationId putP) both map to the method name `putP`",
      ].join("\n"),
    );
    expect(error.locations).toStrictEqual([{ file: "generated/devin-api.yaml (bundle)", pointer: "#/paths" }]);
    expect(error.hint).toBe(
      'Method names come from operationIds (README, "Method names"). Follow only one of the two pages ' +
        "(delete the other's fragment in spec/fragments/), or ask the docs to rename one operation.",
    );
  });
});

describe("operationIndexSource", () => {
  test("the index as an `as const` object literal after the banner", () => {
    const source = operationIndexSource({
      paths: {
        "/b": { get: { responses: ok } },
        "/a/{id}": { delete: { operationId: "zap", responses: { "409": { description: "conflict" } } } },
      },
    });
    expect(source.startsWith("/**\n * Generated by `npm run generate` from the bundle (devin-api.yaml).")).toBe(true);
    expect(source.slice(source.indexOf("\nexport "))).toBe(
      [
        "",
        "export const operationIndex = {",
        '    "getB": {',
        '        "method": "get",',
        '        "path": "/b",',
        '        "pathParams": [],',
        '        "query": []',
        "    },",
        '    "zap": {',
        '        "operationId": "zap",',
        '        "method": "delete",',
        '        "path": "/a/{id}",',
        '        "pathParams": [',
        '            "id"',
        "        ],",
        '        "query": [],',
        '        "conflictMeansDone": true',
        "    }",
        "} as const;",
        "",
      ].join("\n"),
    );
  });
});

describe("bounds on what the index follows", () => {
  /** Parameters P1…Pn of the components, each a `$ref` to the next, the last a real query parameter. */
  function refChain(n: number): Json {
    const parameters: Json = {};
    for (let i = 1; i < n; i++) parameters[`P${i}`] = { $ref: `#/components/parameters/P${i + 1}` };
    parameters[`P${n}`] = query("q");
    return { parameters };
  }
  const viaChain = (n: number) =>
    entryOf({ parameters: [{ $ref: "#/components/parameters/P1" }], responses: ok }, refChain(n));

  test("follows a chain of 32 $refs to a parameter, and no longer one", () => {
    expect(viaChain(32)).toStrictEqual([{ method: "get", path: "/x", pathParams: [], query: ["q"] }]);
    expect(viaChain(33)).toStrictEqual([{ method: "get", path: "/x", pathParams: [], query: [] }]);
  });

  test("a cycle of $refs ends: the parameter is skipped", () => {
    const components = {
      parameters: { A: { $ref: "#/components/parameters/B" }, B: { $ref: "#/components/parameters/A" } },
    };
    expect(entryOf({ parameters: [{ $ref: "#/components/parameters/A" }], responses: ok }, components)).toStrictEqual([
      { method: "get", path: "/x", pathParams: [], query: [] },
    ]);
  });

  test("reads a query model's properties through allOf down to depth 8, not 9", () => {
    // Level i declares property `p<i>` and, below it, level i + 1 in its allOf.
    let schema: Json = { properties: { p9: str } };
    for (let i = 8; i >= 0; i--) schema = { properties: { [`p${i}`]: str }, allOf: [schema] };
    const [entry] = entryOf({ parameters: [query("q", { schema })], responses: ok });
    expect(entry?.queryModel).toBe("q");
    expect([...(entry?.query ?? [])].sort()).toEqual(["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]);
  });
});
