/**
 * In-process units of three build stages that the CLI tests reach only through a child process:
 * the in-memory type-check (stage 10, scripts/build/typecheck.ts), the openapi-typescript call
 * (stage 8, typegen.ts), and what `generate` tells its caller (pipeline.ts).
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { generate } from "../../scripts/build/pipeline.ts";
import { typecheckInMemory } from "../../scripts/build/typecheck.ts";
import { isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { copyFixtureProject, FIXTURE_PROJECT, PIPELINE_STAGES, pipelineErrorOf, type TempProject } from "./helpers.ts";

const HINT =
  "The generators wrote code that does not compile, which no spec should cause: report it with the spec that " +
  "triggers it (schema.ts comes from openapi-typescript, operations.ts from scripts/build/operation-index.ts).";

/** Type-checks `files` as the pipeline does the generated ones, shown under `generated/`. */
function typecheck(files: Record<string, string>): void {
  typecheckInMemory(new Map(Object.entries(files)), "generated");
}

/** The PipelineError the type-check of `files` throws. */
function typecheckError(files: Record<string, string>): PipelineError {
  return pipelineErrorOf(() => typecheck(files));
}

describe("typecheckInMemory", () => {
  it("accepts files that import each other by their .ts name, type-only, as operations.ts imports schema.ts", () => {
    expect(() =>
      typecheck({
        "schema.ts": "export interface paths { '/a': { get: { id: string } } }\n",
        "operations.ts":
          'import type { paths } from "./schema.ts";\nexport const id: paths["/a"]["get"]["id"] = "x";\n',
      }),
    ).not.toThrow();
  });

  // Each source compiles without the option: the check is as strict as tsconfig.json.
  it.each([
    [
      "noUncheckedIndexedAccess",
      { "a.ts": "const list: number[] = [1];\nexport const first: number = list[0];\n" },
      "TS2322: Type 'number | undefined' is not assignable to type 'number'.\n  Type 'undefined' is not assignable to type 'number'.",
      { file: "generated/a.ts", line: 2, column: 14 },
    ],
    [
      "exactOptionalPropertyTypes",
      { "a.ts": "export const o: { a?: number } = { a: undefined };\n" },
      "TS2375: Type '{ a: undefined; }' is not assignable to type '{ a?: number; }' with 'exactOptionalPropertyTypes: true'.",
      { file: "generated/a.ts", line: 1, column: 14 },
    ],
    [
      "verbatimModuleSyntax",
      { "a.ts": "export type T = number;\n", "b.ts": 'import { T } from "./a.ts";\nexport const t: T = 1;\n' },
      "TS1484: 'T' is a type and must be imported using a type-only import when 'verbatimModuleSyntax' is enabled.",
      { file: "generated/b.ts", line: 1, column: 10 },
    ],
  ])("checks with %s", (_, files, message, location) => {
    const error = typecheckError(files);
    expect(error.message).toContain(`generated TypeScript does not type-check:\n    ${message}`);
    expect(error.locations).toEqual([location]);
  });

  it("names each error's file, 1-based line and column, its code and its whole message, and says what to do", () => {
    const error = typecheckError({
      "schema.ts": "export type Id = number;\n",
      "operations.ts":
        'import type { Id } from "./schema.ts";\n' +
        "const ids: Id[] = [1];\n" +
        "export const first: Id = ids[0];\n" +
        '  export let name: Id = "one";\n',
    });
    expect(error.message).toBe(
      "generated TypeScript does not type-check:\n" +
        "    TS2322: Type 'number | undefined' is not assignable to type 'number'.\n" +
        "  Type 'undefined' is not assignable to type 'number'.\n" +
        "    TS2322: Type 'string' is not assignable to type 'number'.",
    );
    expect(error.locations).toEqual([
      { file: "generated/operations.ts", line: 3, column: 14 },
      { file: "generated/operations.ts", line: 4, column: 14 },
    ]);
    expect(error.hint).toBe(HINT);
  });

  it("reports the first 20 errors only", () => {
    const lines = Array.from({ length: 25 }, (_, i) => `export const v${i}: number = "${i}";\n`);
    const error = typecheckError({ "a.ts": lines.join("") });
    expect(error.message.match(/TS2322/g)).toHaveLength(20);
    expect(error.locations).toHaveLength(20);
    expect(error.locations.at(-1)).toEqual({ file: "generated/a.ts", line: 20, column: 14 });
  });

  it("reports an error that belongs to no file (a global type the minimal lib lacks) without a location", () => {
    const error = typecheckError({ "a.ts": "export function* count() {\n  yield 1;\n}\n" });
    expect(error.message).toBe(
      "generated TypeScript does not type-check:\n    TS2318: Cannot find global type 'IterableIterator'.",
    );
    expect(error.locations).toEqual([]);
  });

  it("does not find a module that is neither among the files nor on disk", () => {
    const error = typecheckError({
      "operations.ts": 'import type { paths } from "./schema.ts";\nexport type P = paths;\n',
    });
    expect(error.message).toBe(
      "generated TypeScript does not type-check:\n" +
        "    TS2307: Cannot find module './schema.ts' or its corresponding type declarations.",
    );
    expect(error.locations).toEqual([{ file: "generated/operations.ts", line: 1, column: 28 }]);
  });

  it("resolves an import among the files as TypeScript does on disk: `./schema` is schema.d.ts when there is no schema.ts", () => {
    expect(() =>
      typecheck({
        "schema.d.ts": "export type Id = number;\n",
        "operations.ts": 'import type { Id } from "./schema";\nexport const id: Id = 1;\n',
      }),
    ).not.toThrow();
  });

  it("does not resolve a package from the working directory's node_modules: the generated files stand alone", () => {
    // The tests run in the project, whose node_modules holds yaml with its types.
    const error = typecheckError({
      "operations.ts": 'import type { Document } from "yaml";\nexport type D = Document;\n',
    });
    expect(error.message).toBe(
      "generated TypeScript does not type-check:\n" +
        "    TS2307: Cannot find module 'yaml' or its corresponding type declarations.",
    );
    expect(error.locations).toEqual([{ file: "generated/operations.ts", line: 1, column: 31 }]);
  });

  describe("lies over the file system", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "devin-typecheck-"));
      await writeFile(path.join(dir, "schema.ts"), 'export type Real = "from disk";\n');
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("reads a file outside the virtual folder from disk", () => {
      const real = [...dir.split(path.sep), "schema.ts"].join("/");
      const error = typecheckError({
        "a.ts": `import type { Real } from "${real}";\nexport const r: Real = "virtual";\n`,
      });
      expect(error.message).toBe(
        "generated TypeScript does not type-check:\n" +
          "    TS2322: Type '\"virtual\"' is not assignable to type '\"from disk\"'.",
      );
    });
  });
});

describe("generateTypes", () => {
  /**
   * typegen.ts caches its Redocly config in a module variable. Stryker keeps one module graph
   * across its runs, so a statically imported instance would have the cache filled by an
   * earlier run; each test gets a fresh instance instead (a new query is a new module).
   */
  async function freshTypegen(): Promise<typeof import("../../scripts/build/typegen.ts")> {
    const module = `../../scripts/build/typegen.ts?instance=${randomUUID()}`;
    return import(/* @vite-ignore */ module);
  }

  const response = { "200": { description: "OK" } };

  it("does not lint again: a spec that breaks a Redocly rule still gets its types, each time", async () => {
    const { generateTypes, SCHEMA_BANNER } = await freshTypegen();
    // Two operations with one operationId: an error of openapi-typescript's own default rules.
    const spec = () => ({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/a": { get: { operationId: "same", responses: response } },
        "/b": { get: { operationId: "same", responses: response } },
      },
    });
    const first = await generateTypes(spec());
    expect(first.startsWith(SCHEMA_BANNER)).toBe(true);
    expect(first).toContain('"/a": {');
    expect(first).toContain('"/b": {');
    expect(await generateTypes(spec())).toBe(first);
  });

  it("prints nothing of its own: openapi-typescript runs silent", async () => {
    const { generateTypes } = await freshTypegen();
    // A discriminator over a string schema: openapi-typescript warns when it is not silent.
    const spec = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {},
      components: {
        schemas: {
          Name: { type: "string" },
          Named: { oneOf: [{ $ref: "#/components/schemas/Name" }], discriminator: { propertyName: "kind" } },
        },
      },
    };
    const printed: unknown[][] = [];
    const spies = (["log", "warn", "error"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args);
      }),
    );
    const types = await generateTypes(spec).finally(() => {
      for (const spy of spies) spy.mockRestore();
    });
    expect(types).toContain("Named:");
    expect(printed).toEqual([]);
  });
});

describe("generate, as its caller sees it", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
  });
  afterEach(() => project.cleanup());

  it("reports each stage in order with its time, counts what it built, and starts with no warnings", async () => {
    const stages: string[] = [];
    const times: number[] = [];
    const start = performance.now();
    const result = await generate(project, {
      onStage: (stage, ms) => {
        stages.push(stage);
        times.push(ms);
      },
    });
    const total = performance.now() - start;
    expect(stages).toEqual(PIPELINE_STAGES);
    // The stages follow each other within the call: each time is a part of the total.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
    expect(times.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total);

    const committed = parse(await readFile(path.join(FIXTURE_PROJECT, "generated", "devin-api.yaml"), "utf8"));
    expect(result.stats).toEqual({
      operations: 5,
      schemas: Object.keys(committed.components.schemas).length,
      fragments: (await readdir(project.fragmentsDir)).filter((n) => n.endsWith(".yaml")).length,
      overlays: (await readdir(project.overlaysDir)).filter((n) => n.endsWith(".yaml")).length,
    });
    expect(result.warnings).toEqual([]);
  });

  it("names the folders of a refused write relative to the project root", async () => {
    await rm(project.generatedDir, { recursive: true });
    await mkdir(path.join(project.root, ".generated-old-0a1b2c3d"));
    const error = await generate(project).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
    expect((error as PipelineError).message).toBe(
      "generated/ is missing: an earlier write was interrupted between its two renames; " +
        ".generated-old-0a1b2c3d/ holds the folder as it was",
    );
    expect((error as PipelineError).locations).toEqual([{ file: ".generated-old-0a1b2c3d" }]);
  });
});
