import { readFile } from "node:fs/promises";
import { toLf } from "../shared/line-endings.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout } from "../shared/project.ts";
import { type ChangeReport, compareBundles } from "./change-report.ts";
import { readAtRevision } from "./git-revision.ts";

/** A bundle to compare with, and how the report's heading names it. */
export interface BaseBundle {
  label: string;
  text: string;
}

export interface BundleChanges {
  /** What the new bundle was compared with, for the report's heading. */
  base: string;
  revision: string;
  report: ChangeReport;
}

/** The one way a change set is built: `base` against the bundle spec/ builds now. */
export async function rateChanges(base: BaseBundle, nextText: string): Promise<BundleChanges> {
  return { base: base.label, revision: "spec/", report: await compareBundles(base.text, nextText) };
}

/** As `rateChanges`, but undefined when there is nothing to compare with or nothing changed. */
export async function rateChangesIfAny(
  base: BaseBundle | undefined,
  nextText: string,
): Promise<BundleChanges | undefined> {
  return base === undefined || base.text === nextText ? undefined : rateChanges(base, nextText);
}

/** For generate: the bundle at git HEAD; without a repository, the one generated/ holds now. */
export async function committedBundle(layout: ProjectLayout): Promise<BaseBundle | undefined> {
  const show = displayPath(layout, layout.bundleFile);
  const committed = await readAtRevision(layout.bundleFile, "HEAD");
  if (committed !== undefined) return { label: `${show} at HEAD`, text: committed };
  const previous = await readFile(layout.bundleFile, "utf8").catch(() => undefined);
  return previous === undefined ? undefined : { label: `${show} before`, text: toLf(previous) };
}

/** For spec:diff: the bundle committed at `revision`; an error when there is none. */
export async function bundleAtRevision(layout: ProjectLayout, revision: string): Promise<BaseBundle> {
  const show = displayPath(layout, layout.bundleFile);
  const text = await readAtRevision(layout.bundleFile, revision);
  if (text === undefined) {
    throw new PipelineError(
      `no ${show} at git revision \`${revision}\``,
      { file: show },
      "Name a commit, branch or tag of this repository that has generated/.",
    );
  }
  return { label: `${show} at ${revision}`, text };
}
