import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { check } from "../../scripts/lib/commands.ts";
import type { ProjectLayout } from "../../scripts/lib/project.ts";
import { copyProject, runScript } from "./helpers.ts";

const LIST = "handle-list-service-user-api-keys.yaml";

// [behaviour, change, the files the gate must name, with how they drifted]
const cases: [string, (p: ProjectLayout) => Promise<void>, Record<string, string>][] = [
  [
    "a hand-edited generated file",
    async (p) => {
      const file = path.join(p.generatedDir, "schema.ts");
      await writeFile(file, (await readFile(file, "utf8")).replace("after?: string;", "after?: number;"));
    },
    { "generated/schema.ts": "differs" },
  ],
  [
    "a one-word spec change that was not regenerated",
    async (p) => {
      const file = path.join(p.fragmentsDir, LIST);
      await writeFile(file, (await readFile(file, "utf8")).replace("optional nach Status", "wahlweise nach Status"));
    },
    { "generated/devin-api.yaml": "differs", "generated/schema.ts": "differs" },
  ],
  ["a missing generated file", (p) => rm(path.join(p.generatedDir, "schema.ts")), { "generated/schema.ts": "missing" }],
  [
    "a stray file in generated/",
    (p) => writeFile(path.join(p.generatedDir, "notes.txt"), "hand-written\n"),
    { "generated/notes.txt": "stray" },
  ],
];

describe("the drift gate", () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeEach(async () => {
    project = await copyProject();
  });
  afterEach(() => project.cleanup());

  it("passes when generated/ matches spec/", async () => {
    expect((await check(project)).drift).toEqual([]);
  });

  it.each(cases)("catches %s and names the file", async (_, change, want) => {
    await change(project);
    const { drift } = await check(project);
    expect(Object.fromEntries(drift.map((d) => [d.file, d.kind]))).toEqual(want);
  });

  it("exits non-zero, shows a short diff and prints the fixing command", async () => {
    const file = path.join(project.fragmentsDir, LIST);
    await writeFile(file, (await readFile(file, "utf8")).replace("optional nach Status", "wahlweise nach Status"));
    const run = await runScript("check.ts", ["--root", project.root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("generated/devin-api.yaml: differs");
    expect(run.stderr).toMatch(
      /^ {4}- +description: API keys für einen Service-Benutzer auflisten, optional nach Status/m,
    );
    expect(run.stderr).toMatch(
      /^ {4}\+ +description: API keys für einen Service-Benutzer auflisten, wahlweise nach Status/m,
    );
    expect(run.stderr).toContain("Fix: run `npm run generate`");
  });
});
