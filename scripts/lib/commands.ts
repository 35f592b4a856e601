import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ChangeReport, compareBundles } from "./change-report.ts";
import { type Drift, findDrift } from "./drift.ts";
import { readGeneratedDir, replaceGeneratedDir } from "./generated-dir.ts";
import { readAtRevision } from "./git-file.ts";
import { BUNDLE_FILE, type BuildOptions, buildOutputs, loadInputs, type PipelineResult } from "./pipeline.ts";
import { PipelineError } from "./pipeline-error.ts";
import { displayPath, type ProjectLayout } from "./project.ts";

export interface BundleChanges {
  /** What the new bundle was compared with, for the report's heading. */
  base: string;
  revision: string;
  report: ChangeReport;
}

/**
 * Builds everything in memory, then swaps generated/ in one step: a failure writes nothing.
 * When the bundle changed, `changes` rates what changed against the committed bundle
 * (git HEAD; without a repository, the bundle generated/ held before this run).
 */
export async function generate(
  layout: ProjectLayout,
  options: BuildOptions = {},
): Promise<PipelineResult & { changes?: BundleChanges }> {
  const result = await buildOutputs(await loadInputs(layout), options);
  const bundlePath = path.join(layout.generatedDir, BUNDLE_FILE);
  const show = displayPath(layout, bundlePath);
  const committed = await readAtRevision(bundlePath, "HEAD");
  const previous = committed ?? (await readFile(bundlePath, "utf8").catch(() => undefined));
  const next = result.outputs.get(BUNDLE_FILE) as string;
  const changes =
    previous !== undefined && previous !== next
      ? {
          base: committed !== undefined ? `${show} at HEAD` : `${show} before`,
          revision: "spec/",
          report: await compareBundles(previous, next),
        }
      : undefined;
  await replaceGeneratedDir(layout.generatedDir, result.outputs);
  return changes ? { ...result, changes } : result;
}

/**
 * The drift gate: what generated/ would have to change to match spec/ (empty when it matches),
 * and, when the bundle differs, what that means for users of the client.
 */
export async function check(
  layout: ProjectLayout,
): Promise<{ result: PipelineResult; drift: Drift[]; changes?: BundleChanges }> {
  const result = await buildOutputs(await loadInputs(layout));
  const actual = await readGeneratedDir(layout.generatedDir);
  const drift = findDrift(result.outputs, actual, displayPath(layout, layout.generatedDir));
  const committed = actual.get(BUNDLE_FILE);
  const next = result.outputs.get(BUNDLE_FILE) as string;
  if (committed === undefined || committed === next) return { result, drift };
  const base = displayPath(layout, path.join(layout.generatedDir, BUNDLE_FILE));
  return { result, drift, changes: { base, revision: "spec/", report: await compareBundles(committed, next) } };
}

/** Rates what changed between the bundle committed at `revision` and the one spec/ builds now. */
export async function specDiff(layout: ProjectLayout, revision: string): Promise<BundleChanges> {
  const bundlePath = path.join(layout.generatedDir, BUNDLE_FILE);
  const show = displayPath(layout, bundlePath);
  const base = await readAtRevision(bundlePath, revision);
  if (base === undefined) {
    throw new PipelineError(
      `no ${show} at git revision \`${revision}\``,
      { file: show },
      "Name a commit, branch or tag of this repository that has generated/.",
    );
  }
  const result = await buildOutputs(await loadInputs(layout));
  return {
    base: `${show} at ${revision}`,
    revision: "spec/",
    report: await compareBundles(base, result.outputs.get(BUNDLE_FILE) as string),
  };
}
