import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInputs } from "../../scripts/build/load-inputs.ts";
import { buildOutputs, generate } from "../../scripts/build/pipeline.ts";
import {
  copyDocumentedProject,
  copyFixtureProject,
  FIXTURE_PROJECT,
  REPO,
  runScript,
  snapshotDir,
  type TempProject,
} from "./helpers.ts";

/** Deterministic permutations (no Math.random: a failure must reproduce). */
function permutations<T>(items: readonly T[]): T[][] {
  return [[...items], [...items].reverse(), [...items.slice(1), ...items.slice(0, 1)]];
}

describe("generate is deterministic", () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await copyFixtureProject();
  });
  afterAll(() => project.cleanup());

  it("gives the same bytes whatever order the fragments are found in", async () => {
    const inputs = await loadInputs(project);
    const runs = [];
    for (const fragments of permutations(inputs.fragments)) {
      runs.push((await buildOutputs({ ...inputs, fragments })).files);
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it("gives the same bytes under another locale and time zone", async () => {
    const run = await runScript("generate.ts", ["--root", project.root], {
      LANG: "de_DE.UTF-8",
      LC_ALL: "de_DE.UTF-8",
      TZ: "Pacific/Chatham",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(await snapshotDir(project.generatedDir)).toEqual(await snapshotDir(path.join(FIXTURE_PROJECT, "generated")));
  });

  it("writes no timestamps or absolute paths", async () => {
    await generate(project);
    for (const name of ["devin-api.yaml", "schema.ts", "operations.ts", "README.md"]) {
      const text = await readFile(path.join(project.generatedDir, name), "utf8");
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      expect(text).not.toContain(project.root);
      expect(text).not.toContain(REPO);
    }
  });

  it("documented endpoints: gives the committed bytes under another locale and time zone", async () => {
    const documented = await copyDocumentedProject();
    try {
      const run = await runScript("generate.ts", ["--root", documented.root], {
        LANG: "de_DE.UTF-8",
        LC_ALL: "de_DE.UTF-8",
        TZ: "Pacific/Chatham",
      });
      expect(run.code, run.stderr).toBe(0);
      expect(await snapshotDir(documented.generatedDir)).toEqual(await snapshotDir(path.join(REPO, "generated")));
    } finally {
      await documented.cleanup();
    }
  });
});
