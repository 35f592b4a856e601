import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { check } from "../../scripts/gate/drift.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import {
  copyDocumentedProject,
  copyFixtureProject,
  edit,
  FIXTURE,
  FIXTURE_PROJECT,
  REPO,
  runScript,
  type TempProject,
} from "./helpers.ts";

const LIST = FIXTURE.listSecrets.file;
const editDescription = (p: ProjectLayout) =>
  edit(path.join(p.fragmentsDir, LIST), (t) =>
    t.replace("optional nach Typ gefiltert", "wahlweise nach Typ gefiltert"),
  );

// [behaviour, change, the files the gate must name, with how they drifted]
const cases: [string, (p: ProjectLayout) => Promise<void>, Record<string, string>][] = [
  [
    "a hand-edited generated file",
    (p) => edit(path.join(p.generatedDir, "schema.ts"), (t) => t.replace("after?: string;", "after?: number;")),
    { "generated/schema.ts": "differs" },
  ],
  [
    "a one-word spec change that was not regenerated",
    editDescription,
    { "generated/devin-api.yaml": "differs", "generated/schema.ts": "differs" },
  ],
  [
    "a whitespace-only hand edit (a blank line added at the end)",
    (p) => edit(path.join(p.generatedDir, "devin-api.yaml"), (t) => `${t}\n`),
    { "generated/devin-api.yaml": "differs" },
  ],
  [
    "a whitespace-only hand edit (the final newline removed)",
    (p) => edit(path.join(p.generatedDir, "operations.ts"), (t) => t.trimEnd()),
    { "generated/operations.ts": "differs" },
  ],
  [
    "a whitespace-only hand edit (trailing spaces on a line)",
    (p) => edit(path.join(p.generatedDir, "schema.ts"), (t) => t.replace("after?: string;", "after?: string;  ")),
    { "generated/schema.ts": "differs" },
  ],
  ["a missing generated file", (p) => rm(path.join(p.generatedDir, "schema.ts")), { "generated/schema.ts": "missing" }],
  [
    "a stray file in generated/",
    (p) => writeFile(path.join(p.generatedDir, "notes.txt"), "hand-written\n"),
    { "generated/notes.txt": "stray" },
  ],
];

describe("the drift gate", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
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
    await editDescription(project);
    const run = await runScript("check.ts", ["--root", project.root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("generated/devin-api.yaml: differs");
    expect(run.stderr).toMatch(/^ {4}- +description: Die Secrets einer Organisation auflisten, optional nach Typ/m);
    expect(run.stderr).toMatch(/^ {4}\+ +description: Die Secrets einer Organisation auflisten, wahlweise nach Typ/m);
    expect(run.stderr).toContain("Fix: run `npm run generate`");
  });
});

describe("committed generated/ folders", () => {
  it("the fixture project's generated/ matches what its spec/ generates (else: npm run generate -- --root test/fixtures/project)", async () => {
    expect((await check(projectLayout(FIXTURE_PROJECT))).drift).toEqual([]);
  });

  it("documented endpoints: the committed generated/ matches spec/", async () => {
    const project = await copyDocumentedProject();
    try {
      expect((await check(project)).drift).toEqual([]);
      expect(await readFile(path.join(project.generatedDir, "schema.ts"), "utf8")).toBe(
        await readFile(path.join(REPO, "generated", "schema.ts"), "utf8"),
      );
    } finally {
      await project.cleanup();
    }
  });
});
