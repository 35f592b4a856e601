/**
 * scripts/shared/source-file.ts in process: what parseSourceFile makes of YAML anchors, aliases
 * and YAML 1.1 merge keys (`<<`) once the text parses: an alias without its anchor, an alias
 * inside the node it names, a merge key of something that is not a map. Each refusal is a
 * PipelineError compared whole, located at the line of the page it sits in (`lineOffset`).
 * shared-source-file.test.ts has the invalid YAML of the parser itself and the alias bomb.
 */
import { describe, expect, test } from "vitest";
import { parseSourceFile } from "../../scripts/shared/source-file.ts";
import { pipelineErrorOf } from "./helpers.ts";

const NO_ALIASES = "Write the YAML without anchors and aliases (`&name`, `*name`), as the docs publish it.";
const MERGE_FIX = "Fix the YAML (a `<<` merge key takes a map or an alias of one)";
const PAGE_ADVICE =
  ": the docs page's OpenAPI block itself is broken. Save the page again from the docs; if it stays broken, report it to the docs.";

/** What parsing `text` as `display` throws: a PipelineError, as the parts a person sees. */
function refusal(text: string, display: string, lineOffset = 0) {
  const { message, locations, hint } = pipelineErrorOf(() =>
    parseSourceFile(`/project/${display}`, display, text, lineOffset),
  );
  return { message, locations, hint };
}

describe("an alias without its anchor", () => {
  // [name, text, lineOffset, alias name, line, column]
  test.each<[string, string, number, string, number, number]>([
    ["whose anchor comes after it", "a: *later\nb: &later 1\n", 0, "later", 1, 4],
    ["in a list, after an alias that resolves", "a: &a 1\nb:\n  - *a\n  - *gone\n", 0, "gone", 4, 5],
    ["in a docs page's block, at the page's line", "a: &a 1\nb: {c: *a, d: *missing}\n", 30, "missing", 32, 15],
  ])("%s: named at that alias, by its name", (_name, text, lineOffset, alias, line, column) => {
    expect(refusal(text, "docs/pages/a.md", lineOffset)).toEqual({
      message: `YAML alias \`*${alias}\` has no anchor \`&${alias}\` before it`,
      locations: [{ file: "docs/pages/a.md", line, column }],
      hint: NO_ALIASES,
    });
  });
});

describe("an alias inside the node it names", () => {
  // [name, text, lineOffset, alias name, line, column]
  test.each<[string, string, number, string, number, number]>([
    [
      "after aliases that are fine: the first one that is endless",
      "a: &a {x: 1}\nb: *a\nc: &c\n  d:\n    - e: *c\n  f: *a\n",
      0,
      "c",
      5,
      10,
    ],
    [
      // The anchor an alias names is the last one before it: here the map that holds it.
      "of a name anchored twice, the second time around the alias",
      "a: &n [1]\nb: &n\n  c: [*n]\n",
      0,
      "n",
      3,
      7,
    ],
    ["in a docs page's block, at the page's line", "root: &r\n  - 1\n  - [2, *r]\n", 12, "r", 15, 9],
  ])("%s: refused at that alias", (_name, text, lineOffset, alias, line, column) => {
    expect(refusal(text, "spec/fragments/a.yaml", lineOffset)).toEqual({
      message: `YAML alias \`*${alias}\` sits inside the node it names: the data would be endless`,
      locations: [{ file: "spec/fragments/a.yaml", line, column }],
      hint: NO_ALIASES,
    });
  });

  test("an alias after the node it names, even when that node holds aliases itself: the data", () => {
    const text = "a: &a {x: 1}\nb: &b {y: *a}\nc: [*b, *a]\n";
    expect(parseSourceFile("/p/a.yaml", "a.yaml", text).data).toEqual({
      a: { x: 1 },
      b: { y: { x: 1 } },
      c: [{ y: { x: 1 } }, { x: 1 }],
    });
  });
});

describe("documents with and without aliases", () => {
  // An anchor no alias names, anchors on keys and scalars, a name anchored twice: plain data.
  test.each<[string, string, unknown]>([
    ["no anchor at all", "a: [1, {b: 2}]\n", { a: [1, { b: 2 }] }],
    ["anchors and no alias", "a: &a\n  b: &b [1]\n  &k c: &a 2\n", { a: { b: [1], c: 2 } }],
    ["an alias of a scalar and one of a key", "&k a: &v 1\nb: *v\nc: *k\n", { a: 1, b: 1, c: "a" }],
  ])("%s: parsed as written", (_name, text, data) => {
    expect(parseSourceFile("/p/a.yaml", "a.yaml", text).data).toEqual(data);
  });
});

describe("a YAML 1.1 merge key (`<<`) of something that is not a map", () => {
  // Merges that are fine come first, each form once: a map, an alias of one, a list of both.
  // The walk that names the bad one must step over all of them.
  const FINE = [
    "%YAML 1.1", // 1
    "---", // 2
    "base: &base {x: 1}", // 3
    "m1:", // 4
    "  <<: {p: 2}", // 5
    "m2:", // 6
    "  <<: *base", // 7
    "m3:", // 8
    "  <<: [*base, {z: 3}]", // 9
    "m4:", // 10
    "  w: 0", // 11
  ].join("\n");

  // [name, the bad merge (its `<<` on line 13, column 3), ...]
  test.each<[string, string]>([
    ["a scalar", "  <<: 1"],
    ["a list of scalars", "  <<: [1, 2]"],
    ["a list of a map, an alias and a scalar", "  <<: [{v: 1}, *base, 3]"],
    ["a list holding a list", "  <<: [[{v: 1}]]"],
  ])("%s: invalid YAML at that `<<`, not at a merge before it", (_name, merge) => {
    const text = `${FINE}\nbad:\n${merge}\nlater:\n  <<: 4\n`;
    expect(refusal(text, "spec/overlays/m.yaml")).toEqual({
      message: "invalid YAML: Merge sources must be maps or map aliases",
      locations: [{ file: "spec/overlays/m.yaml", line: 13, column: 3 }],
      hint: `${MERGE_FIX}.`,
    });
  });

  test("in a docs page's block: at the page's line, with the page's advice", () => {
    expect(refusal(`${FINE}\nbad:\n  <<: [1]\n`, "docs/pages/m.md", 50)).toEqual({
      message: "invalid YAML: Merge sources must be maps or map aliases",
      locations: [{ file: "docs/pages/m.md", line: 63, column: 3 }],
      hint: `${MERGE_FIX}${PAGE_ADVICE}`,
    });
  });

  test("the merges that are fine: the data, merged", () => {
    expect(parseSourceFile("/p/m.yaml", "m.yaml", `${FINE}\n`).data).toEqual({
      base: { x: 1 },
      m1: { p: 2 },
      m2: { x: 1 },
      m3: { x: 1, z: 3 },
      m4: { w: 0 },
    });
  });

  // The walk that finds the bad `<<` looks at what an alias names, as the library does: the
  // last node before it with that anchor.
  test.each<[string, string, number]>([
    ["an alias of a scalar", "s: &s 1\na:\n  <<: *s\n", 12],
    ["a list of an alias of a list", "s: &s [{x: 1}]\na:\n  <<: [*s]\n", 12],
    ["an alias of a map whose anchor a scalar took over", "s: &s {x: 1}\nt: &s 2\na:\n  <<: *s\n", 13],
  ])("%s: invalid YAML at that `<<`", (_name, body, line) => {
    expect(refusal(`%YAML 1.1\n---\n${body}`, "spec/overlays/m.yaml", 7)).toEqual({
      message: "invalid YAML: Merge sources must be maps or map aliases",
      locations: [{ file: "spec/overlays/m.yaml", line, column: 3 }],
      hint: `${MERGE_FIX}${PAGE_ADVICE}`,
    });
  });

  // The yaml library throws other plain Errors while it builds the data: a YAML 1.1 `!!omap`
  // whose key repeats through an alias is one. It is invalid YAML in the file, not a bug here.
  test("another error of the yaml library while it builds the data: invalid YAML naming the file", () => {
    const text = "%YAML 1.1\n---\nk: &k x\na: !!omap\n  - x: 1\n  - *k : 2\n";
    expect(refusal(text, "spec/overlays/m.yaml")).toEqual({
      message: "invalid YAML: Ordered maps must not include duplicate keys",
      locations: [{ file: "spec/overlays/m.yaml" }],
      hint: "Fix the YAML.",
    });
  });
});
