/**
 * Stage 4 (scripts/build/join.ts) in process, one rule at a time: no fragments, a fragment that
 * is not a mapping, how tags are named, which operations and operationIds clash (and where the
 * error points), the provenance the join records, and the fixed order of every key it emits.
 * join-conflicts.test.ts covers the disagreements on top-level fields.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { joinFragments } from "../../scripts/build/join.ts";
import { parseSourceFile, type SourceFile } from "../../scripts/shared/source-file.ts";
import { pipelineErrorOf } from "./helpers.ts";

type Json = Record<string, unknown>;

/** spec/fragments/<name>.yaml with the given lines. */
function fragmentText(name: string, lines: readonly string[]): SourceFile {
  return parseSourceFile(
    `/project/spec/fragments/${name}.yaml`,
    `spec/fragments/${name}.yaml`,
    `${lines.join("\n")}\n`,
  );
}

/** spec/fragments/<name>.yaml holding `openapi: 3.1.0` (first), then `data`. */
function fragment(name: string, data: Json): SourceFile {
  return fragmentText(name, [stringify({ openapi: "3.1.0", ...data }).trimEnd()]);
}

/** Where `mark` is in the first line of `file` that starts with `prefix` (by default, its first non-space). */
function at(file: SourceFile, prefix: string, mark = prefix.trimStart()): { line: number; column: number } {
  const lines = file.text.split("\n");
  const index = lines.findIndex((l) => l.startsWith(prefix));
  const column = (lines[index] ?? "").indexOf(mark) + 1;
  if (index < 0 || column < 1) throw new Error(`test setup: no line of ${file.display} starts with ${prefix}`);
  return { line: index + 1, column };
}

const OK = { responses: { 200: { description: "OK" } } };
const op = (operationId: string) => ({ operationId, ...OK });

const REIMPORT =
  "Re-import both pages from the same version of the docs (`npm run spec:import -- <pages>`); fragments hold the docs' text as published, so do not edit one to match the other.";

describe("joinFragments refuses", () => {
  it("an empty spec/fragments/, saying to import the docs pages first", () => {
    const error = pipelineErrorOf(() => joinFragments([]));
    expect(error.message).toBe("no fragments to join: spec/fragments/ has no *.yaml files");
    expect(error.locations).toEqual([]);
    expect(error.hint).toBe("Import the docs pages first: `npm run spec:import -- <page.md> …`.");
    expect(error.details).toBeUndefined();
  });

  it.each([
    ["a sequence", ["- openapi: 3.1.0", "- paths: {}"]],
    ["a scalar", ["openapi 3.1.0"]],
    ["empty", [""]],
  ])("a fragment that is %s, at line 1 of its file", (_, lines) => {
    const good = fragment("a", { paths: { "/v3/a": { get: op("get_a") } } });
    const error = pipelineErrorOf(() => joinFragments([fragmentText("b", lines), good]));
    expect(error.message).toBe("a fragment must be a YAML mapping");
    expect(error.locations).toEqual([{ file: "spec/fragments/b.yaml", line: 1 }]);
    expect(error.hint).toBe("Re-import the docs page with `npm run spec:import`, or delete the file.");
  });

  it("a tag that differs between two fragments, at the `tags` of each", () => {
    const a = fragmentText("a", ["openapi: 3.1.0", "tags:", "  - name: keys", "    description: A", "paths: {}"]);
    const b = fragmentText("b", [
      "openapi: 3.1.0",
      "info: {title: t, version: '1'}",
      "tags:",
      "  - name: other",
      "  - name: keys",
      "    description: B",
      "paths: {}",
    ]);
    const error = pipelineErrorOf(() => joinFragments([b, a]));
    expect(error.message).toBe("join of spec/fragments/: 1 conflict");
    expect(error.details).toEqual([
      {
        message: "tag `keys` differs between two fragments; the same name must have the same content",
        locations: [
          { file: "spec/fragments/a.yaml", ...at(a, "  - name: keys"), pointer: "#/tags" },
          { file: "spec/fragments/b.yaml", ...at(b, "  - name: other"), pointer: "#/tags" },
        ],
        hint: REIMPORT,
      },
    ]);
  });

  it("an operation two fragments declare, naming its method in upper case, at both", () => {
    const shared = (name: string) => ({
      paths: { "/v3/keys": { summary: "Keys", patch: op(`patch_${name}`), get: op(`get_keys_${name}`) } },
    });
    const a = fragment("a", shared("a"));
    const b = fragment("b", { info: { title: "t", version: "1" }, ...shared("b") });
    const error = pipelineErrorOf(() => joinFragments([b, a]));
    expect(error.message).toBe("join of spec/fragments/: 2 conflicts");
    const hint =
      "Keep one of the two files: each operation belongs to the fragment imported from its own docs page (delete the copy).";
    expect(error.details).toEqual(
      (["patch", "get"] as const).map((method) => ({
        message: `operation ${method.toUpperCase()} /v3/keys is declared by two fragments`,
        locations: [
          {
            file: "spec/fragments/a.yaml",
            ...at(a, `      operationId: ${method}_`),
            pointer: `#/paths/~1v3~1keys/${method}`,
          },
          {
            file: "spec/fragments/b.yaml",
            ...at(b, `      operationId: ${method}_`),
            pointer: `#/paths/~1v3~1keys/${method}`,
          },
        ],
        hint,
      })),
    );
    expect(error.details?.map((d) => d.message)).toEqual([
      "operation PATCH /v3/keys is declared by two fragments",
      "operation GET /v3/keys is declared by two fragments",
    ]);
  });

  it("an operationId two operations share, at the operationId of each", () => {
    const a = fragment("a", { paths: { "/v3/a": { get: op("same") } } });
    const b = fragment("b", { paths: { "/v3/b": { summary: "B", post: { ...OK, operationId: "same" } } } });
    const error = pipelineErrorOf(() => joinFragments([b, a]));
    expect(error.details).toEqual([
      {
        message: "duplicate operationId `same`",
        locations: [
          {
            file: "spec/fragments/a.yaml",
            ...at(a, "      operationId: same", "same"),
            pointer: "#/paths/~1v3~1a/get/operationId",
          },
          {
            file: "spec/fragments/b.yaml",
            ...at(b, "      operationId: same", "same"),
            pointer: "#/paths/~1v3~1b/post/operationId",
          },
        ],
        hint: "operationIds must be unique: re-import the page whose operationId is stale (`npm run spec:import`), or delete the fragment that should not be there.",
      },
    ]);
  });

  it("with every conflict of the run, the error's locations being those of each conflict in turn", () => {
    const a = fragment("a", { tags: [{ name: "t", description: "A" }], paths: { "/v3/a": { get: op("same") } } });
    const b = fragment("b", {
      tags: [{ name: "t", description: "B" }],
      paths: { "/v3/a": { get: op("other") }, "/v3/b": { get: op("same") } },
    });
    const error = pipelineErrorOf(() => joinFragments([a, b]));
    expect(error.message).toBe("join of spec/fragments/: 3 conflicts");
    expect(error.hint).toBeUndefined();
    expect(error.details?.map((d) => d.message)).toEqual([
      "tag `t` differs between two fragments; the same name must have the same content",
      "operation GET /v3/a is declared by two fragments",
      "duplicate operationId `same`",
    ]);
    expect(error.locations.map((l) => `${l.file} ${l.pointer}`)).toEqual([
      "spec/fragments/a.yaml #/tags",
      "spec/fragments/b.yaml #/tags",
      "spec/fragments/a.yaml #/paths/~1v3~1a/get",
      "spec/fragments/b.yaml #/paths/~1v3~1a/get",
      "spec/fragments/a.yaml #/paths/~1v3~1a/get/operationId",
      "spec/fragments/b.yaml #/paths/~1v3~1b/get/operationId",
    ]);
    expect(error.locations).toEqual(error.details?.flatMap((d) => d.locations));
  });
});

describe("joinFragments accepts", () => {
  it("operations without a string operationId, however many (only strings must be unique)", () => {
    const a = fragment("a", { paths: { "/v3/a": { get: OK, put: { operationId: 5, ...OK } } } });
    const b = fragment("b", { paths: { "/v3/b": { get: OK, put: { operationId: 5, ...OK }, delete: null } } });
    const { document } = joinFragments([a, b]);
    expect(document.paths).toEqual({
      "/v3/a": { get: OK, put: { operationId: 5, ...OK } },
      "/v3/b": { get: OK, put: { operationId: 5, ...OK }, delete: null },
    });
  });

  it("and skips a path item or a components section that is not a mapping", () => {
    const a = fragment("a", {
      paths: { "/v3/empty": null, "/v3/text": "not a path item", "/v3/a": { get: op("get_a") } },
      components: { responses: null, parameters: "not a section", schemas: { Key: { type: "string" } } },
    });
    const b = fragment("b", { paths: {}, components: { schemas: null } });
    const joined = joinFragments([a, b]);
    expect(joined.document).toEqual({
      openapi: "3.1.0",
      paths: { "/v3/a": { get: op("get_a") } },
      components: { schemas: { Key: { type: "string" } } },
    });
    expect(joined.provenance.fileOf("#/paths/~1v3~1text")).toBeUndefined();
    expect(joined.provenance.fileOf("#/components/parameters")).toBeUndefined();
    // Only sections that are not mappings: no components at all.
    expect(Object.keys(joinFragments([b]).document)).toEqual(["openapi", "paths"]);
  });

  it("tags named by `name`, other tags by their JSON, each name once, in code-point order of the names", () => {
    // Names: "b", {"description":"B"}, 42, null, {"description":"A"}, "keys" (JSON of a string), {"name":7}.
    const tags = [{ name: "b" }, { description: "B" }, 42, null, { description: "A" }, "keys", { name: 7 }];
    const a = fragment("a", { tags, paths: {} });
    const b = fragment("b", { tags: ["keys", { description: "A" }, { name: "b" }, { name: "c" }], paths: {} });
    const { document } = joinFragments([b, a]);
    // '"' < '4' < 'b' < 'c' < 'n' < '{', and '{"d…' < '{"n…'.
    expect(document.tags).toEqual([
      "keys",
      42,
      { name: "b" },
      { name: "c" },
      null,
      { description: "A" },
      { description: "B" },
      { name: 7 },
    ]);
  });
});

describe("joinFragments records", () => {
  it("the first fragment (by file name) that declares each path item, operation and component", () => {
    const a = fragment("a", {
      paths: { "/v3/keys": { summary: "Keys", get: op("get_keys") }, "/v3/summary-only": { summary: "S" } },
      components: { schemas: { Key: { type: "string" } } },
    });
    const b = fragment("b", {
      paths: { "/v3/keys": { summary: "Keys", delete: op("delete_key") } },
      components: { schemas: { Key: { type: "string" }, Other: { type: "integer" } } },
    });
    const { provenance } = joinFragments([b, a]);
    const from = (pointer: string) => provenance.fileOf(pointer);
    expect(from("#/paths/~1v3~1keys")).toBe("spec/fragments/a.yaml");
    expect(from("#/paths/~1v3~1keys/summary")).toBe("spec/fragments/a.yaml");
    expect(from("#/paths/~1v3~1keys/get/responses")).toBe("spec/fragments/a.yaml");
    expect(from("#/paths/~1v3~1keys/delete")).toBe("spec/fragments/b.yaml");
    expect(from("#/paths/~1v3~1keys/delete/responses/200")).toBe("spec/fragments/b.yaml");
    expect(from("#/paths/~1v3~1summary-only/summary")).toBe("spec/fragments/a.yaml");
    expect(from("#/components/schemas/Key")).toBe("spec/fragments/a.yaml");
    expect(from("#/components/schemas/Other/type")).toBe("spec/fragments/b.yaml");
    expect(from("#/paths")).toBeUndefined();
    expect(from("#/paths/~1v3~1none")).toBeUndefined();
    expect(from("#/components/schemas")).toBeUndefined();
  });
});

describe("joinFragments emits keys in a fixed order", () => {
  it("top-level fields in the order of the OpenAPI specification, unknown ones last in code-point order", () => {
    const a = fragmentText("a", [
      "x-b: 2",
      "components: {schemas: {Key: {type: string}}}",
      "x-a: 1",
      "webhooks: {}",
      "paths: {/v3/a: {get: {operationId: get_a, responses: {}}}}",
      "externalDocs: {url: 'https://docs.example'}",
      "tags: [{name: keys}]",
      "security: []",
      "servers: []",
      "jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base'",
      "info: {title: t, version: '1'}",
      "openapi: 3.1.0",
    ]);
    const { document } = joinFragments([a]);
    expect(Object.keys(document)).toEqual([
      "openapi",
      "info",
      "jsonSchemaDialect",
      "servers",
      "security",
      "tags",
      "externalDocs",
      "paths",
      "webhooks",
      "components",
      "x-a",
      "x-b",
    ]);
    expect(document).toEqual({ ...(a.data as Json) });
    expect(Object.keys(joinFragments([fragment("b", { paths: {}, "x-z": 1 })]).document)).toEqual([
      "openapi",
      "paths",
      "x-z",
    ]);
  });

  it("path items in code-point order; in each, $ref, summary, description, servers, parameters, the operations in method order, then unknown fields", () => {
    const a = fragment("a", {
      paths: {
        "/v3/z": { get: op("get_z") },
        "/v3/keys": {
          "x-b": 2,
          trace: op("trace_keys"),
          head: op("head_keys"),
          post: op("post_keys"),
          parameters: [],
          description: "D",
          $ref: "#/components/pathItems/Keys",
        },
      },
    });
    const b = fragment("b", {
      paths: {
        "/v3/keys": {
          "x-a": 1,
          patch: op("patch_keys"),
          options: op("options_keys"),
          delete: op("delete_keys"),
          put: op("put_keys"),
          get: op("get_keys"),
          servers: [],
          summary: "S",
        },
        "/v3/a": { post: op("post_a") },
      },
    });
    const { document } = joinFragments([b, a]);
    const paths = document.paths as Record<string, Json>;
    expect(Object.keys(paths)).toEqual(["/v3/a", "/v3/keys", "/v3/z"]);
    expect(Object.keys(paths["/v3/keys"] as Json)).toEqual([
      "$ref",
      "summary",
      "description",
      "servers",
      "parameters",
      "get",
      "put",
      "post",
      "delete",
      "options",
      "head",
      "patch",
      "trace",
      "x-a",
      "x-b",
    ]);
    const data = (file: SourceFile) => ((file.data as Json).paths as Record<string, Json>)["/v3/keys"];
    expect(paths["/v3/keys"]).toEqual({ ...data(a), ...data(b) });
  });

  it("components sections and the names in each in code-point order", () => {
    const a = fragment("a", {
      paths: {},
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
        schemas: { Zed: { type: "string" }, Alpha: { type: "integer" } },
      },
    });
    const b = fragment("b", { paths: {}, components: { schemas: { Mid: { type: "boolean" } }, examples: { e: {} } } });
    const components = joinFragments([b, a]).document.components as Record<string, Json>;
    expect(Object.keys(components)).toEqual(["examples", "schemas", "securitySchemes"]);
    expect(Object.keys(components.schemas as Json)).toEqual(["Alpha", "Mid", "Zed"]);
    expect(components).toEqual({
      examples: { e: {} },
      schemas: { Alpha: { type: "integer" }, Mid: { type: "boolean" }, Zed: { type: "string" } },
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    });
  });
});
