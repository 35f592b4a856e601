import { readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { parse, stringify } from "yaml";
import { build } from "../build/pipeline.ts";
import { type BundleChanges, bundleAtRevision } from "../gate/bundle-changes.ts";
import { compareBundles } from "../gate/change-report.ts";
import { isRecord } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import type { ProjectLayout } from "../shared/project.ts";
import { changelogEntry } from "./changelog.ts";
import { lastReleaseTag, type ReleaseTag, requireCommit, tagExists } from "./git.ts";
import { readVersion } from "./package-version.ts";

export interface PlanOptions {
  /**
   * The entry's date, `YYYY-MM-DD`.
   * @default today (UTC)
   */
  date?: string;
  /**
   * The bundle spec/ builds now, when the caller has built it already (release:apply ran the
   * drift gate).
   * @default built from spec/
   */
  bundleText?: string;
}

export type ReleasePlan =
  | {
      kind: "nothing";
      /** The last release: no API change since. */
      last: ReleaseTag;
    }
  | {
      kind: "release";
      /** The last release; undefined for the first. */
      last: ReleaseTag | undefined;
      /** package.json's version now. */
      current: string;
      /** The version to release. */
      version: string;
      /**
       * The last release's version bumped by the rating alone (undefined for the first release);
       * `version` differs when package.json says more.
       */
      rated: string | undefined;
      /** The API changes since the last release (for the first, every operation and component, added). */
      changes: BundleChanges;
      /** What release:apply puts on top of CHANGELOG.md. */
      entry: string;
    };

/**
 * `npm run release:plan`: the next version and its CHANGELOG.md entry, from the change report
 * between the bundle committed at the last release tag and the one spec/ builds now. The next
 * version is the tag's, bumped by the report's rating (major, minor or patch: `semver.inc`);
 * when package.json already says more (raised by hand, for a change of the client in src/, which
 * the report does not rate), package.json's. With no release tag yet, the first release is
 * package.json's version, and its entry lists everything the API offers as added.
 */
export async function planRelease(layout: ProjectLayout, options: PlanOptions = {}): Promise<ReleasePlan> {
  await requireCommit(layout.root);
  const packageJson = await readFile(path.join(layout.root, "package.json"), "utf8").catch(() => {
    throw new PipelineError(
      "no package.json",
      { file: "package.json" },
      "Run it at the package's root (or pass --root).",
    );
  });
  const current = readVersion(packageJson);
  const last = await lastReleaseTag(layout.root);
  const nextText = options.bundleText ?? (await build(layout)).bundleText;
  const date = options.date ?? new Date().toISOString().slice(0, 10);

  if (last === undefined) {
    const report = await compareBundles(emptied(nextText), nextText);
    const changes = { base: "no earlier release", revision: `v${current}`, report };
    await refuseTaken(layout.root, current, last);
    const entry = changelogEntry(current, date, changes);
    return { kind: "release", last, current, version: current, rated: undefined, changes, entry };
  }
  const base = await bundleAtRevision(layout, last.tag);
  // Byte-equal bundles: nothing changed, and redocly diff need not run.
  const report = base.text === nextText ? undefined : await compareBundles(base.text, nextText);
  if (report === undefined || report.bump === "none") return { kind: "nothing", last };
  const rated = semver.inc(last.version, report.bump);
  if (rated === null) throw new Error(`not a semantic version: ${last.version}`); // lastReleaseTag checked it
  // package.json may be ahead already: raised by hand for a change of the client (not rated).
  const version = semver.valid(current) !== null && semver.gt(current, rated) ? current : rated;
  await refuseTaken(layout.root, version, last);
  const changes = { base: last.tag, revision: `v${version}`, report };
  return { kind: "release", last, current, version, rated, changes, entry: changelogEntry(version, date, changes) };
}

/**
 * Fails when `v<version>` is a tag already, on a branch HEAD does not contain (a hotfix released
 * from a branch that was never merged): tagging it again would fail, and publishing the version
 * again is refused by npm.
 */
async function refuseTaken(root: string, version: string, last: ReleaseTag | undefined): Promise<void> {
  const tag = `v${version}`;
  if (!(await tagExists(root, tag))) return;
  const since =
    last === undefined
      ? "there is no release tag in HEAD's history"
      : `the last release in HEAD's history is ${last.tag}`;
  throw new PipelineError(
    `the next version would be ${version}, but the tag ${tag} exists already on a branch HEAD does not contain (${since})`,
    { file: "package.json", pointer: "/version" },
    `Merge the branch that holds ${tag} (\`git branch -a --contains ${tag}\`) so that it counts as the last release, ` +
      `or raise package.json's version by hand past it (\`npm version <version> --no-git-tag-version\`), then plan again.`,
  );
}

/**
 * What the first release is compared with: the bundle's own header (openapi, info, servers)
 * with no paths and every components section empty, so that the report lists each operation
 * and component as added, and nothing else.
 */
function emptied(bundleText: string): string {
  const doc = parse(bundleText) as Record<string, unknown>;
  const components = isRecord(doc.components) ? doc.components : {};
  return stringify({
    ...doc,
    paths: {},
    components: Object.fromEntries(Object.keys(components).map((section) => [section, {}])),
  });
}
