/**
 * In-process units of stage 5 (scripts/build/apply-overlays.ts: OpenAPI Overlay 1.0 applied by
 * Redocly, plus the check that every target selects something) and of the lint stages 2 and 7
 * (lint-sources.ts, lint-bundle.ts). The documents and overlays are a few lines each; the
 * overlays sit in a temporary spec/overlays/, as Redocly reads them from disk.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { BaseResolver, type Config, createConfig, type Oas3Decorator } from "@redocly/openapi-core";
import { paths as selectPaths } from "jsonpath-rfc9535";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyOverlays } from "../../scripts/build/apply-overlays.ts";
import { inMemoryDocument } from "../../scripts/build/bundle.ts";
import { BUNDLE_API_ALIAS, lintBundle } from "../../scripts/build/lint-bundle.ts";
import { lintSources } from "../../scripts/build/lint-sources.ts";
import { Provenance } from "../../scripts/build/provenance.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { parseSourceFile, type SourceFile } from "../../scripts/shared/source-file.ts";
import { pipelineRejectionOf } from "./helpers.ts";

const REF_HINT =
  "Fix the overlay: an update must be of the same kind as each node its target selects (a mapping onto a " +
  "mapping, a list onto a list), and every $ref it adds must point at something the document or the " +
  "overlay itself defines.";
const STALE_HINT = "Fix the target, or delete the action if the fragments now declare what it added.";
const JSONPATH_HINT = "Write the target as an RFC 9535 JSONPath expression, e.g. $.paths['/v3/items'].get.";
const LINT_HINT =
  "Fix the spec (or, with a reason in a comment, the rule in redocly.yaml) and run `npm run generate` again.";

/** Lines 1-5 of every overlay here: its actions start on line 6. */
const HEAD = ["overlay: 1.0.0", "info:", "  title: O", "  version: 1.0.0"];

/** Two operations from two fragments, as the join leaves them. */
function joined(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "T", version: "1" },
    paths: {
      "/a": { get: { summary: "A", tags: ["a"], responses: { "200": { description: "OK" } } } },
      "/b": { get: { summary: "B", responses: { "200": { description: "OK" } } } },
    },
  };
}

function provenance(): Provenance {
  const p = new Provenance();
  p.record("#/paths/~1a", "spec/fragments/a.yaml");
  p.record("#/paths/~1b", "spec/fragments/b.yaml");
  return p;
}

/** The message a function throws. */
function thrownMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("test setup: expected a throw");
}

let root: string;
let layout: ProjectLayout;
let config: Config;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "devin-overlay-units-"));
  layout = projectLayout(root);
  await mkdir(layout.overlaysDir, { recursive: true });
  await mkdir(path.join(root, "spec", "parts"), { recursive: true });
  config = await createConfig({});
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** An overlay file in spec/overlays/ whose text is `lines`, as the pipeline reads it. */
async function overlayFile(name: string, lines: readonly string[]): Promise<SourceFile> {
  const text = `${lines.join("\n")}\n`;
  const file = path.join(layout.overlaysDir, name);
  await writeFile(file, text);
  return parseSourceFile(file, `spec/overlays/${name}`, text);
}

/** An overlay with HEAD and then `actions` lines (the first on line 6). */
const withActions = (name: string, actions: readonly string[]) => overlayFile(name, [...HEAD, "actions:", ...actions]);

const apply = (overlays: readonly SourceFile[], document = joined(), withConfig = config) =>
  applyOverlays(document, overlays, withConfig, layout, provenance());

describe("applyOverlays: what an action does", () => {
  it("update deep-merges objects, appends to arrays and replaces scalars", async () => {
    const overlay = await withActions("merge.yaml", [
      "  - target: $.paths['/a'].get",
      "    update:",
      "      summary: A2",
      "      tags: [b]",
      "      responses:",
      "        '404':",
      "          description: NF",
    ]);
    const result = await apply([overlay]);
    expect(result.paths).toEqual({
      "/a": {
        get: {
          summary: "A2",
          tags: ["a", "b"],
          responses: { "200": { description: "OK" }, "404": { description: "NF" } },
        },
      },
      "/b": { get: { summary: "B", responses: { "200": { description: "OK" } } } },
    });
  });

  it("updates every node a target selects", async () => {
    const overlay = await withActions("several.yaml", [
      "  - target: $.paths.*.get",
      "    update:",
      "      deprecated: true",
    ]);
    const result = (await apply([overlay])) as { paths: Record<string, { get: Record<string, unknown> }> };
    expect(result.paths["/a"]?.get.deprecated).toBe(true);
    expect(result.paths["/b"]?.get.deprecated).toBe(true);
  });

  it("remove deletes the selected members and array items", async () => {
    const overlay = await withActions("remove.yaml", [
      "  - target: $.paths['/b']",
      "    remove: true",
      "  - target: $.paths['/a'].get.tags[0]",
      "    remove: true",
    ]);
    const result = await apply([overlay]);
    expect(result.paths).toEqual({
      "/a": { get: { summary: "A", tags: [], responses: { "200": { description: "OK" } } } },
    });
  });

  it("runs the actions of a file in their order", async () => {
    const removeThenAdd = await withActions("order-1.yaml", [
      "  - target: $.paths['/a'].get.tags",
      "    remove: true",
      "  - target: $.paths['/a'].get",
      "    update: {tags: [z]}",
    ]);
    const addThenRemove = await withActions("order-2.yaml", [
      "  - target: $.paths['/a'].get",
      "    update: {tags: [z]}",
      "  - target: $.paths['/a'].get.tags",
      "    remove: true",
    ]);
    const first = (await apply([removeThenAdd])) as { paths: { "/a": { get: Record<string, unknown> } } };
    const second = (await apply([addThenRemove])) as { paths: { "/a": { get: Record<string, unknown> } } };
    expect(first.paths["/a"].get.tags).toEqual(["z"]);
    expect(second.paths["/a"].get).not.toHaveProperty("tags");
  });

  it("applies the files in the order given: a later file may target what an earlier one added", async () => {
    const adds = await withActions("10-add.yaml", [
      "  - target: $.paths",
      "    update:",
      "      /c:",
      "        get:",
      "          responses: {'200': {description: OK}}",
    ]);
    const names = await withActions("20-name.yaml", ["  - target: $.paths['/c'].get", "    update: {summary: C}"]);
    const result = (await apply([adds, names])) as { paths: Record<string, unknown> };
    expect(result.paths["/c"]).toEqual({ get: { summary: "C", responses: { "200": { description: "OK" } } } });

    const error = await pipelineRejectionOf(apply([names, adds]));
    expect(error.message).toBe(
      "stale overlay: action 1: target $.paths['/c'].get matches nothing (in the document as it stands before this overlay)",
    );
  });

  it("bundles a $ref the overlay adds to what the overlay itself defines", async () => {
    const overlay = await overlayFile("self-ok.yaml", [
      ...HEAD,
      "x-defs:",
      "  NotFound:",
      "    description: gone",
      "actions:",
      "  - target: $.paths['/a'].get.responses",
      "    update:",
      "      '404':",
      "        $ref: 'self-ok.yaml#/x-defs/NotFound'",
    ]);
    const result = (await apply([overlay])) as {
      paths: { "/a": { get: { responses: Record<string, unknown> } } };
      components: Record<string, unknown>;
    };
    expect(result.paths["/a"].get.responses["404"]).toEqual({ $ref: "#/components/responses/NotFound" });
    expect(result.components).toEqual({ responses: { NotFound: { description: "gone" } } });
  });

  it("passes when bundling only warns (a name clash Redocly solves by renaming)", async () => {
    await writeFile(path.join(root, "spec", "parts", "Thing.yaml"), "type: string\n");
    const overlay = await withActions("rename.yaml", [
      "  - target: $.paths['/a'].get.responses['200']",
      "    update:",
      "      content:",
      "        application/json:",
      "          schema:",
      "            $ref: '../parts/Thing.yaml'",
    ]);
    const document = { ...joined(), components: { schemas: { Thing: { type: "integer" } } } };
    const result = (await apply([overlay], document)) as { components: { schemas: Record<string, unknown> } };
    expect(result.components.schemas).toEqual({ Thing: { type: "integer" }, "Thing-2": { type: "string" } });
  });
});

describe("applyOverlays: targets must select something in the document before the file", () => {
  it("names every stale action by number, target and line, and says what to do", async () => {
    const overlay = await withActions("stale.yaml", [
      "  - description: gone",
      "    target: $.paths['/gone'].get",
      "    update: {summary: x}",
      "  - target: $.paths['/a'].get",
      "    update: {summary: y}",
      "  - description: no post",
      "    target: $.paths['/b'].post",
      "    remove: true",
    ]);
    const error = await pipelineRejectionOf(apply([overlay]));
    expect(error.message).toBe(
      "stale overlay: action 1: target $.paths['/gone'].get matches nothing; " +
        "action 3: target $.paths['/b'].post matches nothing (in the document as it stands before this overlay)",
    );
    expect(error.locations).toEqual([
      { file: "spec/overlays/stale.yaml", line: 7, column: 13 },
      { file: "spec/overlays/stale.yaml", line: 12, column: 13 },
    ]);
    expect(error.hint).toBe(STALE_HINT);
  });

  it("checks targets against the document before the file: an action cannot target what an earlier one adds", async () => {
    const overlay = await withActions("same-file.yaml", [
      "  - target: $.paths",
      "    update: {/c: {get: {responses: {'200': {description: OK}}}}}",
      "  - target: $.paths['/c'].get",
      "    update: {summary: C}",
    ]);
    const error = await pipelineRejectionOf(apply([overlay]));
    expect(error.message).toBe(
      "stale overlay: action 2: target $.paths['/c'].get matches nothing (in the document as it stands before this overlay)",
    );
    expect(error.locations).toEqual([{ file: "spec/overlays/same-file.yaml", line: 8, column: 13 }]);
  });

  it("refuses a target that is no RFC 9535 JSONPath, naming the action, the parser's reason and the line", async () => {
    const target = "$.paths[";
    const overlay = await withActions("invalid.yaml", [
      "  - target: $.paths['/a'].get",
      "    update: {summary: y}",
      "  - description: broken",
      `    target: ${target}`,
      "    update: {summary: z}",
    ]);
    const error = await pipelineRejectionOf(apply([overlay]));
    expect(error.message).toBe(`invalid JSONPath in action 2: ${thrownMessage(() => selectPaths({}, target))}`);
    expect(error.locations).toEqual([{ file: "spec/overlays/invalid.yaml", line: 9, column: 13 }]);
    expect(error.hint).toBe(JSONPATH_HINT);
  });
});

describe("applyOverlays: what Redocly reports", () => {
  // The target check leaves the shape of an overlay to Redocly.
  it.each([
    ["without actions", [], "The overlay must have a list of `actions`.", { line: 1, column: 1, pointer: "#/actions" }],
    [
      "with an action that is no object",
      ["actions:", "  - just a string"],
      "An action must be an object.",
      { line: 6, column: 5, pointer: "#/actions/0" },
    ],
    [
      "with an action without a target",
      ["actions:", "  - description: d", "    update: {summary: x}"],
      "The `target` field must be a JSONPath expression.",
      { line: 6, column: 5, pointer: "#/actions/0/target" },
    ],
  ])("an overlay %s", async (_, lines, message, at) => {
    const name = `shape-${lines.length}.yaml`;
    const error = await pipelineRejectionOf(apply([await overlayFile(name, [...HEAD, ...lines])]));
    expect(error.message).toBe(`applying spec/overlays/${name} failed:\n    ${message}`);
    expect(error.locations).toEqual([{ file: `spec/overlays/${name}`, ...at }]);
    expect(error.hint).toBe(REF_HINT);
  });

  it("refuses an update whose kind does not fit the target's (an object onto a string), at the action's update", async () => {
    const overlay = await withActions("kinds.yaml", [
      "  - target: $.paths['/a'].get.summary",
      "    update:",
      "      text: A",
    ]);
    const error = await pipelineRejectionOf(apply([overlay]));
    expect(error.message).toBe(
      "applying spec/overlays/kinds.yaml failed:\n    Cannot apply object to string at $['paths']['/a']['get']['summary'].",
    );
    expect(error.locations).toEqual([
      { file: "spec/overlays/kinds.yaml", line: 8, column: 7, pointer: "#/actions/0/update" },
    ]);
    expect(error.hint).toBe(REF_HINT);
  });

  it("lists each $ref the overlay adds to nothing, in the bundle at the fragment the node came from", async () => {
    const overlay = await withActions("dangling.yaml", [
      "  - target: $.paths['/a'].get.responses",
      "    update:",
      "      '404':",
      "        $ref: '#/components/responses/Nope'",
      "  - target: $.paths['/b'].get",
      "    update:",
      "      requestBody:",
      "        $ref: '#/components/requestBodies/Nope'",
    ]);
    const error = await pipelineRejectionOf(apply([overlay]));
    expect(error.message).toBe(
      "applying spec/overlays/dangling.yaml failed:\n" +
        "    Can't resolve $ref `#/components/responses/Nope`\n" +
        "    Can't resolve $ref `#/components/requestBodies/Nope`",
    );
    expect(error.locations).toEqual([
      { file: "devin-api.yaml (bundle; from spec/fragments/a.yaml)", pointer: "#/paths/~1a/get/responses/404" },
      { file: "devin-api.yaml (bundle; from spec/fragments/b.yaml)", pointer: "#/paths/~1b/get/requestBody" },
    ]);
    expect(error.hint).toBe(REF_HINT);
  });

  it("points into the overlay, with its line, at a $ref inside what the overlay itself defines", async () => {
    const overlay = await overlayFile("self-bad.yaml", [
      ...HEAD,
      "x-defs:",
      "  Thing:",
      "    type: object",
      "    properties:",
      "      x:",
      "        $ref: '#/x-defs/Nowhere'",
      "actions:",
      "  - target: $.paths['/a'].get.responses['200']",
      "    update:",
      "      content:",
      "        application/json:",
      "          schema:",
      "            $ref: 'self-bad.yaml#/x-defs/Thing'",
    ]);
    const error = await pipelineRejectionOf(apply([overlay]));
    expect(error.message).toBe(
      "applying spec/overlays/self-bad.yaml failed:\n    Can't resolve $ref `#/x-defs/Nowhere`",
    );
    expect(error.locations).toEqual([
      { file: "spec/overlays/self-bad.yaml", line: 10, column: 9, pointer: "#/x-defs/Thing/properties/x" },
    ]);
  });

  it("places a problem without a pointer (a plugin's decorator may report one) at the bundle's root", async () => {
    const decorator: Oas3Decorator = () => ({
      Root: {
        leave: (_, ctx) =>
          ctx.report({ message: "no pointer", location: { source: ctx.location.source, pointer: undefined } }),
      },
    });
    const withDecorator = await createConfig(
      { decorators: { "test/no-pointer": "on" } },
      { plugins: [{ id: "test", decorators: { oas3: { "test/no-pointer": decorator } } }] },
    );
    const overlay = await withActions("no-pointer.yaml", ["  - target: $.paths['/a'].get", "    update: {summary: y}"]);
    const error = await pipelineRejectionOf(apply([overlay], joined(), withDecorator));
    expect(error.message).toBe("applying spec/overlays/no-pointer.yaml failed:\n    no pointer");
    expect(error.locations).toEqual([{ file: "devin-api.yaml (bundle)", pointer: "#/" }]);
  });
});

/** A fragment as stage 2 lints it: `/a` without summary and, unless `operationId`, without operationId. */
function fragment(name: string, operationId?: string): SourceFile {
  const text = [
    "openapi: 3.1.0",
    "info:",
    "  title: T",
    '  version: "1"',
    "paths:",
    "  /a:",
    "    get:",
    ...(operationId ? [`      operationId: ${operationId}`] : []),
    "      responses:",
    '        "200":',
    "          description: OK",
    "",
  ].join("\n");
  return parseSourceFile(path.join(root, "spec", "fragments", name), `spec/fragments/${name}`, text);
}

describe("lintSources", () => {
  const lintConfig = () =>
    createConfig({
      extends: [],
      rules: { struct: "error", "operation-summary": "warn", "operation-operationId": "error" },
    });

  it("returns the warnings, each at its file, line and pointer; an overlay is linted as an Overlay", async () => {
    const overlay = await withActions("linted.yaml", ["  - target: $.paths['/a'].get", "    update: {summary: A}"]);
    const warnings = await lintSources([fragment("a.yaml", "get_a"), overlay], await lintConfig(), new BaseResolver());
    expect(warnings).toEqual([
      {
        severity: "warn",
        ruleId: "operation-summary",
        message: expect.stringContaining("summary"),
        location: { file: "spec/fragments/a.yaml", line: 7, column: 5, pointer: "#/paths/~1a/get/summary" },
      },
    ]);
  });

  it("fails on errors, naming the stage and each finding", async () => {
    const error = await pipelineRejectionOf(
      lintSources([fragment("a.yaml"), fragment("b.yaml")], await lintConfig(), new BaseResolver()),
    );
    expect(error.message).toBe("lint of spec/: 2 lint errors");
    expect(error.locations).toEqual([
      { file: "spec/fragments/a.yaml", line: 7, column: 5, pointer: "#/paths/~1a/get/operationId" },
      { file: "spec/fragments/b.yaml", line: 7, column: 5, pointer: "#/paths/~1a/get/operationId" },
    ]);
    expect(error.hint).toBe(LINT_HINT);
  });
});

describe("lintBundle", () => {
  /** Root rules, plus the rules of `apis.devin` for the bundle only. */
  const lintConfig = () =>
    createConfig({
      extends: [],
      rules: { "operation-summary": "warn" },
      apis: { [BUNDLE_API_ALIAS]: { root: "generated/devin-api.yaml", rules: { "operation-operationId": "error" } } },
    });
  const bundleOf = (document: Record<string, unknown>) => inMemoryDocument(document, layout.bundleFile);

  it("returns the warnings, located by pointer and the fragment the node came from, without lines", async () => {
    const document = {
      ...joined(),
      paths: {
        "/a": { get: { operationId: "get_a", summary: "A", responses: { "200": { description: "OK" } } } },
        "/b": { get: { operationId: "get_b", responses: { "200": { description: "OK" } } } },
      },
    };
    const warnings = await lintBundle(bundleOf(document), await lintConfig(), layout, provenance());
    expect(warnings).toEqual([
      {
        severity: "warn",
        ruleId: "operation-summary",
        message: expect.stringContaining("summary"),
        location: { file: "devin-api.yaml (bundle; from spec/fragments/b.yaml)", pointer: "#/paths/~1b/get/summary" },
      },
    ]);
  });

  it("fails on the errors of the bundle's own rules, naming the stage", async () => {
    const error = await pipelineRejectionOf(lintBundle(bundleOf(joined()), await lintConfig(), layout, provenance()));
    expect(error.message).toBe("lint of the bundle (after overlays): 2 lint errors");
    expect(error.locations).toEqual([
      { file: "devin-api.yaml (bundle; from spec/fragments/a.yaml)", pointer: "#/paths/~1a/get/operationId" },
      { file: "devin-api.yaml (bundle; from spec/fragments/b.yaml)", pointer: "#/paths/~1b/get/operationId" },
    ]);
    expect(error.details?.map((d) => d.message)).toEqual([
      expect.stringMatching(/ \[operation-operationId\]$/),
      expect.stringMatching(/ \[operation-operationId\]$/),
    ]);
    expect(error.hint).toBe(LINT_HINT);
  });
});
