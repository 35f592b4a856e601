/**
 * release:plan and release:apply called in process: what the CLIs print (their headline and
 * entry come from scripts/release/cli-output.ts), what they write, and each refusal with its
 * advice. release.test.ts runs the CLI once as a process; a mutation run only sees code that
 * runs in the test's own process, so the behaviour is pinned here.
 *
 * No pipeline run: the release commit holds a bundle with one description edited, and HEAD
 * holds the fixture's own generated/, which matches spec/. So HEAD is one documentation change
 * (a patch) past v0.1.0 and release:apply's drift gate passes, without `generate`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyRelease } from "../../scripts/release/apply.ts";
import { CHANGELOG_HEAD, prependEntry } from "../../scripts/release/changelog.ts";
import { formatApplied, formatHeadline, formatNothing, parseDate } from "../../scripts/release/cli-output.ts";
import { lastReleaseTag, requireCommit } from "../../scripts/release/git.ts";
import { readVersion, withVersion } from "../../scripts/release/package-version.ts";
import { planRelease, type ReleasePlan } from "../../scripts/release/plan.ts";
import { copyFixtureProject, edit, type TempProject } from "./helpers.ts";

const DATE = "2026-01-02";
const PACKAGE_JSON = `${JSON.stringify({ name: "fixture", version: "0.1.0", type: "module" }, null, 2)}\n`;

const git = (root: string, ...args: string[]) =>
  promisify(execFile)(
    "git",
    [
      ...["-c", "user.name=t", "-c", "user.email=t@example.invalid"],
      // A developer's signing settings must not reach the fixture's commits and tags.
      ...["-c", "commit.gpgSign=false", "-c", "tag.gpgSign=false"],
      ...args,
    ],
    { cwd: root },
  );
const commitAll = async (root: string, message: string) => {
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", message);
};

/** The fixture project with a package.json at 0.1.0 (no lockfile, no CHANGELOG.md), in a new git repository. */
async function fixtureRepo(): Promise<TempProject & { read(name: string): Promise<string> }> {
  const project = await copyFixtureProject();
  await writeFile(path.join(project.root, "package.json"), PACKAGE_JSON);
  await git(project.root, "init", "-q", "-b", "main");
  return { ...project, read: (name) => readFile(path.join(project.root, name), "utf8") };
}

/** Back to `commit`, working tree included: a case's edits and commits are gone. */
const resetTo = async (root: string, commit: string) => {
  await git(root, "reset", "-q", "--hard", commit);
  await git(root, "clean", "-qfd");
};

const released = (plan: ReleasePlan) => {
  if (plan.kind !== "release") throw new Error(`expected a release, got ${JSON.stringify(plan)}`);
  return plan;
};

describe("one documentation change since v0.1.0", () => {
  let repo: Awaited<ReturnType<typeof fixtureRepo>>;
  let head: string;
  /** The bundle committed at v0.1.0, and the one spec/ builds now (the fixture's generated/). */
  let tagged: string;
  let current: string;
  const plan = async (options: { date?: string; bundleText?: string } = {}) =>
    released(await planRelease(repo, { date: DATE, bundleText: current, ...options }));

  beforeAll(async () => {
    repo = await fixtureRepo();
    current = await readFile(repo.bundleFile, "utf8");
    await edit(repo.bundleFile, (t) => t.replace("optional nach Typ gefiltert", "wahlweise nach Typ gefiltert"));
    tagged = await readFile(repo.bundleFile, "utf8");
    await commitAll(repo.root, "release 0.1.0");
    await git(repo.root, "tag", "v0.1.0");
    await writeFile(repo.bundleFile, current);
    await commitAll(repo.root, "docs sync");
    head = (await git(repo.root, "rev-parse", "HEAD")).stdout.trim();
  });
  beforeEach(() => resetTo(repo.root, head));
  afterAll(() => repo.cleanup());

  describe("release:plan", () => {
    it("prints the bump from the tag and the entry, whose report names both versions", async () => {
      const patch = await plan();
      expect(patch).toMatchObject({ last: { tag: "v0.1.0" }, current: "0.1.0", version: "0.1.1", rated: "0.1.1" });
      expect(formatHeadline(patch)).toBe("v0.1.0 → 0.1.1: PATCH, 1 documentation change");
      expect(patch.entry.split("\n").slice(0, 5)).toEqual([
        `## 0.1.1 — ${DATE}`,
        "",
        "### API changes: PATCH for users of the typed client",
        "",
        "0 major, 0 minor, 1 patch (v0.1.0 → v0.1.1).",
      ]);
    });

    it("says when package.json's version was raised by hand past the rating, and releases that", async () => {
      await edit(path.join(repo.root, "package.json"), (t) => t.replace('"0.1.0"', '"0.3.0"'));
      const raised = await plan();
      expect(formatHeadline(raised)).toBe(
        "v0.1.0 → 0.3.0 (package.json's version, raised by hand; the rating alone gives 0.1.1): PATCH, 1 documentation change",
      );
      expect(raised.entry).toContain("(v0.1.0 → v0.3.0).");
    });

    it("takes the rating when package.json's version is not a semantic version", async () => {
      await edit(path.join(repo.root, "package.json"), (t) => t.replace('"0.1.0"', '"next"'));
      expect(await plan()).toMatchObject({ current: "next", rated: "0.1.1", version: "0.1.1" });
    });

    it("dates the entry today (UTC) when no date is given", async () => {
      const before = new Date().toISOString().slice(0, 10);
      const { entry } = released(await planRelease(repo, { bundleText: current }));
      const after = new Date().toISOString().slice(0, 10);
      // Around midnight UTC the day may change during the call: either day is today.
      expect([`## 0.1.1 — ${before}`, `## 0.1.1 — ${after}`]).toContain(entry.split("\n")[0]);
    });

    it.each([
      ["the same bundle", () => tagged],
      ["a bundle that differs only in a YAML comment", () => `${tagged}# regenerated\n`],
    ])("finds nothing to release in %s, and says what to do for a change in src/", async (_, bundle) => {
      const nothing = await planRelease(repo, { date: DATE, bundleText: bundle() });
      expect(nothing).toEqual({ kind: "nothing", last: { tag: "v0.1.0", version: "0.1.0" } });
      expect(formatNothing(nothing as Extract<ReleasePlan, { kind: "nothing" }>)).toBe(
        [
          "nothing to release: no API change since v0.1.0.",
          "Changes to the client in src/ are not rated: for those, bump by hand with",
          "`npm version patch|minor|major` (it commits and tags), then push the tag.",
        ].join("\n"),
      );
    });

    it.each<[string, (root: string) => Promise<unknown>, object]>([
      [
        "package.json has no version",
        (root) => writeFile(path.join(root, "package.json"), '{ "name": "fixture" }\n'),
        {
          message: "package.json has no version",
          locations: [{ file: "package.json", pointer: "/version" }],
          hint: 'Add `"version": "0.1.0"`.',
        },
      ],
      [
        "there is no package.json",
        (root) => rm(path.join(root, "package.json")),
        {
          message: "no package.json",
          locations: [{ file: "package.json" }],
          hint: "Run it at the package's root (or pass --root).",
        },
      ],
    ])("fails when %s, saying what to do", async (_, breakIt, failure) => {
      await breakIt(repo.root);
      await expect(plan()).rejects.toMatchObject({ name: "PipelineError", ...failure });
    });
  });

  describe("release:apply", () => {
    it("writes package.json and a new CHANGELOG.md, and no lockfile when there is none", async () => {
      const { plan: applied, written } = await applyRelease(repo, { date: DATE });
      expect(written).toEqual(["CHANGELOG.md", "package.json"]);
      expect(released(applied).version).toBe("0.1.1");
      expect(await repo.read("CHANGELOG.md")).toBe(`${CHANGELOG_HEAD.trimEnd()}\n\n${released(applied).entry}`);
      expect(await repo.read("package.json")).toBe(PACKAGE_JSON.replace('"0.1.0"', '"0.1.1"'));
      await expect(repo.read("package-lock.json")).rejects.toMatchObject({ code: "ENOENT" });
      expect(formatApplied(released(applied), written)).toBe(
        [
          "wrote CHANGELOG.md, package.json: version 0.1.0 → 0.1.1, and the 0.1.1 entry on top of CHANGELOG.md",
          "",
          "Next:",
          "  git add CHANGELOG.md package.json",
          '  git commit -m "Release 0.1.1"',
          "  git tag v0.1.1",
          "  git push origin HEAD v0.1.1     # the tag starts .github/workflows/release.yml, which publishes to npm",
        ].join("\n"),
      );
    });

    it("says the version was kept when package.json has it already (raised by hand)", async () => {
      await edit(path.join(repo.root, "package.json"), (t) => t.replace('"0.1.0"', '"0.3.0"'));
      const { plan: applied, written } = await applyRelease(repo, { date: DATE });
      expect(formatApplied(released(applied), written).split("\n")[0]).toBe(
        "wrote CHANGELOG.md, package.json: version 0.3.0 (as it was), and the 0.3.0 entry on top of CHANGELOG.md",
      );
    });

    it("refuses when CHANGELOG.md has the version's entry already, naming the tag to create, and writes nothing", async () => {
      const changelog = prependEntry(undefined, "## 0.1.1 — 2025-12-31\n\nwritten by an earlier run\n");
      await writeFile(path.join(repo.root, "CHANGELOG.md"), changelog);
      await expect(applyRelease(repo, { date: DATE })).rejects.toMatchObject({
        name: "PipelineError",
        message: "CHANGELOG.md has an entry for 0.1.1 already: release:apply ran, and v0.1.1 is not tagged yet",
        locations: [{ file: "CHANGELOG.md" }],
        hint: expect.stringContaining("then `git tag v0.1.1`"),
      });
      expect(await repo.read("CHANGELOG.md")).toBe(changelog);
      expect(await repo.read("package.json")).toBe(PACKAGE_JSON);
    });

    it("refuses uncommitted files in spec/ and generated/, listing each, and writes nothing", async () => {
      await edit(path.join(repo.generatedDir, "README.md"), (t) => `${t}edited\n`);
      await writeFile(path.join(repo.overlaysDir, "40-new-overlay.yaml"), "overlay: 1.0.0\n");
      await writeFile(path.join(repo.fragmentsDir, "handle-new-page.yaml"), "paths: {}\n");
      await expect(applyRelease(repo, { date: DATE })).rejects.toMatchObject({
        name: "PipelineError",
        message: "spec/ and generated/ have uncommitted changes (3 files)",
        locations: [
          { file: "generated/README.md" },
          { file: "spec/fragments/handle-new-page.yaml" },
          { file: "spec/overlays/40-new-overlay.yaml" },
        ],
        hint: expect.stringContaining("Commit them (or discard them) first"),
      });
      expect(await repo.read("package.json")).toBe(PACKAGE_JSON);
    });

    it.each<[string, string[], string]>([
      ["1 file", ["generated/README.md"], "(1 file)"],
      ["2 files", ["generated/README.md", "generated/notes.txt"], "(2 files)"],
    ])("refuses a commit whose generated/ does not match spec/ (%s), listing each file", async (_, files, count) => {
      await edit(path.join(repo.generatedDir, "README.md"), (t) => `${t}edited by hand\n`);
      // Any file past the first is a stray one, which the pipeline does not write.
      for (const stray of files.slice(1)) await writeFile(path.join(repo.root, stray), "notes\n");
      await commitAll(repo.root, "hand edits");
      await expect(applyRelease(repo, { date: DATE })).rejects.toMatchObject({
        name: "PipelineError",
        message: `generated/ does not match spec/ ${count}`,
        locations: files.map((file) => ({ file })),
        hint: expect.stringContaining("Run `npm run generate`, commit spec/ and generated/ together"),
      });
    });
  });
});

describe("release:apply with no API change since the last tag", () => {
  let repo: Awaited<ReturnType<typeof fixtureRepo>>;
  beforeAll(async () => {
    repo = await fixtureRepo();
    await commitAll(repo.root, "release 0.1.0");
    await git(repo.root, "tag", "v0.1.0");
  });
  afterAll(() => repo.cleanup());

  it("writes nothing and returns the plan that says so", async () => {
    expect(await applyRelease(repo, { date: DATE })).toEqual({
      plan: { kind: "nothing", last: { tag: "v0.1.0", version: "0.1.0" } },
      written: [],
    });
    expect(await repo.read("package.json")).toBe(PACKAGE_JSON);
    await expect(repo.read("CHANGELOG.md")).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("release:plan with no release tag", () => {
  let repo: Awaited<ReturnType<typeof fixtureRepo>>;
  beforeAll(async () => {
    repo = await fixtureRepo();
    await commitAll(repo.root, "first");
  });
  afterAll(() => repo.cleanup());

  it("plans package.json's version as the first release, compared with no earlier release", async () => {
    const first = released(
      await planRelease(repo, { date: DATE, bundleText: await repo.read("generated/devin-api.yaml") }),
    );
    expect(formatHeadline(first)).toBe(
      "first release: 0.1.0 (package.json's version; no v<version> tag reachable from HEAD), MINOR, 5 operations added, 17 components added",
    );
    expect(first.entry.split("\n").slice(0, 5)).toEqual([
      `## 0.1.0 — ${DATE}`,
      "",
      "### API changes: MINOR for users of the typed client",
      "",
      "0 major, 22 minor, 0 patch (no earlier release → v0.1.0).",
    ]);
  });
});

describe("release helpers", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-release-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses a folder outside git, then a repository with no commit, saying what to do", async () => {
    const root = await mkdtemp(path.join(dir, "repo-"));
    await expect(requireCommit(root)).rejects.toMatchObject({
      name: "PipelineError",
      message: "releases are cut from git: the project is not in a git repository",
      locations: [{ file: "." }],
      hint: "Run it in a clone of the project (releases are found by their `v<version>` tags).",
    });
    await git(root, "init", "-q");
    await expect(requireCommit(root)).rejects.toMatchObject({
      name: "PipelineError",
      message: "releases are cut from git: the repository has no commit yet",
      locations: [{ file: "." }],
      hint: "Commit spec/ and generated/ first.",
    });
    await git(root, "commit", "-q", "--allow-empty", "-m", "one");
    await expect(requireCommit(root)).resolves.toBeUndefined();
  });

  it("takes the highest release tag by semver order, not by name", async () => {
    const root = await mkdtemp(path.join(dir, "repo-"));
    await git(root, "init", "-q");
    await git(root, "commit", "-q", "--allow-empty", "-m", "one");
    // By name, v0.10.0 sorts first and v0.9.0 last.
    for (const tag of ["v0.9.0", "v0.10.0", "v0.10.1-rc.1", "v0.10.1"]) await git(root, "tag", tag);
    expect(await lastReleaseTag(root)).toEqual({ tag: "v0.10.1", version: "0.10.1" });
  });

  it.each([
    ["a day", "2026-01-02"],
    ["a leap day", "2024-02-29"],
  ])("takes --date as %s", (_, value) => {
    expect(parseDate(value, { usage: "release:plan" })).toBe(value);
  });

  it("leaves the date to the plan when --date is not given", () => {
    expect(parseDate(undefined, { usage: "release:plan" })).toBeUndefined();
  });

  it.each([
    ["a day the month does not have", "2026-02-30"],
    ["month 13", "2026-13-01"],
    ["a one-digit month", "2026-1-02"],
    ["a two-digit year", "26-01-02"],
    ["no dashes", "20260102"],
    ["a word", "tomorrow"],
  ])("refuses --date with %s, showing the usage", (_, value) => {
    expect(() => parseDate(value, { usage: "npm run release:plan -- [--date YYYY-MM-DD]" })).toThrow(
      expect.objectContaining({
        name: "PipelineError",
        message: `command line: --date takes a day as YYYY-MM-DD, not ${JSON.stringify(value)}`,
        hint: "Usage: npm run release:plan -- [--date YYYY-MM-DD]",
      }),
    );
  });

  it.each([
    [
      "keeps four-space indentation",
      '{\n    "name": "x",\n    "version": "0.1.0"\n}\n',
      '{\n    "name": "x",\n    "version": "1.0.0"\n}\n',
    ],
    ["keeps a missing final newline", '{\n  "version": "0.1.0"\n}', '{\n  "version": "1.0.0"\n}'],
    [
      "indents a one-line file by two spaces",
      '{"name":"x","version":"0.1.0"}',
      '{\n  "name": "x",\n  "version": "1.0.0"\n}',
    ],
  ])("sets the version and %s", (_, before, after) => {
    expect(withVersion(before, "1.0.0")).toBe(after);
  });

  it("names the file that has no version, or a version that is not a string", () => {
    expect(() => readVersion('{ "version": 1 }', "packages/x/package.json")).toThrow(
      expect.objectContaining({
        message: "packages/x/package.json has no version",
        locations: [{ file: "packages/x/package.json", pointer: "/version" }],
      }),
    );
  });

  it("finds the first entry at the start of a line, not a `## ` inside the head's prose", () => {
    const head = "# Changelog\n\nEach entry starts with `## <version>`.\n";
    expect(prependEntry(`${head}\n## 0.1.0 — 2026-01-01\n\nfirst\n`, "## 0.2.0 — 2026-02-01\n\nsecond\n")).toBe(
      `${head}\n## 0.2.0 — 2026-02-01\n\nsecond\n\n## 0.1.0 — 2026-01-01\n\nfirst\n`,
    );
  });
});
