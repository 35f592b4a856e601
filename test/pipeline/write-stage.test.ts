/**
 * Stage 12 (scripts/build/write.ts) and what `generate` leaves on disk. The other pipeline tests
 * run on a copy that already holds the committed generated/, so a pipeline that writes nothing,
 * or writes over the old folder in place, would pass them: these start from an absent or
 * stray-filled generated/ and compare the result with the committed one, byte for byte.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../../scripts/build/pipeline.ts";
import { replaceGeneratedDir } from "../../scripts/build/write.ts";
import { copyFixtureProject, FIXTURE_PROJECT, snapshotDir, type TempProject } from "./helpers.ts";

const COMMITTED = path.join(FIXTURE_PROJECT, "generated");

/** What sits beside generated/ besides spec/ and redocly.yaml: a temp folder the swap left behind. */
async function leftovers(project: TempProject): Promise<string[]> {
  return (await readdir(project.root)).filter((name) => name.startsWith(".generated-"));
}

describe("generate writes generated/", () => {
  let project: TempProject;
  let expected: Map<string, string>;
  beforeEach(async () => {
    project = await copyFixtureProject();
    expected = await snapshotDir(COMMITTED);
  });
  afterEach(() => project.cleanup());

  it("creates generated/ from scratch with exactly the committed bytes", async () => {
    await rm(project.generatedDir, { recursive: true });
    await generate(project);
    expect(await snapshotDir(project.generatedDir)).toEqual(expected);
    expect(await leftovers(project)).toEqual([]);
  });

  it("replaces a stray-filled, hand-edited generated/ with exactly its outputs", async () => {
    await writeFile(path.join(project.generatedDir, "notes.txt"), "hand-written\n");
    await writeFile(path.join(project.generatedDir, "schema.ts"), "export type paths = {};\n");
    await mkdir(path.join(project.generatedDir, "old"));
    await writeFile(path.join(project.generatedDir, "old", "schema.ts"), "// an old copy\n");
    await generate(project);
    expect(await snapshotDir(project.generatedDir)).toEqual(expected);
    expect(await leftovers(project)).toEqual([]);
  });
});

describe("the write stage", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
  });
  afterEach(() => project.cleanup());

  it("leaves the old folder byte-identical and no temp folder when a write fails", async () => {
    const before = await snapshotDir(project.generatedDir);
    // The first file can be written; the second cannot (its folder does not exist), so a
    // writer that wrote in place would have changed README.md by the time it fails.
    const files = new Map([
      ["README.md", "new text\n"],
      [path.join("missing-folder", "schema.ts"), "export {};\n"],
    ]);
    await expect(replaceGeneratedDir(project.generatedDir, files)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await snapshotDir(project.generatedDir)).toEqual(before);
    expect(await leftovers(project)).toEqual([]);
  });

  it("swaps in exactly the given files, dropping what the old folder held", async () => {
    await replaceGeneratedDir(project.generatedDir, new Map([["a.ts", "export const a = 1;\n"]]));
    expect(await readdir(project.generatedDir)).toEqual(["a.ts"]);
    expect(await readFile(path.join(project.generatedDir, "a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(await leftovers(project)).toEqual([]);
  });
});
