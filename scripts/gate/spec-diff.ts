import { build } from "../build/pipeline.ts";
import type { ProjectLayout } from "../shared/project.ts";
import { type BundleChanges, bundleAtRevision, rateChanges } from "./bundle-changes.ts";

/** `npm run spec:diff`: rates what changed between the bundle committed at `revision` and the one spec/ builds now. */
export async function specDiff(layout: ProjectLayout, revision: string): Promise<BundleChanges> {
  const base = await bundleAtRevision(layout, revision);
  return rateChanges(base, (await build(layout)).bundleText);
}
