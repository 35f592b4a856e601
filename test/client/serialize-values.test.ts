/**
 * src/core/serialize.ts in process: the exact strings each style produces (OpenAPI 3.1
 * §4.8.12.4) and the exact refusal for each value that cannot be sent. The HTTP tests
 * (serialization.test.ts) show the client sends these; here every branch is pinned.
 */
import { describe, expect, test } from "vitest";
import {
  SerializeError,
  type StyleTable,
  serializeCookies,
  serializeHeaders,
  serializePathParam,
  serializeQuery,
} from "../../src/core/serialize.ts";

/** The SerializeError `fn` throws, as `[name, param, what]`; the test fails if it throws none. */
function refusal(fn: () => unknown): [string, string, string] {
  let error: unknown;
  try {
    fn();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(SerializeError);
  const e = error as SerializeError;
  return [e.name, e.param, e.what];
}

const path = (style: string, explode = false): StyleTable => ({ path: { id: { style, explode } } });
const query = (style: string, explode = false, allowReserved = false): StyleTable => ({
  query: { q: { style, explode, allowReserved } },
});

describe("path parameters", () => {
  test.each<[string, unknown, StyleTable | undefined, string]>([
    ["a string", "a b", undefined, "a%20b"],
    ["a number", 5, undefined, "5"],
    ["a bigint", 12345678901234567890n, undefined, "12345678901234567890"],
    ["a boolean", false, undefined, "false"],
    ["simple array", ["a", "b"], undefined, "a,b"],
    ["simple object", { x: 1, y: "z" }, undefined, "x,1,y,z"],
    ["simple exploded object", { x: 1, y: "z" }, path("simple", true), "x=1,y=z"],
    ["label value", "v", path("label"), ".v"],
    ["label array", ["a", "b"], path("label"), ".a,b"],
    ["label exploded array", ["a", "b"], path("label", true), ".a.b"],
    ["label exploded object", { x: 1, y: 2 }, path("label", true), ".x=1.y=2"],
    ["matrix value", "v", path("matrix"), ";id=v"],
    ["matrix array", ["a", "b"], path("matrix"), ";id=a,b"],
    ["matrix exploded array", ["a", "b"], path("matrix", true), ";id=a;id=b"],
    ["matrix object", { x: 1 }, path("matrix"), ";id=x,1"],
    ["matrix exploded object", { x: 1, y: 2 }, path("matrix", true), ";x=1;y=2"],
    ["an object without a prototype", Object.assign(Object.create(null), { k: "v" }), undefined, "k,v"],
    ["an object's null and undefined properties left out", { a: null, b: undefined, c: 1 }, undefined, "c,1"],
    ["JSON content", { a: [1] }, { path: { id: { content: "application/json" } } }, "%7B%22a%22%3A%5B1%5D%7D"],
    ["a style table without path entries", "v", { query: {} }, "v"],
  ])("%s", (_, value, table, want) => {
    expect(serializePathParam("id", value, table)).toBe(want);
  });

  test.each<[string, unknown, StyleTable | undefined, string]>([
    ["an undefined style", "v", path("form"), "style `form` is not defined for path parameters"],
    ["NaN", Number.NaN, undefined, "path parameter `id` must be a finite number, not NaN"],
    ["Infinity", Number.POSITIVE_INFINITY, undefined, "path parameter `id` must be a finite number, not Infinity"],
    ["a symbol", Symbol("s"), undefined, "path parameter `id` must be a string, number or boolean, not symbol"],
    [
      "an array item that is an object",
      [{}],
      undefined,
      "item 0 of path parameter `id` must be a string, number or boolean, not an object",
    ],
    [
      "a nested array",
      [[1]],
      undefined,
      "item 0 of path parameter `id` must be a string, number or boolean, not an array",
    ],
    [
      "a null array item",
      [null],
      undefined,
      "item 0 of path parameter `id` must be a string, number or boolean, not null",
    ],
    ["null", null, undefined, "path parameter `id` must be a string, number or boolean, not null"],
    [
      "a Date",
      new Date(0),
      undefined,
      "parameter `id` must be a plain object, not a Date (send `date.toISOString()`, or what the spec asks for)",
    ],
    ["a Map", new Map(), undefined, "parameter `id` must be a plain object, not an object"],
    [
      "a property that is a function",
      { f: () => 1 },
      undefined,
      "property `f` of `id` must be a string, number or boolean, not function",
    ],
    ["a lone surrogate", "\ud800", undefined, "`id` contains a lone surrogate (not valid Unicode text)"],
    [
      "JSON content that JSON cannot hold",
      { n: 1n },
      { path: { id: { content: "application/json" } } },
      "`id` cannot be sent as JSON: Do not know how to serialize a BigInt",
    ],
    [
      "JSON content of undefined",
      () => 1,
      { path: { id: { content: "application/json" } } },
      "`id` cannot be sent as JSON: it is a function",
    ],
  ])("refuses %s", (_, value, table, what) => {
    expect(refusal(() => serializePathParam("id", value, table))).toEqual(["SerializeError", "id", what]);
  });
});

describe("query", () => {
  test.each<[string, Record<string, unknown>, StyleTable | undefined, string]>([
    ["form exploded array (the default)", { q: ["a", "b"] }, undefined, "q=a&q=b"],
    ["form array", { q: ["a", "b"] }, query("form"), "q=a,b"],
    ["an empty array: nothing", { q: [] }, undefined, ""],
    ["spaceDelimited", { q: ["a", "b"] }, query("spaceDelimited"), "q=a%20b"],
    ["pipeDelimited", { q: ["a", "b"] }, query("pipeDelimited"), "q=a|b"],
    ["form exploded object: one parameter per property", { q: { a: 1, t: ["x", "y"] } }, undefined, "a=1&t=x&t=y"],
    ["form object", { q: { a: 1, b: "c" } }, query("form"), "q=a,1,b,c"],
    ["an empty object: nothing", { q: {} }, query("form"), ""],
    [
      "pipeDelimited exploded object is not one parameter per property",
      { q: { a: 1 } },
      query("pipeDelimited", true),
      "q=a|1",
    ],
    ["deepObject", { q: { a: 1, t: ["x", "y"] } }, query("deepObject", true), "q[a]=1&q[t]=x&q[t]=y"],
    ["allowReserved", { q: "a/b?c#d" }, query("form", false, true), "q=a/b?c%23d"],
    ["null and undefined left out", { a: null, b: undefined, c: 0 }, undefined, "c=0"],
    ["JSON content", { q: { a: 1 } }, { query: { q: { content: "application/json" } } }, "q=%7B%22a%22%3A1%7D"],
    ["a name with reserved characters", { "a/b": "v/w" }, undefined, "a%2Fb=v%2Fw"],
    ["allowReserved leaves names encoded", { q: { "k/1": "v/1" } }, query("form", true, true), "k%2F1=v/1"],
    ["deepObject keys encoded", { q: { "k/1": "v" } }, query("deepObject", true, true), "q[k%2F1]=v"],
    ["form object keys encoded", { q: { "k/1": "v/1" } }, query("form", false, true), "q=k%2F1,v/1"],
  ])("%s", (_, value, table, want) => {
    expect(serializeQuery(value, table)).toBe(want);
  });

  test("no query is an empty string", () => {
    expect(serializeQuery(undefined)).toBe("");
  });

  test.each<[string, Record<string, unknown>, StyleTable | undefined, string]>([
    [
      "deepObject with a string",
      { q: "x" },
      query("deepObject", true),
      "query parameter `q` has style deepObject, so it must be an object",
    ],
    [
      "deepObject with an array",
      { q: ["x"] },
      query("deepObject", true),
      "query parameter `q` has style deepObject, so it must be an object",
    ],
    ["an undefined style", { q: "x" }, query("matrix"), "style `matrix` is not defined for query parameters"],
    [
      "a deepObject property that is an object",
      { q: { a: {} } },
      query("deepObject", true),
      "property `a` of `q` must be a string, number or boolean, not an object",
    ],
    [
      "a deepObject array item that is null",
      { q: { a: [null] } },
      query("deepObject", true),
      "item 0 of `q.a` must be a string, number or boolean, not null",
    ],
    [
      "an exploded object's property that is an object",
      { q: { a: {} } },
      undefined,
      "property `a` of `q` must be a string, number or boolean, not an object",
    ],
    [
      "an exploded object's array item that is an array",
      { q: { a: [[1]] } },
      undefined,
      "item 0 of `q.a` must be a string, number or boolean, not an array",
    ],
    [
      "a form object's property that is an object",
      { q: { a: {} } },
      query("form"),
      "property `a` of `q` must be a string, number or boolean, not an object",
    ],
    [
      "an array item that is an object",
      { q: [{}] },
      undefined,
      "item 0 of query parameter `q` must be a string, number or boolean, not an object",
    ],
    [
      "a value that is a symbol",
      { q: Symbol("s") },
      undefined,
      "query parameter `q` must be a string, number or boolean, not symbol",
    ],
    [
      "a Date",
      { q: new Date(0) },
      undefined,
      "parameter `q` must be a plain object, not a Date (send `date.toISOString()`, or what the spec asks for)",
    ],
    [
      "a deepObject Date",
      { q: new Date(0) },
      query("deepObject", true),
      "parameter `q` must be a plain object, not a Date (send `date.toISOString()`, or what the spec asks for)",
    ],
    [
      "a form Date",
      { q: new Date(0) },
      query("form"),
      "parameter `q` must be a plain object, not a Date (send `date.toISOString()`, or what the spec asks for)",
    ],
  ])("refuses %s", (_, value, table, what) => {
    expect(refusal(() => serializeQuery(value, table))).toEqual(["SerializeError", "q", what]);
  });
});

describe("headers", () => {
  test.each<[string, Record<string, unknown>, StyleTable | undefined, Record<string, string>]>([
    ["a value", { h: 5 }, undefined, { h: "5" }],
    ["an array", { h: ["a", "b"] }, undefined, { h: "a,b" }],
    ["an object", { h: { a: 1, b: 2 } }, undefined, { h: "a,1,b,2" }],
    ["an exploded object", { h: { a: 1, b: 2 } }, { header: { h: { explode: true } } }, { h: "a=1,b=2" }],
    ["JSON content", { h: { a: 1 } }, { header: { h: { content: "application/json" } } }, { h: '{"a":1}' }],
    ["null and undefined left out", { a: null, b: undefined, c: "" }, undefined, { c: "" }],
  ])("%s", (_, value, table, want) => {
    expect(serializeHeaders(value, table)).toEqual(want);
  });

  test.each<[string, unknown, string]>([
    ["a line break", "a\r\nb", "header `h` contains control or non-ASCII characters"],
    ["JSON with a non-ASCII character", undefined, "header `h` contains control or non-ASCII characters"],
    [
      "an array item that is an object",
      [{}],
      "item 0 of header `h` must be a string, number or boolean, not an object",
    ],
    [
      "a property that is an array",
      { a: [] },
      "property `a` of header `h` must be a string, number or boolean, not an array",
    ],
    ["a symbol", Symbol("s"), "header `h` must be a string, number or boolean, not symbol"],
    ["a Map", new Map(), "parameter `h` must be a plain object, not an object"],
  ])("refuses %s", (name, value, what) => {
    const table: StyleTable | undefined = name.startsWith("JSON")
      ? { header: { h: { content: "application/json" } } }
      : undefined;
    const sent = name.startsWith("JSON") ? { h: { name: "é" } } : { h: value };
    expect(refusal(() => serializeHeaders(sent, table))).toEqual(["SerializeError", "h", what]);
  });
});

describe("cookies", () => {
  const unexploded: StyleTable = { cookie: { c: { explode: false } } };

  test.each<[string, Record<string, unknown>, StyleTable | undefined, string | undefined]>([
    ["values", { a: "1 2", b: true }, undefined, "a=1%202; b=true"],
    ["an array without explode", { c: ["x", "y"] }, unexploded, "c=x,y"],
    ["an object without explode", { c: { k: "v", n: 1 } }, unexploded, "c=k,v,n,1"],
    ["JSON content", { c: { k: 1 } }, { cookie: { c: { content: "application/json" } } }, "c=%7B%22k%22%3A1%7D"],
    ["null and undefined left out", { a: null, b: undefined }, undefined, undefined],
    ["none", {}, undefined, undefined],
  ])("%s", (_, value, table, want) => {
    expect(serializeCookies(value, table)).toBe(want);
  });

  test("no cookies at all", () => {
    expect(serializeCookies(undefined)).toBeUndefined();
  });

  test.each<[string, unknown, StyleTable | undefined, string]>([
    ["an exploded array", ["x"], undefined, "cookie `c`: arrays and objects can only be sent with explode: false"],
    ["an exploded object", { k: 1 }, undefined, "cookie `c`: arrays and objects can only be sent with explode: false"],
    [
      "an array item that is an object",
      [{}],
      unexploded,
      "item 0 of cookie `c` must be a string, number or boolean, not an object",
    ],
    [
      "a property that is a Date",
      { k: new Date(0) },
      unexploded,
      "property `k` of cookie `c` must be a string, number or boolean, not a Date (send `date.toISOString()`, or what the spec asks for)",
    ],
    ["a symbol", Symbol("s"), undefined, "cookie `c` must be a string, number or boolean, not symbol"],
    [
      "a Date without explode",
      new Date(0),
      unexploded,
      "cookie `c` must be a plain object, not a Date (send `date.toISOString()`, or what the spec asks for)",
    ],
  ])("refuses %s", (_, value, table, what) => {
    expect(refusal(() => serializeCookies({ c: value }, table))).toEqual(["SerializeError", "c", what]);
  });
});
