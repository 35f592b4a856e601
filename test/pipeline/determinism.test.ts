import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOutputs, loadInputs } from "../../scripts/lib/pipeline.ts";
import { copyProject, REPO, runScript, snapshotDir } from "./helpers.ts";

/** Deterministic permutations (no Math.random: a failure must reproduce). */
function permutations<T>(items: readonly T[]): T[][] {
  return [[...items], [...items].reverse(), [...items.slice(1), ...items.slice(0, 1)]];
}

describe("generate is deterministic", () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
  });
  afterAll(() => project.cleanup());

  it("gives the same bytes whatever order the fragments are found in", async () => {
    const inputs = await loadInputs(project);
    const runs = [];
    for (const fragments of permutations(inputs.fragments)) {
      runs.push((await buildOutputs({ ...inputs, fragments })).outputs);
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it("gives the committed bytes under another locale and time zone", async () => {
    const run = await runScript("generate.ts", ["--root", project.root], {
      LANG: "de_DE.UTF-8",
      LC_ALL: "de_DE.UTF-8",
      TZ: "Pacific/Chatham",
    });
    expect(run.code, run.stderr).toBe(0);
    const committed = await snapshotDir(path.join(REPO, "generated"));
    expect(await snapshotDir(project.generatedDir)).toEqual(committed);
  });

  it("writes no timestamps or absolute paths", async () => {
    const yaml = await readFile(path.join(REPO, "generated", "devin-api.yaml"), "utf8");
    const schema = await readFile(path.join(REPO, "generated", "schema.ts"), "utf8");
    for (const text of [yaml, schema]) {
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      expect(text).not.toContain(REPO);
    }
  });
});
