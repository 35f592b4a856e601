/**
 * scripts/shared/untrusted-input.ts in process: the walk over parsed data that finds each `$ref`
 * Redocly's resolver follows (forEachFollowedRef, shared by refsLeavingSpec and the bundle
 * check), by the refs it reports, in order, with the keys of the object that holds each; and
 * where refsLeavingSpec resolves a file's refs from when no `storedAt` is given.
 * untrusted-input-units.test.ts has the errors that name an escaping `$ref`.
 */
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseSourceFile } from "../../scripts/shared/source-file.ts";
import { forEachFollowedRef, refsLeavingSpec } from "../../scripts/shared/untrusted-input.ts";

/** Every call the walk makes, in order, as [ref, keys]. */
function followed(data: unknown): [string, (string | number)[]][] {
  const calls: [string, (string | number)[]][] = [];
  forEachFollowedRef(data, (ref, keys) => {
    calls.push([ref, keys]);
  });
  return calls;
}

describe("forEachFollowedRef", () => {
  test("reports a string $ref once, with the keys of its object, before the refs nested beside it", () => {
    const data = { $ref: "#/a", description: "d", items: { $ref: "./b.yaml" }, not: { anyOf: [{ $ref: "#/c" }] } };
    expect(followed(data)).toEqual([
      ["#/a", []],
      ["./b.yaml", ["items"]],
      ["#/c", ["not", "anyOf", 0]],
    ]);
  });

  test("walks lists, and lists in lists, by index", () => {
    const data = { allOf: [{ $ref: "#/a" }, [{ $ref: "#/b" }, { x: [{ $ref: "#/c" }] }]], tags: ["x", 1, null] };
    expect(followed(data)).toEqual([
      ["#/a", ["allOf", 0]],
      ["#/b", ["allOf", 1, 0]],
      ["#/c", ["allOf", 1, 1, "x", 0]],
    ]);
  });

  test("walks into a map under `$ref` (a property named $ref) and reports the $ref inside it, not the map", () => {
    const data = {
      properties: { $ref: { $ref: "#/inner", type: "string" } },
      nested: { $ref: { deeper: { $ref: "#/deep" } } },
    };
    expect(followed(data)).toEqual([
      ["#/inner", ["properties", "$ref"]],
      ["#/deep", ["nested", "$ref", "deeper"]],
    ]);
  });

  test.each<[string, unknown]>([
    ["null", null],
    ["a string", "#/a"],
    ["a number", 42],
    ["an empty list", []],
    ["a $ref that is a number, a list or null", { a: { $ref: 1 }, b: { $ref: ["#/x"] }, c: { $ref: null } }],
  ])("reports nothing in %s", (_name, data) => {
    expect(followed(data)).toEqual([]);
  });

  test("skips data (default, const, enum, a schema's `examples` list), not `example` nor an `examples` map", () => {
    const data = {
      default: { $ref: "#/default" },
      const: { $ref: "#/const" },
      enum: [{ $ref: "#/enum" }],
      examples: [{ $ref: "#/examples-list" }],
      example: { $ref: "#/example" },
      content: { "application/json": { examples: { one: { $ref: "#/examples-map" } } } },
    };
    expect(followed(data)).toEqual([
      ["#/example", ["example"]],
      ["#/examples-map", ["content", "application/json", "examples", "one"]],
    ]);
  });

  test("walks names such as `default` in a map of names, but skips data again one level below a name", () => {
    const data = {
      properties: {
        default: { $ref: "#/p-default" },
        const: { $ref: "#/p-const" },
        enum: { $ref: "#/p-enum" },
        examples: [{ $ref: "#/p-examples" }],
        plain: { default: { $ref: "#/skipped" }, items: { $ref: "#/p-items" } },
      },
      components: { schemas: { default: { $ref: "#/s-default" } }, examples: { enum: { $ref: "#/e-enum" } } },
    };
    expect(followed(data)).toEqual([
      ["#/p-default", ["properties", "default"]],
      ["#/p-const", ["properties", "const"]],
      ["#/p-enum", ["properties", "enum"]],
      ["#/p-examples", ["properties", "examples", 0]],
      ["#/p-items", ["properties", "plain", "items"]],
      ["#/s-default", ["components", "schemas", "default"]],
      ["#/e-enum", ["components", "examples", "enum"]],
    ]);
  });
});

describe("refsLeavingSpec resolves from the file's own path by default", () => {
  const SPEC = path.join(path.sep, "project", "spec");
  const text = "x:\n  y:\n    $ref: ../shared.yaml\n";

  test("a `../` ref of a file in spec/fragments/ stays inside spec/", () => {
    const file = parseSourceFile(path.join(SPEC, "fragments", "a.yaml"), "spec/fragments/a.yaml", text);
    expect(refsLeavingSpec(file, SPEC)).toEqual([]);
  });

  test("the same ref of a file in spec/ itself climbs out, named at its value", () => {
    const file = parseSourceFile(path.join(SPEC, "a.yaml"), "spec/a.yaml", text);
    expect(refsLeavingSpec(file, SPEC)).toEqual([
      {
        ref: "../shared.yaml",
        reason: "climbs out of spec/ with `..`",
        location: { file: "spec/a.yaml", line: 3, column: 11, pointer: "#/x/y" },
      },
    ]);
  });
});
