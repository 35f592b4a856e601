import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../../scripts/build/pipeline.ts";
import { formatChangeSummary } from "../../scripts/gate/report-format.ts";
import { applyRelease } from "../../scripts/release/apply.ts";
import { CHANGELOG_HEAD, prependEntry } from "../../scripts/release/changelog.ts";
import { lastReleaseTag } from "../../scripts/release/git.ts";
import { withVersion } from "../../scripts/release/package-version.ts";
import { planRelease, type ReleasePlan } from "../../scripts/release/plan.ts";
import { listOperations, operationLabel } from "../../scripts/shared/openapi.ts";
import { copyFixtureProject, edit, FIXTURE, REPO, runScript, type TempProject } from "./helpers.ts";

const DATE = "2026-01-02";
const LIST = FIXTURE.listSecrets.path;

const git = (root: string, ...args: string[]) =>
  promisify(execFile)(
    "git",
    [
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.invalid",
      "-c",
      "commit.gpgSign=false",
      "-c",
      "tag.gpgSign=false",
      ...args,
    ],
    { cwd: root },
  );

/** The fixture project in a git repository of its own, committed, with a package.json and lockfile at 0.1.0. */
async function releaseRepo(tag?: string): Promise<TempProject> {
  const project = await copyFixtureProject();
  const file = (name: string) => path.join(project.root, name);
  await writeFile(
    file("package.json"),
    `${JSON.stringify({ name: "fixture", version: "0.1.0", type: "module" }, null, 2)}\n`,
  );
  const lock = {
    name: "fixture",
    version: "0.1.0",
    lockfileVersion: 3,
    packages: { "": { name: "fixture", version: "0.1.0" } },
  };
  await writeFile(file("package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  await writeFile(file("CHANGELOG.md"), await readFile(path.join(REPO, "CHANGELOG.md"), "utf8"));
  await git(project.root, "init", "-q", "-b", "main");
  await git(project.root, "add", "-A");
  await git(project.root, "commit", "-qm", "base");
  if (tag) await git(project.root, "tag", tag);
  return project;
}

/** Back to the release tag, working tree included (a case's edits and commits are gone). */
const resetTo = async (repo: TempProject, tag: string) => {
  await git(repo.root, "reset", "-q", "--hard", tag);
  await git(repo.root, "clean", "-qfd");
};

// The API changes a docs update brings, one per rating.
const describeEdit = (repo: TempProject) =>
  edit(path.join(repo.fragmentsDir, FIXTURE.listSecrets.file), (t) =>
    t.replace("optional nach Typ gefiltert", "wahlweise nach Typ gefiltert"),
  );
const addOptionalParameter = (repo: TempProject) =>
  writeFile(
    path.join(repo.overlaysDir, "30-name-filter.yaml"),
    [
      "overlay: 1.0.0",
      "info: { title: Namensfilter, version: 1.0.0 }",
      "actions:",
      `  - target: $.paths['${LIST}'].get.parameters`,
      "    description: Test.",
      "    update:",
      "      - { name: name, in: query, required: false, schema: { type: string } }",
      "",
    ].join("\n"),
  );
const removeOperation = (repo: TempProject) => rm(path.join(repo.fragmentsDir, FIXTURE.deleteSecret.file));

const released = (plan: ReleasePlan) => {
  if (plan.kind !== "release") throw new Error(`expected a release, got ${JSON.stringify(plan)}`);
  return plan;
};

describe("release:plan bumps the last release by the highest rating since it", () => {
  let repo: TempProject;
  beforeAll(async () => {
    repo = await releaseRepo("v0.1.0");
  });
  beforeEach(() => resetTo(repo, "v0.1.0"));
  afterAll(() => repo.cleanup());

  it.each<[string, string, (repo: TempProject) => Promise<void>, string]>([
    ["a description edit (patch)", "0.1.1", describeEdit, "PATCH, 1 documentation change"],
    ["an optional parameter added by an overlay (minor)", "0.2.0", addOptionalParameter, "MINOR, 1 compatible change"],
    // The fragment also held the one schema no other operation uses (ProblemDetail).
    ["a removed operation (major)", "1.0.0", removeOperation, "MAJOR, 1 operation removed, 1 component removed"],
  ])("%s gives %s", async (_, version, change, summary) => {
    await change(repo);
    const plan = released(await planRelease(repo, { date: DATE }));
    expect(plan).toMatchObject({
      last: { tag: "v0.1.0", version: "0.1.0" },
      current: "0.1.0",
      version,
      rated: version,
    });
    expect(formatChangeSummary(plan.changes.report)).toBe(summary);
    expect(plan.entry.split("\n").slice(0, 3)).toEqual([
      `## ${version} — ${DATE}`,
      "",
      `### API changes: ${summary.split(",")[0]} for users of the typed client`,
    ]);
  });

  it("rates the mixed changes of several commits by the most severe", async () => {
    await describeEdit(repo);
    await git(repo.root, "commit", "-qam", "prose");
    await addOptionalParameter(repo);
    const plan = released(await planRelease(repo, { date: DATE }));
    expect(plan.version).toBe("0.2.0");
    expect(plan.changes.report.counts).toEqual({ major: 0, minor: 1, patch: 1 });
  });

  it("keeps package.json's version when it was raised by hand beyond the rating", async () => {
    await edit(path.join(repo.root, "package.json"), (t) => t.replace('"0.1.0"', '"0.3.0"'));
    await describeEdit(repo);
    const plan = released(await planRelease(repo, { date: DATE }));
    expect(plan).toMatchObject({ current: "0.3.0", rated: "0.1.1", version: "0.3.0" });
  });

  it("finds nothing to release when the API is as it was at the tag", async () => {
    expect(await planRelease(repo, { date: DATE })).toEqual({
      kind: "nothing",
      last: { tag: "v0.1.0", version: "0.1.0" },
    });
  });

  it("prints the next version and the entry (the CLI)", async () => {
    await addOptionalParameter(repo);
    const run = await runScript("release-plan.ts", ["--root", repo.root, "--date", DATE]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        "release:plan: v0.1.0 → 0.2.0: MINOR, 1 compatible change",
        "",
        "The entry `npm run release:apply` would add to CHANGELOG.md:",
        "",
        `## 0.2.0 — ${DATE}`,
        "",
        "### API changes: MINOR for users of the typed client",
        "",
        "0 major, 1 minor, 0 patch (v0.1.0 → v0.2.0).",
        "",
        "#### Minor: new things, existing code keeps working (1)",
        "",
        "| change | subject | where | what |",
        "| --- | --- | --- | --- |",
        `| added | \`GET ${LIST}\` | \`parameters/4\` | added |`,
        "",
        "",
      ].join("\n"),
    );
  });
});

describe("release:plan refuses a version whose tag exists on a branch HEAD does not contain", () => {
  let repo: TempProject;
  beforeAll(async () => {
    // v0.1.1 released from a hotfix branch that was never merged: v0.1.0 is main's last release.
    repo = await releaseRepo("v0.1.0");
    await git(repo.root, "checkout", "-q", "-b", "hotfix");
    await git(repo.root, "commit", "-q", "--allow-empty", "-m", "hotfix");
    await git(repo.root, "tag", "v0.1.1");
    await git(repo.root, "checkout", "-q", "main");
  });
  beforeEach(() => resetTo(repo, "v0.1.0"));
  afterAll(() => repo.cleanup());

  it("fails on a patch that would be v0.1.1, naming the tag and what to do", async () => {
    await describeEdit(repo);
    await expect(planRelease(repo, { date: DATE })).rejects.toMatchObject({
      name: "PipelineError",
      message:
        "the next version would be 0.1.1, but the tag v0.1.1 exists already on a branch HEAD does not contain (the last release in HEAD's history is v0.1.0)",
      locations: [{ file: "package.json", pointer: "/version" }],
      hint: expect.stringMatching(
        /^Merge the branch that holds v0\.1\.1 .*or raise package\.json's version by hand past it/,
      ),
    });
  });

  it("plans the version package.json was raised to past the tag", async () => {
    await edit(path.join(repo.root, "package.json"), (t) => t.replace('"0.1.0"', '"0.1.2"'));
    await describeEdit(repo);
    expect(released(await planRelease(repo, { date: DATE }))).toMatchObject({ rated: "0.1.1", version: "0.1.2" });
  });
});

describe("the first release, when its tag exists on another branch", () => {
  it("is refused, naming the tag", async () => {
    const repo = await releaseRepo();
    try {
      await git(repo.root, "checkout", "-q", "-b", "elsewhere");
      await git(repo.root, "commit", "-q", "--allow-empty", "-m", "elsewhere");
      await git(repo.root, "tag", "v0.1.0");
      await git(repo.root, "checkout", "-q", "main");
      await expect(planRelease(repo, { date: DATE })).rejects.toMatchObject({
        message: expect.stringContaining(
          "the tag v0.1.0 exists already on a branch HEAD does not contain (there is no release tag in HEAD's history)",
        ),
      });
    } finally {
      await repo.cleanup();
    }
  });
});

describe("the first release", () => {
  let repo: TempProject;
  beforeAll(async () => {
    repo = await releaseRepo();
  });
  afterAll(() => repo.cleanup());

  it("is package.json's version, and its entry lists every operation and component as added", async () => {
    const plan = released(await planRelease(repo, { date: DATE }));
    expect(plan).toMatchObject({ last: undefined, current: "0.1.0", version: "0.1.0" });
    const bundle = parse(await readFile(repo.bundleFile, "utf8")) as { components: Record<string, object> };
    const operations = listOperations(bundle).map((op) => operationLabel(op));
    const components = Object.entries(bundle.components).flatMap(([section, entries]) =>
      Object.keys(entries).map((name) => `components/${section}/${name}`),
    );
    expect(operations).toHaveLength(5);
    expect(plan.changes.report.changes.map((c) => [c.impact, c.kind, c.subject, c.where]).sort()).toEqual(
      [...operations, ...components].map((subject) => ["minor", "added", subject, ""]).sort(),
    );
    for (const op of operations) expect(plan.entry).toContain(`| added | \`${op}\` |  |`);
    expect(plan.entry.split("\n")[0]).toBe(`## 0.1.0 — ${DATE}`);
  });
});

describe("release:apply writes what release:plan prints", () => {
  let repo: TempProject;
  const read = (name: string) => readFile(path.join(repo.root, name), "utf8");
  const files = async () => ({
    pkg: await read("package.json"),
    lock: await read("package-lock.json"),
    changelog: await read("CHANGELOG.md"),
  });
  beforeAll(async () => {
    repo = await releaseRepo("v0.1.0");
  });
  beforeEach(() => resetTo(repo, "v0.1.0"));
  afterAll(() => repo.cleanup());

  it("sets the version in package.json and package-lock.json and puts the entry on top of CHANGELOG.md", async () => {
    await addOptionalParameter(repo);
    await generate(repo);
    await git(repo.root, "add", "-A");
    await git(repo.root, "commit", "-qm", "docs sync");
    const before = await files();
    const plan = released(await planRelease(repo, { date: DATE }));

    const { plan: applied, written } = await applyRelease(repo, { date: DATE });
    expect(applied).toEqual(plan);
    expect(written).toEqual(["CHANGELOG.md", "package.json", "package-lock.json"]);
    expect(await files()).toEqual({
      pkg: before.pkg.replace('"version": "0.1.0"', '"version": "0.2.0"'),
      lock: before.lock.replaceAll('"version": "0.1.0"', '"version": "0.2.0"'),
      changelog: `${before.changelog.trimEnd()}\n\n${plan.entry}`,
    });
    // A second run finds its own entry: it would otherwise add it twice.
    await expect(applyRelease(repo, { date: DATE })).rejects.toMatchObject({
      name: "PipelineError",
      message: expect.stringContaining("CHANGELOG.md has an entry for 0.2.0 already"),
    });
  });

  it("refuses while spec/ has uncommitted changes, and writes nothing", async () => {
    await addOptionalParameter(repo);
    const before = await files();
    await expect(applyRelease(repo, { date: DATE })).rejects.toMatchObject({
      name: "PipelineError",
      message: "spec/ and generated/ have uncommitted changes (1 file)",
      locations: [{ file: "spec/overlays/30-name-filter.yaml" }],
      hint: expect.stringContaining("Commit them"),
    });
    expect(await files()).toEqual(before);
  });

  it("refuses when generated/ does not match the committed spec/", async () => {
    await addOptionalParameter(repo);
    await git(repo.root, "add", "-A");
    await git(repo.root, "commit", "-qm", "spec only");
    await expect(applyRelease(repo, { date: DATE })).rejects.toMatchObject({
      message: expect.stringContaining("generated/ does not match spec/"),
      hint: expect.stringContaining("npm run generate"),
    });
  });
});

describe("release.yml publishes a pre-release under the dist-tag next", () => {
  interface Step {
    id?: string;
    run?: string;
    env?: Record<string, string>;
  }
  const steps = async () =>
    (
      parse(await readFile(path.join(REPO, ".github", "workflows", "release.yml"), "utf8")) as {
        jobs: { publish: { steps: Step[] } };
      }
    ).jobs.publish.steps;

  it.each([
    ["1.0.0-rc.1", "next"],
    ["0.2.0-beta.0", "next"],
    ["1.0.0", "latest"],
  ])("version %s: --tag %s", async (version, tag) => {
    const step = (await steps()).find((s) => s.id === "dist-tag");
    const dir = await mkdtemp(path.join(tmpdir(), "devin-dist-tag-"));
    try {
      await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "x", version }));
      await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
      const output = path.join(dir, "github-output");
      await promisify(execFile)("bash", ["-euo", "pipefail", "-c", step?.run ?? "exit 1"], {
        cwd: dir,
        env: { ...process.env, GITHUB_OUTPUT: output },
      });
      expect(await readFile(output, "utf8")).toBe(`tag=${tag}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("passes the step's dist-tag to npm publish", async () => {
    const publish = (await steps()).find((s) => s.run?.startsWith("npm publish"));
    expect(publish?.run).toBe('npm publish --provenance --access public --tag "$DIST_TAG"');
    // An Actions expression, not a JS template.
    expect(publish?.env?.DIST_TAG).toBe(["$", "{{ steps.dist-tag.outputs.tag }}"].join(""));
  });
});

describe("release helpers", () => {
  it("takes the highest v<semver> tag reachable from HEAD as the last release", async () => {
    const repo = await copyFixtureProject();
    try {
      const commit = (message: string) => git(repo.root, "commit", "-q", "--allow-empty", "-m", message);
      await git(repo.root, "init", "-q", "-b", "main");
      await commit("one");
      await git(repo.root, "tag", "v0.9.0");
      await git(repo.root, "checkout", "-q", "-b", "side");
      await commit("side");
      await git(repo.root, "tag", "v5.0.0"); // not in main's history
      await git(repo.root, "checkout", "-q", "main");
      await commit("two");
      for (const tag of ["v0.10.0", "vnext", "v1.2", "release-9.0.0"]) await git(repo.root, "tag", tag);
      expect(await lastReleaseTag(repo.root)).toEqual({ tag: "v0.10.0", version: "0.10.0" });
    } finally {
      await repo.cleanup();
    }
  });

  it("puts a new entry above the newest one, below the head", () => {
    const one = prependEntry(undefined, "## 0.1.0 — 2026-01-01\n\nfirst\n");
    expect(one).toBe(`${CHANGELOG_HEAD.trimEnd()}\n\n## 0.1.0 — 2026-01-01\n\nfirst\n`);
    expect(prependEntry(one, "## 0.2.0 — 2026-02-01\n\nsecond\n")).toBe(
      `${CHANGELOG_HEAD.trimEnd()}\n\n## 0.2.0 — 2026-02-01\n\nsecond\n\n## 0.1.0 — 2026-01-01\n\nfirst\n`,
    );
  });

  it("changes only the version lines of package.json and package-lock.json, keeping their indentation", () => {
    const lock =
      '{\n\t"name": "x",\n\t"version": "0.1.0",\n\t"packages": {\n\t\t"": {\n\t\t\t"version": "0.1.0"\n\t\t}\n\t}\n}\n';
    expect(withVersion(lock, "1.0.0")).toBe(lock.replaceAll("0.1.0", "1.0.0"));
  });

  it("starts the committed CHANGELOG.md with the head release:apply writes below", async () => {
    expect((await readFile(path.join(REPO, "CHANGELOG.md"), "utf8")).startsWith(CHANGELOG_HEAD)).toBe(true);
  });
});
