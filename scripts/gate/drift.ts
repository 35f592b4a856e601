import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { build, type PipelineResult } from "../build/pipeline.ts";
import { toLf } from "../shared/line-endings.ts";
import { BUNDLE_FILE, displayPath, type ProjectLayout } from "../shared/project.ts";
import { byCodePoint } from "../shared/sort.ts";
import { type BundleChanges, rateChangesIfAny } from "./bundle-changes.ts";

export type DriftKind = "missing" | "differs" | "stray";

export interface Drift {
  kind: DriftKind;
  file: string;
  /** A short unified diff (committed → regenerated) for `differs`. */
  diff?: string;
}

const MAX_DIFF_LINES = 40;

/**
 * `npm run check`, the drift gate: what generated/ would have to change to match spec/ (empty
 * when it matches), and, when the bundle differs, what that means for users of the client.
 */
export async function check(
  layout: ProjectLayout,
): Promise<{ result: PipelineResult; drift: Drift[]; changes?: BundleChanges }> {
  const result = await build(layout);
  const actual = await readGeneratedDir(layout.generatedDir);
  const drift = findDrift(result.files, actual, displayPath(layout, layout.generatedDir));
  const committed = actual.get(BUNDLE_FILE);
  const base = committed === undefined ? undefined : { label: displayPath(layout, layout.bundleFile), text: committed };
  const changes = await rateChangesIfAny(base, result.bundleText);
  return changes ? { result, drift, changes } : { result, drift };
}

/**
 * Every entry of generated/ by name; a sub-folder maps to `undefined` (it should not be there).
 * CRLF line endings are read as LF (`toLf`): a checkout made with git's `core.autocrlf=true`
 * holds what git holds, so it is not drift. Any other difference, whitespace included, is.
 */
export async function readGeneratedDir(dir: string): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  for (const name of names.sort(byCodePoint)) {
    const file = path.join(dir, name);
    out.set(name, (await stat(file)).isFile() ? toLf(await readFile(file, "utf8")) : undefined);
  }
  return out;
}

/** Compares what generated/ holds with what the pipeline produces now. */
export function findDrift(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string | undefined>,
  dirName: string,
): Drift[] {
  const drift: Drift[] = [];
  for (const [name, want] of expected) {
    const file = `${dirName}/${name}`;
    const have = actual.get(name);
    if (!actual.has(name) || have === undefined) drift.push({ kind: "missing", file });
    else if (have !== want) drift.push({ kind: "differs", file, diff: shortDiff(file, have, want) });
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) drift.push({ kind: "stray", file: `${dirName}/${name}` });
  }
  return drift;
}

function shortDiff(file: string, committed: string, regenerated: string): string {
  const patch = createTwoFilesPatch(`${file} (committed)`, `${file} (from spec/)`, committed, regenerated, "", "", {
    context: 2,
  });
  const lines = patch
    .replace(/\n$/, "") // the patch ends with a newline: no line after it
    .split("\n")
    .slice(1) // drop the "====" rule
    .map((l) => (l.startsWith("---") || l.startsWith("+++") ? l.trimEnd() : l));
  const cut = lines.length > MAX_DIFF_LINES;
  return [
    ...lines.slice(0, MAX_DIFF_LINES),
    ...(cut ? [`... ${lines.length - MAX_DIFF_LINES} more diff lines`] : []),
  ].join("\n");
}

export function formatDrift(drift: readonly Drift[]): string {
  const describe: Record<DriftKind, string> = {
    missing: "missing (the pipeline writes it, generated/ lacks it)",
    differs: "differs from what spec/ generates (hand-edited, or spec/ changed without regenerating)",
    stray: "stray (not written by the pipeline; generated/ holds only pipeline output)",
  };
  return drift.map((d) => `${d.file}: ${describe[d.kind]}${d.diff ? `\n${indent(d.diff)}` : ""}`).join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
