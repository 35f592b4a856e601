/**
 * Stage 4 (scripts/build/join.ts) in process: every top-level field must agree across
 * fragments, whatever their order; a disagreement is reported with both files and the pointer,
 * never settled by taking the first (or last) fragment's value.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { joinFragments } from "../../scripts/build/join.ts";
import { isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { parseSourceFile, type SourceFile } from "../../scripts/shared/source-file.ts";

type Json = Record<string, unknown>;

const BASE: Json = {
  openapi: "3.1.0",
  info: { title: "Devin API", version: "3.0.0" },
  servers: [],
  security: [{ HTTPBearer: [] }],
};

/** A fragment with one GET operation of its own, and `fields` over the shared top-level fields. */
function fragment(name: string, fields: Json = {}, extra: Json = {}): SourceFile {
  const data = {
    ...BASE,
    ...fields,
    paths: { [`/v3/${name}`]: { get: { operationId: `get_${name}`, responses: { 200: { description: "OK" } } } } },
    ...extra,
  };
  return parseSourceFile(`/project/spec/fragments/${name}.yaml`, `spec/fragments/${name}.yaml`, stringify(data));
}

function joinError(files: SourceFile[]): PipelineError {
  let error: unknown;
  try {
    joinFragments(files);
  } catch (thrown) {
    error = thrown;
  }
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  return error as PipelineError;
}

// [field, a value that differs from BASE (or is absent from it)]
const topLevel: [string, unknown][] = [
  ["openapi", "3.1.1"],
  ["info", { title: "Devin API", version: "3.0.1" }],
  ["servers", [{ url: "https://api.devin.ai" }]],
  ["security", []],
  ["jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base"],
  ["externalDocs", { url: "https://docs.devin.ai" }],
];

describe("the join of fragments", () => {
  it.each(topLevel)("refuses fragments that disagree on `%s`, naming both files at the field", (field, value) => {
    // b has another value than a; c has the same as a. Input order must not matter.
    const a = fragment("a", { [field]: field in BASE ? BASE[field] : "a" });
    const b = fragment("b", { [field]: value });
    const c = fragment("c", { [field]: field in BASE ? BASE[field] : "a" });
    for (const files of [
      [a, b, c],
      [c, b, a],
    ]) {
      const error = joinError(files);
      expect(error.message).toBe("join of spec/fragments/: 1 conflict");
      expect(error.details?.map((d) => d.message)).toEqual([
        `top-level field \`${field}\` differs between two fragments; the same name must have the same content`,
      ]);
      expect(error.details?.map((d) => d.locations.map((l) => `${l.file} ${l.pointer}`))).toEqual([
        [`spec/fragments/a.yaml #/${field}`, `spec/fragments/b.yaml #/${field}`],
      ]);
      expect(error.details?.[0]?.locations[0]?.line).toBeGreaterThan(0);
      expect(error.details?.[0]?.hint).toContain("Re-import both pages from the same version of the docs");
    }
  });

  it("reports a disagreement on info, servers and security at once", () => {
    const a = fragment("a");
    const b = fragment("b", { info: { title: "Alt", version: "1" }, servers: [{ url: "https://x" }], security: [] });
    const error = joinError([a, b]);
    expect(error.details?.map((d) => d.message.split(" differs")[0])).toEqual([
      "top-level field `info`",
      "top-level field `servers`",
      "top-level field `security`",
    ]);
  });

  it.each([
    [
      "a tag",
      { tags: [{ name: "keys", description: "A" }] },
      { tags: [{ name: "keys", description: "B" }] },
      "tag `keys`",
    ],
    [
      "a component",
      { components: { schemas: { Key: { type: "string" } } } },
      { components: { schemas: { Key: { type: "integer" } } } },
      "component `schemas/Key`",
    ],
  ])("refuses fragments that disagree on %s", (_, first, second, what) => {
    const error = joinError([fragment("a", {}, first), fragment("b", {}, second)]);
    expect(error.details?.map((d) => d.message)).toEqual([
      `${what} differs between two fragments; the same name must have the same content`,
    ]);
  });

  it("refuses a path-level field that differs between the fragments sharing the path", () => {
    const text = (summary: string, method: string) =>
      stringify({
        ...BASE,
        paths: {
          "/v3/keys": {
            summary,
            [method]: { operationId: `${method}_keys`, responses: { 200: { description: "OK" } } },
          },
        },
      });
    const a = parseSourceFile("/p/a.yaml", "spec/fragments/a.yaml", text("Schlüssel", "get"));
    const b = parseSourceFile("/p/b.yaml", "spec/fragments/b.yaml", text("Keys", "delete"));
    const error = joinError([a, b]);
    expect(error.details?.map((d) => d.message)).toEqual([
      "path-level field `summary` of /v3/keys differs between two fragments; the same name must have the same content",
    ]);
    expect(error.details?.[0]?.locations.map((l) => l.pointer)).toEqual([
      "#/paths/~1v3~1keys/summary",
      "#/paths/~1v3~1keys/summary",
    ]);
  });

  it("keeps a field, tag or component that is identical in every fragment once", () => {
    const shared = { tags: [{ name: "keys" }], components: { schemas: { Key: { type: "string" } } } };
    const { document } = joinFragments([fragment("b", {}, shared), fragment("a", {}, shared)]);
    expect(document).toEqual({
      ...BASE,
      tags: [{ name: "keys" }],
      paths: {
        "/v3/a": { get: { operationId: "get_a", responses: { 200: { description: "OK" } } } },
        "/v3/b": { get: { operationId: "get_b", responses: { 200: { description: "OK" } } } },
      },
      components: { schemas: { Key: { type: "string" } } },
    });
    expect(Object.keys(document)).toEqual(["openapi", "info", "servers", "security", "tags", "paths", "components"]);
  });
});
