/**
 * scripts/shared/ in process: how a YAML file of spec/ is parsed, framed and located
 * (source-file.ts), the JSON pointers of messages and `$ref`s (json-pointer.ts), and the small
 * OpenAPI facts the build, the importer and the gate share (openapi.ts). Whole values only: a
 * message, a location or a hint that changes by one character fails here.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pointerKeys, toPointer, valueAt } from "../../scripts/shared/json-pointer.ts";
import { isRecord, listOperations, operationBaseName } from "../../scripts/shared/openapi.ts";
import { type ErrorLocation, isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { parseSourceFile, readSourceDir } from "../../scripts/shared/source-file.ts";

const FIX = "Fix the YAML at the marked line (indent with spaces, close every bracket and quote, keep keys unique)";
const PAGE_ADVICE =
  ": the docs page's OpenAPI block itself is broken. Save the page again from the docs; if it stays broken, report it to the docs.";
const FRAGMENT_ADVICE =
  "; better, pull or re-import the fragment from its docs page (`npm run spec:pull` or `npm run spec:import`) than edit it.";

/** What parsing `text` throws, as plain data; it must be a PipelineError. */
function parseFailure(text: string, display = "spec/overlays/x.yaml", lineOffset = 0) {
  let error: unknown;
  try {
    parseSourceFile(`/project/${display}`, display, text, lineOffset);
  } catch (thrown) {
    error = thrown;
  }
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  const { message, locations, hint } = error as PipelineError;
  return { message, locations, hint };
}

/** Nine valid lines, so that the error after them sits on line 10. */
const NINE_LINES = Array.from({ length: 9 }, (_, i) => `k${i + 1}: ${i + 1}\n`).join("");

describe("parseSourceFile refuses invalid YAML", () => {
  // [name, { text, lineOffset, message, at: [line, column] }], display spec/overlays/x.yaml.
  test.each<[string, { text: string; lineOffset?: number; message: string; at: [number, number] }]>([
    [
      "one error: its first line without the library's position, then a frame numbered as in the file",
      {
        text: "a: 1\na: 2\n",
        message: "invalid YAML: Map keys must be unique\n    1 | a: 1\n  > 2 | a: 2\n      | ^",
        at: [2, 1],
      },
    ],
    [
      "two errors: says one more, singular",
      {
        text: "a: 1\na: 2\na: 3\n",
        message:
          "invalid YAML: Map keys must be unique (1 more YAML error after it)\n    1 | a: 1\n  > 2 | a: 2\n      | ^",
        at: [2, 1],
      },
    ],
    [
      "three errors: says two more, plural",
      {
        text: "a: 1\na: 2\na: 3\na: 4\n",
        message:
          "invalid YAML: Map keys must be unique (2 more YAML errors after it)\n    1 | a: 1\n  > 2 | a: 2\n      | ^",
        at: [2, 1],
      },
    ],
    [
      "an error at line 10, column 13: strips a position of several digits, widens the numbers",
      {
        text: `${NINE_LINES}long_key_1: a: b\n`,
        message:
          "invalid YAML: Nested mappings are not allowed in compact mappings\n" +
          "     8 | k8: 8\n     9 | k9: 9\n  > 10 | long_key_1: a: b\n       |             ^",
        at: [10, 13],
      },
    ],
    [
      // Text after a block scalar's `|` is "Not a YAML token", quoted in the message: only the
      // library's position at the end of the line goes, not the same words in the page's text.
      'an error whose message quotes the page\'s own "at line N, column M": strips only the last',
      {
        text: "description: | Fails at line 2, column 7 of the request\n  text\n",
        message:
          "invalid YAML: Not a YAML token: Fails at line 2, column 7 of the request\n" +
          "  > 1 | description: | Fails at line 2, column 7 of the request\n      |                ^",
        at: [1, 16],
      },
    ],
    [
      // The library ends its first line with ":" only when it has a context line to show; a line
      // of lone carriage returns is none, and its position must go all the same.
      "an error on a first line of lone carriage returns: strips the position without a colon",
      {
        text: "\r\r\n\r:",
        message: "invalid YAML: Implicit keys need to be on a single line\n  > 1 | \uFFFD\n      | ^",
        at: [1, 1],
      },
    ],
    [
      "a tab before the column: kept in the caret line, every other character a space",
      {
        text: "a:\t{b: 1, b: 2}\n",
        message: "invalid YAML: Map keys must be unique\n  > 1 | a:\t{b: 1, b: 2}\n      |   \t       ^",
        at: [1, 11],
      },
    ],
    [
      "CRLF line endings: the frame shows no CR",
      {
        text: "a: 1\r\nb: 2\r\na: 3\r\n",
        message: "invalid YAML: Map keys must be unique\n    1 | a: 1\n    2 | b: 2\n  > 3 | a: 3\n      | ^",
        at: [3, 1],
      },
    ],
    [
      "a CR inside a line and an ANSI escape: each shown as U+FFFD, never sent to the terminal",
      {
        text: 'x: "a\rb\u001b[31m"\nx: 3\n',
        message: 'invalid YAML: Map keys must be unique\n    1 | x: "a\uFFFDb\uFFFD[31m"\n  > 2 | x: 3\n      | ^',
        at: [2, 1],
      },
    ],
    [
      "a line of 160 characters: shown whole",
      {
        text: `x: ${"y".repeat(157)}\nx: 3\n`,
        message: `invalid YAML: Map keys must be unique\n    1 | x: ${"y".repeat(157)}\n  > 2 | x: 3\n      | ^`,
        at: [2, 1],
      },
    ],
    [
      "a line of 161 characters: cut at 160, with an ellipsis",
      {
        text: `x: ${"y".repeat(158)}\nx: 3\n`,
        message: `invalid YAML: Map keys must be unique\n    1 | x: ${"y".repeat(157)}…\n  > 2 | x: 3\n      | ^`,
        at: [2, 1],
      },
    ],
    [
      "YAML from line 96 of a docs page: numbered and located as in the page",
      {
        text: "openapi: 3.1.0\ninfo: {}\npaths: {}\nopenapi: 3.0.0\n",
        lineOffset: 96,
        message:
          "invalid YAML: Map keys must be unique\n     98 | info: {}\n     99 | paths: {}\n  > 100 | openapi: 3.0.0\n        | ^",
        at: [100, 1],
      },
    ],
  ])("%s", (_name, { text, lineOffset = 0, message, at: [line, column] }) => {
    const hint = `${FIX}${lineOffset > 0 ? PAGE_ADVICE : "."}`;
    expect(parseFailure(text, "spec/overlays/x.yaml", lineOffset)).toEqual({
      message,
      locations: [{ file: "spec/overlays/x.yaml", line, column }],
      hint,
    });
  });

  // What to do depends on what the file is: [display, lineOffset, advice after FIX].
  test.each<[string, number, string]>([
    ["docs/pages/list-keys.md", 3, PAGE_ADVICE],
    ["https://docs.devin.ai/api-reference/v3/list-keys", 0, PAGE_ADVICE],
    ["http://127.0.0.1:8080/list-keys.md", 0, PAGE_ADVICE],
    ["spec/fragments/list-keys.yaml", 0, FRAGMENT_ADVICE],
    ["/project/spec/fragments/list-keys.yaml", 0, FRAGMENT_ADVICE],
    // A colon in a file name does not make it a URL.
    ["spec/fragments/https:list-keys.yaml", 0, FRAGMENT_ADVICE],
    ["myspec/fragments/list-keys.yaml", 0, "."],
    ["spec/overlays/10-names.yaml", 0, "."],
    ["spec/sources.yaml", 0, "."],
  ])("advises for %s (line offset %i)", (display, lineOffset, advice) => {
    expect(parseFailure("a: 1\na: 2\n", display, lineOffset).hint).toBe(`${FIX}${advice}`);
  });
});

describe("parseSourceFile refuses an alias bomb", () => {
  const bomb =
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
    "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";

  test.each<[string, number, ErrorLocation]>([
    ["in a file, at its first alias", 0, { file: "spec/fragments/bomb.yaml", line: 2, column: 8 }],
    ["in a docs page's block, at the page's line", 40, { file: "spec/fragments/bomb.yaml", line: 42, column: 8 }],
  ])("%s", (_name, lineOffset, location) => {
    expect(parseFailure(bomb, "spec/fragments/bomb.yaml", lineOffset)).toEqual({
      message: "YAML aliases (`*name`) expand to too much data (limit 100): refused as an alias bomb",
      locations: [location],
      hint: "Write the YAML without anchors and aliases (`&name`, `*name`), as the docs publish it.",
    });
  });

  test("expands a few aliases as usual", () => {
    const file = parseSourceFile("/p/a.yaml", "a.yaml", "a: &a [x, y]\nb: [*a, *a]\n");
    expect(file.data).toEqual({
      a: ["x", "y"],
      b: [
        ["x", "y"],
        ["x", "y"],
      ],
    });
  });

  const NO_ALIASES = "Write the YAML without anchors and aliases (`&name`, `*name`), as the docs publish it.";

  test("names an alias without its anchor at that alias, not as an alias bomb at the first alias", () => {
    expect(parseFailure("x: &x 1\ny: [*x]\nz: *nope\n", "spec/fragments/a.yaml", 10)).toEqual({
      message: "YAML alias `*nope` has no anchor `&nope` before it",
      locations: [{ file: "spec/fragments/a.yaml", line: 13, column: 4 }],
      hint: NO_ALIASES,
    });
  });

  test("refuses an alias inside the node it names (endless data), at that alias", () => {
    expect(parseFailure("a: 1\nb: &b\n  c: [*b]\n", "spec/fragments/a.yaml", 0)).toEqual({
      message: "YAML alias `*b` sits inside the node it names: the data would be endless",
      locations: [{ file: "spec/fragments/a.yaml", line: 3, column: 7 }],
      hint: NO_ALIASES,
    });
  });

  test("accepts an alias next to the node it names, and one of a node named twice (the last anchor before it)", () => {
    const file = parseSourceFile("/p/a.yaml", "a.yaml", "a: &a [1]\nb: &a [2]\nc: *a\nd: [*a]\n");
    expect(file.data).toEqual({ a: [1], b: [2], c: [2], d: [[2]] });
  });

  // The library's plain Error about a YAML 1.1 merge key names "map aliases": it is no alias bomb.
  test.each([
    ["a scalar", "%YAML 1.1\n---\nb: {x: 1}\na: {<<: 1}\n", 4, 5],
    ["a list with a scalar", "%YAML 1.1\n---\nb: &b {x: 1}\na:\n  <<: [*b, 2]\n", 5, 3],
  ])(
    "refuses a merge key of %s as invalid YAML at that key, not as an alias bomb or a crash",
    (_, text, line, column) => {
      expect(parseFailure(text, "spec/overlays/m.yaml", 0)).toEqual({
        message: "invalid YAML: Merge sources must be maps or map aliases",
        locations: [{ file: "spec/overlays/m.yaml", line, column }],
        hint: "Fix the YAML (a `<<` merge key takes a map or an alias of one).",
      });
    },
  );

  test("merges maps under a YAML 1.1 merge key as usual", () => {
    const file = parseSourceFile("/p/a.yaml", "a.yaml", "%YAML 1.1\n---\nb: &b {x: 1}\na:\n  <<: [*b, {z: 2}]\n");
    expect(file.data).toEqual({ b: { x: 1 }, a: { x: 1, z: 2 } });
  });
});

describe("SourceFile.locate", () => {
  const text = "\n\n# leading comment\nfoo: 1\nbar:\n  - a\n  - b\n";

  // [keys, line, column] with the YAML at line 1 of its file.
  test.each<[string, (string | number)[], number, number]>([
    ["a key: where its value starts", ["foo"], 4, 6],
    ["an item of a list, by index", ["bar", 1], 7, 5],
    ["a missing index: its list", ["bar", 5], 6, 3],
    ["a key under a scalar: the scalar", ["foo", "deep"], 4, 6],
    ["no keys: where the document starts, after the comment", [], 4, 1],
    ["a missing top-level key: where the document starts", ["missing"], 4, 1],
  ])("%s", (_name, keys, line, column) => {
    expect(parseSourceFile("/p/x.yaml", "x.yaml", text).locate(keys)).toEqual({ line, column });
  });

  test("shifts every line by the line offset, never the column", () => {
    expect(parseSourceFile("/p/x.md", "x.md", text, 20).locate(["bar", 1])).toEqual({ line: 27, column: 5 });
  });

  test.each<[string, string, number, { line: number; column: number }]>([
    ["an empty file", "", 0, { line: 1, column: 1 }],
    ["an empty block of a page", "", 4, { line: 5, column: 1 }],
    ["a file of comments only, in a page", "# nothing yet\n", 9, { line: 10, column: 1 }],
  ])("in %s, points at the first line", (_name, yaml, lineOffset, want) => {
    const file = parseSourceFile("/p/x.yaml", "x.yaml", yaml, lineOffset);
    expect(file.data).toBeNull();
    expect([file.locate([]), file.locate(["paths", "/v3/items"])]).toEqual([want, want]);
  });

  test("keeps the path, display name, text and data", () => {
    const { locate: _, ...file } = parseSourceFile("/p/spec/x.yaml", "spec/x.yaml", "a: [1, two]\n");
    expect(file).toEqual({
      path: "/p/spec/x.yaml",
      display: "spec/x.yaml",
      text: "a: [1, two]\n",
      data: { a: [1, "two"] },
    });
  });
});

describe("readSourceDir", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-source-dir-"));
    // Only *.yaml and *.yml count, not a backup or a README. On Linux, fs.readdir itself sorts
    // by UTF-8 bytes (libuv), which puts U+FB01 (ﬁ) before U+1D49C (𝒜); UTF-16 code units, the
    // order of sort.ts, put 𝒜 (a surrogate pair, 0xD835 …) first: only our own sort passes here.
    for (const name of [
      "ﬁ.yaml",
      "b.yaml",
      "ä.yaml",
      "a.yaml.bak",
      "B.yml",
      "README.md",
      "𝒜.yml",
      "a.yaml",
      "c.yml~",
    ]) {
      await writeFile(path.join(dir, name), `name: ${name}\n`);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("reads *.yaml and *.yml files in code-point order, named by the caller", async () => {
    const files = await readSourceDir(dir, (file) => `spec/parts/${path.basename(file)}`);
    expect(files.map(({ path: file, display, text, data }) => ({ file, display, text, data }))).toEqual(
      ["B.yml", "a.yaml", "b.yaml", "ä.yaml", "𝒜.yml", "ﬁ.yaml"].map((name) => ({
        file: path.join(dir, name),
        display: `spec/parts/${name}`,
        text: `name: ${name}\n`,
        data: { name },
      })),
    );
  });

  test("reads a missing folder as an empty one", async () => {
    expect(await readSourceDir(path.join(dir, "missing"), (file) => file)).toEqual([]);
  });
});

describe("JSON pointers", () => {
  test.each<[string, (string | number)[], string]>([
    ["a path key: each slash as ~1", ["paths", "/v3/items/{id}", "get"], "#/paths/~1v3~1items~1{id}/get"],
    ["a tilde as ~0, before slashes are escaped", ["a~b", "~1", "/~"], "#/a~0b/~01/~1~0"],
    ["a number as its digits", ["responses", 200, "content"], "#/responses/200/content"],
    ["no keys: the root", [], "#/"],
  ])("toPointer escapes %s", (_name, keys, pointer) => {
    expect(toPointer(keys)).toBe(pointer);
  });

  test.each<[string, string, string[]]>([
    ["the root, as #", "#", []],
    ["the root, as #/", "#/", []],
    ["escaped slashes", "#/paths/~1v3~1items/get", ["paths", "/v3/items", "get"]],
    ["an escaped tilde", "#/a~0b", ["a~b"]],
    ["~01, as a tilde and a 1 (never a slash)", "#/~01", ["~1"]],
    ["percent-encoding of a URI fragment", "#/a%20b/%7E1", ["a b", "/"]],
    ["a literal % that is no escape", "#/100%/x%zz", ["100%", "x%zz"]],
    ["empty steps, as none", "#/a//b/", ["a", "b"]],
    ["a pointer without #, where a # later is part of a key", "paths/a#/b", ["paths", "a#", "b"]],
  ])("pointerKeys reads %s", (_name, pointer, keys) => {
    expect(pointerKeys(pointer)).toEqual(keys);
  });

  test("pointerKeys reads back what toPointer writes", () => {
    const keys = ["paths", "/v3/items/{id}", "get", "responses", "200", "a~1b", "~0/~1"];
    expect(pointerKeys(toPointer(keys))).toEqual(keys);
  });

  const data = { a: { b: [10, { c: "deep" }], s: "xyz", n: null, zero: 0 } };
  test.each<[string, (string | number)[], unknown]>([
    ["no keys: the data itself", [], data],
    ["a nested value, through a list by number", ["a", "b", 1, "c"], "deep"],
    ["a list item by string index", ["a", "b", "0"], 10],
    ["a falsy value", ["a", "zero"], 0],
    ["null, as stored", ["a", "n"], null],
    ["a missing key", ["a", "nope"], undefined],
    ["a step into a string (never its characters or length)", ["a", "s", "length"], undefined],
    ["a step into null", ["a", "n", "x"], undefined],
    ["a step into a number", ["a", "zero", "x"], undefined],
    ["a step past a missing key", ["nope", "x"], undefined],
  ])("valueAt finds %s", (_name, keys, want) => {
    expect(valueAt(data, keys)).toEqual(want);
  });

  test("valueAt of a primitive or null, with a key, is undefined", () => {
    expect([valueAt("xyz", ["0"]), valueAt(null, ["a"]), valueAt(undefined, ["a"])]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("OpenAPI facts", () => {
  test.each<[string, unknown, boolean]>([
    ["an object", { a: 1 }, true],
    ["an empty object", {}, true],
    ["null", null, false],
    ["an array", [], false],
    ["a string", "paths", false],
    ["undefined", undefined, false],
  ])("isRecord(%s) is %s", (_name, value, want) => {
    expect(isRecord(value)).toBe(want);
  });

  test("listOperations lists every operation in document order, methods in HTTP_METHODS order", () => {
    const doc = {
      paths: {
        "/b": { post: { operationId: "create_b" }, get: { operationId: "list_b" }, parameters: [], summary: "B" },
        "/null": null,
        "/list": ["get"],
        "/a": {
          delete: {},
          get: "not an operation",
          put: null,
          patch: { operationId: 42 },
          trace: { operationId: "" },
        },
      },
    };
    expect(listOperations(doc)).toEqual([
      { method: "get", path: "/b", operationId: "list_b" },
      { method: "post", path: "/b", operationId: "create_b" },
      { method: "delete", path: "/a", operationId: undefined },
      { method: "patch", path: "/a", operationId: undefined },
      { method: "trace", path: "/a", operationId: "" },
    ]);
  });

  test.each<[string, unknown]>([
    ["null", null],
    ["a list", [{ paths: {} }]],
    ["a document without paths", { openapi: "3.1.0" }],
    ["paths: null", { paths: null }],
    ["paths as a list", { paths: [{ get: {} }] }],
    ["empty paths", { paths: {} }],
  ])("listOperations of %s is empty", (_name, doc) => {
    expect(listOperations(doc)).toEqual([]);
  });

  // [name, operation, base name]
  test.each<[string, { method: string; path: string; operationId?: string }, string]>([
    [
      "strips FastAPI's suffix (the path, each non-word character as _, then the method)",
      { method: "get", path: "/v3/items/{item_id}", operationId: "handle_get_item_v3_items__item_id__get" },
      "handle_get_item",
    ],
    [
      "keeps an id that is the suffix and nothing else",
      { method: "get", path: "/v3/items", operationId: "_v3_items_get" },
      "_v3_items_get",
    ],
    [
      "keeps an id one character longer than the suffix, less the suffix",
      { method: "get", path: "/v3/items", operationId: "x_v3_items_get" },
      "x",
    ],
    [
      "keeps an id with another method's suffix",
      { method: "post", path: "/v3/items", operationId: "list_v3_items_get" },
      "list_v3_items_get",
    ],
    [
      "without an id: the method, then the path with each run of non-word characters as one _",
      { method: "get", path: "/v3/items/{item_id}/" },
      "get_v3_items_item_id_",
    ],
    ["without an id, a path of one run of non-word characters", { method: "delete", path: "/{-}/" }, "delete_"],
  ])("operationBaseName %s", (_name, op, want) => {
    expect(operationBaseName(op)).toBe(want);
  });
});
