import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadInputs, type PipelineInputs } from "../../scripts/build/load-inputs.ts";
import { build, generate } from "../../scripts/build/pipeline.ts";
import { check } from "../../scripts/gate/drift.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { copyFixtureProject, FIXTURE_PROJECT, REPO, runScript, snapshotDir, type TempProject } from "./helpers.ts";

const git = (cwd: string, ...args: string[]) => promisify(execFile)("git", args, { cwd });

/** Every file under `target` (a file or a folder), by path. */
async function filesUnder(target: string): Promise<string[]> {
  if ((await stat(target)).isFile()) return [target];
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Rewrites files with CRLF line endings, as git checks them out with `core.autocrlf=true` and no .gitattributes. */
async function convertToCrlf(...targets: string[]): Promise<void> {
  for (const file of (await Promise.all(targets.map(filesUnder))).flat()) {
    const text = await readFile(file, "utf8");
    if (text.includes("\r")) throw new Error(`test setup: ${file} has CR already`);
    await writeFile(file, text.replace(/\n/g, "\r\n"));
  }
}

/** The files under `targets` whose bytes hold a CR, relative to `root`. */
async function filesWithCr(root: string, ...targets: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of (await Promise.all(targets.map((t) => filesUnder(path.join(root, t))))).flat()) {
    if ((await readFile(file)).includes(0x0d)) out.push(path.relative(root, file));
  }
  return out;
}

/** What a checkout holds that the pipeline reads or writes. */
const pipelineFiles = (p: ProjectLayout) => [path.dirname(p.fragmentsDir), p.generatedDir, p.redoclyConfig];

describe("a checkout with CRLF line endings, without .gitattributes", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
    await convertToCrlf(...pipelineFiles(project));
  });
  afterEach(() => project.cleanup());

  it("reads spec/ as LF, at the same lines", async () => {
    const [crlf, lf] = await Promise.all([loadInputs(project), loadInputs(projectLayout(FIXTURE_PROJECT))]);
    const files = (i: PipelineInputs) => [...i.fragments, ...i.parts, ...i.overlays];
    expect(files(crlf).map((f) => f.text)).toEqual(files(lf).map((f) => f.text));
    const where = (i: PipelineInputs) => files(i).map((f) => f.locate(["paths"]));
    expect(where(crlf)).toEqual(where(lf));
  });

  it("builds the same outputs as the LF checkout, passes the gate, and generate writes LF", async () => {
    const fromLf = (await build(projectLayout(FIXTURE_PROJECT))).files;
    const { result, drift, changes } = await check(project);
    expect(drift).toEqual([]);
    expect(changes).toBeUndefined(); // no "API changes: none" report either
    expect(result.files).toEqual(fromLf);

    expect((await generate(project)).changes).toBeUndefined();
    expect(await snapshotDir(project.generatedDir)).toEqual(await snapshotDir(path.join(FIXTURE_PROJECT, "generated")));
  });

  // Only CR LF → LF is forgiven: any other whitespace edit of generated/ is still drift, and the
  // diff shows the lines it touched (how many: the third column), not every line of the file.
  const edits: [string, (text: string) => string, number][] = [
    ["a trailing space on one line", (t) => t.replace("after?: string;\r\n", "after?: string; \r\n"), 2],
    ["a blank line added", (t) => t.replace("\r\n", "\r\n\r\n"), 1],
    ["a tab for one line's indentation", (t) => t.replace(/\n {4}(?! )/, "\n\t"), 2],
    // A lone CR is no line ending: two lines of the pipeline's output become one.
    ["a lone CR for one line's CR LF", (t) => t.replace("after?: string;\r\n", "after?: string;\r"), 3],
    ["the final line ending removed", (t) => t.replace(/\r\n$/, ""), 2],
  ];
  it.each(edits)("%s in generated/schema.ts is drift", async (_, change, changedLines) => {
    const file = path.join(project.generatedDir, "schema.ts");
    const before = await readFile(file, "utf8");
    const after = change(before);
    expect(after, "test setup: the edit changes nothing").not.toBe(before);
    await writeFile(file, after);
    const { drift } = await check(project);
    expect(drift.map((d) => [d.file, d.kind])).toEqual([["generated/schema.ts", "differs"]]);
    const changed = (drift[0]?.diff ?? "").split("\n").filter((l) => /^[-+](?![-+]{2} )/.test(l));
    expect(changed, drift[0]?.diff).toHaveLength(changedLines);
  });
});

// These clone this repository, so they check what is committed (HEAD: spec/, generated/ and
// .gitattributes as of the last commit), run with the scripts/ of this checkout. A commit whose
// generated/ is stale fails them as it fails `npm run check`.
describe("a clone made with core.autocrlf=true (the Windows default)", () => {
  let tmp: string;
  let clone: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), "devin-clone-"));
    clone = path.join(tmp, "clone");
    await git(tmp, "clone", "--quiet", "-c", "core.autocrlf=true", REPO, clone);
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it("passes npm run check", async () => {
    // Before .gitattributes was committed, git checks generated/ out with CRLF and the gate must
    // read it as LF; with it, git checks out LF. Either way the gate passes.
    const attributes = await stat(path.join(clone, ".gitattributes")).then(
      () => true,
      () => false,
    );
    expect((await readFile(path.join(clone, "generated", "schema.ts"), "utf8")).includes("\r\n")).toBe(!attributes);
    const run = await runScript("check.ts", ["--root", clone]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^check: generated\/ matches spec\//);
  });

  it("with this checkout's .gitattributes: spec/, generated/ and the fixtures check out LF, and generate changes nothing git sees", async () => {
    await cp(path.join(REPO, ".gitattributes"), path.join(clone, ".gitattributes"));
    // Check the files out again, now under the attributes.
    const paths = ["spec", "generated", "redocly.yaml", "test/fixtures", ".ci", "scripts"];
    for (const p of paths) await rm(path.join(clone, p), { recursive: true });
    await git(clone, "checkout", "--", ...paths);
    expect(await filesWithCr(clone, ...paths)).toEqual([]);
    // Already normalised in git: the attributes make no committed file differ from its checkout.
    const status = async () => (await git(clone, "status", "--porcelain", "--untracked-files=no")).stdout;
    expect(await status()).toBe("");
    // What the sync workflow does: generate, then ask git what changed. (Without the attributes,
    // git would list every generated file as modified: checked out CRLF, written LF.)
    const run = await runScript("generate.ts", ["--root", clone]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("API changes");
    expect(await status()).toBe("");
  });
});
