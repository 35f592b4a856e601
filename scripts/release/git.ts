import { execFile } from "node:child_process";
import { promisify } from "node:util";
import semver from "semver";
import { PipelineError } from "../shared/pipeline-error.ts";

/** Runs git in the project's folder; rejects with git's own stderr. */
export async function git(root: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("git", args, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Fails with what to do unless `root` is in a git repository with at least one commit. */
export async function requireCommit(root: string): Promise<void> {
  const inside = await git(root, "rev-parse", "--is-inside-work-tree").catch(() => "");
  if (inside.trim() !== "true") {
    throw new PipelineError(
      "releases are cut from git: the project is not in a git repository",
      { file: "." },
      "Run it in a clone of the project (releases are found by their `v<version>` tags).",
    );
  }
  await git(root, "rev-parse", "--verify", "--quiet", "HEAD").catch(() => {
    throw new PipelineError(
      "releases are cut from git: the repository has no commit yet",
      { file: "." },
      "Commit spec/ and generated/ first.",
    );
  });
}

/** A release tag: `v` and a semantic version, as `npm version` names them. */
export interface ReleaseTag {
  tag: string;
  version: string;
}

/**
 * The last release: the highest `v<semver>` tag reachable from HEAD (`git tag --merged HEAD`),
 * by semver order, not by date or name (v0.10.0 is after v0.9.0). Tags of branches that HEAD
 * does not contain are not its history; other tags (`docs-sync`, `vnext`) are not releases.
 */
export async function lastReleaseTag(root: string): Promise<ReleaseTag | undefined> {
  const tags = (await git(root, "tag", "--merged", "HEAD", "--list", "v*"))
    .split("\n")
    .map((t) => t.trim())
    .filter((t) => t.startsWith("v") && semver.valid(t.slice(1)) === t.slice(1));
  const [last] = tags.sort((a, b) => semver.rcompare(a.slice(1), b.slice(1)));
  return last === undefined ? undefined : { tag: last, version: last.slice(1) };
}

/** Whether the tag exists anywhere in the repository, reachable from HEAD or not (`git tag --list`). */
export async function tagExists(root: string, tag: string): Promise<boolean> {
  return (await git(root, "tag", "--list", tag)).split("\n").some((t) => t.trim() === tag);
}

/** Files under `paths` (relative to `root`) that differ from HEAD, untracked ones included. */
export async function uncommitted(root: string, paths: readonly string[]): Promise<string[]> {
  const status = await git(root, "status", "--porcelain", "--untracked-files=all", "--", ...paths);
  return status
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3));
}
