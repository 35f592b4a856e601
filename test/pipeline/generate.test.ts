import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../../scripts/build/pipeline.ts";
import { check } from "../../scripts/gate/drift.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/shared/pipeline-error.ts";
import {
  copyFixtureProject,
  edit,
  FIXTURE,
  FIXTURE_PROJECT,
  FIXTURES,
  PIPELINE_STAGES,
  runScript,
  snapshotDir,
  type TempProject,
} from "./helpers.ts";

describe("npm run generate", () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await copyFixtureProject();
  });
  afterAll(() => project.cleanup());

  it("writes the bundle, the types, the operation index and a README, and prints a summary", async () => {
    const run = await runScript("generate.ts", ["--root", project.root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/5 fragments and 2 overlays: 5 operations, \d+ schemas, 0 warnings, \d+ ms/);
    expect((await readdir(project.generatedDir)).sort()).toEqual([
      "README.md",
      "devin-api.yaml",
      "operations.ts",
      "schema.ts",
    ]);
    expect(await readFile(path.join(project.generatedDir, "README.md"), "utf8")).toContain("`operations.ts`");
    expect((await check(project)).drift).toEqual([]);
  });

  it("prints each stage's time with --timings, on stderr", async () => {
    const run = await runScript("generate.ts", ["--root", project.root, "--timings"]);
    expect(run.code, run.stderr).toBe(0);
    const stages = [...run.stderr.matchAll(/^ {2}(\S.*?) +\d+ ms$/gm)].map((m) => m[1]);
    expect(stages).toEqual(["start-up (module loading)", ...PIPELINE_STAGES]);
    expect(run.stdout).not.toContain("lint bundle");
  });

  it("bundles what the overlays add, with the German descriptions", async () => {
    const bundle = parse(await readFile(path.join(project.generatedDir, "devin-api.yaml"), "utf8"));
    const del = bundle.paths[FIXTURE.deleteSecret.path].delete;
    expect(Object.keys(del.responses).sort()).toEqual(["200", "401", "403", "404", "422", "429"]);
    expect(bundle.servers).toEqual([expect.objectContaining({ url: "https://api.example.invalid" })]);
    expect(bundle.components.schemas.ErrorResponse.anyOf).toHaveLength(2);
    expect(bundle.components.schemas["LegacyErrorResponse.DetailItem"].description).toContain("Validierungsfehler");
  });
});

describe("stage 10: the type-check of the generated code", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
  });
  afterEach(() => project.cleanup());

  it("fails generate when openapi-typescript writes code that does not compile, naming schema.ts, and writes nothing", async () => {
    // `const: .inf` is valid YAML and passes lint, but openapi-typescript 7 emits `Infinity` as
    // a type, which no TypeScript accepts: only the type-check stands between it and generated/.
    // (Should a later openapi-typescript emit `number` here, this test needs another trigger.)
    await edit(path.join(project.fragmentsDir, FIXTURE.listSecrets.file), (t) =>
      t.replace(
        "            - type: integer\n            - type: 'null'",
        "            - const: .inf\n            - type: 'null'",
      ),
    );
    const before = await snapshotDir(project.generatedDir);
    const error = await generate(project).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
    const message = formatPipelineError(error as never);
    expect(message).toMatch(/^generated\/schema\.ts:\d+:\d+\n/);
    expect(message).toContain("generated TypeScript does not type-check:\n    TS2304: Cannot find name 'Infinity'.");
    expect(await snapshotDir(project.generatedDir)).toEqual(before);
  });
});

describe("spec:import --root", () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await copyFixtureProject();
  });
  afterAll(() => project.cleanup());

  it("writes into <root>/spec/fragments and reads pages relative to where it runs", async () => {
    await rm(path.join(project.fragmentsDir, FIXTURE.listSecrets.file));
    const pages = ["docs-v3/list-secrets.md", "docs-v3/get-secret.md"];
    const run = await runScript("spec-import.ts", ["--root", project.root, ...pages], {}, FIXTURES);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^created +spec\/fragments\/handle-list-secrets\.yaml {2}GET \/v3\/organizations/m);
    expect(run.stdout).toMatch(/^unchanged +spec\/fragments\/handle-get-secret\.yaml/m);
    expect(await readFile(path.join(project.fragmentsDir, FIXTURE.listSecrets.file), "utf8")).toBe(
      await readFile(path.join(FIXTURE_PROJECT, "spec", "fragments", FIXTURE.listSecrets.file), "utf8"),
    );
  });
});
