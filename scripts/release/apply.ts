import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { check } from "../gate/drift.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout, specDirOf } from "../shared/project.ts";
import { CHANGELOG_FILE, hasEntry, prependEntry } from "./changelog.ts";
import { requireCommit, uncommitted } from "./git.ts";
import { withVersion } from "./package-version.ts";
import { type PlanOptions, planRelease, type ReleasePlan } from "./plan.ts";

/**
 * `npm run release:apply`: the plan of release:plan, written: package.json's and
 * package-lock.json's version, and the entry on top of CHANGELOG.md. It refuses when spec/ or
 * generated/ has uncommitted changes, or when generated/ does not match spec/: a release
 * describes what is committed, and its tag must point at a commit whose generated/ is what
 * the report rated.
 */
export async function applyRelease(
  layout: ProjectLayout,
  options: Pick<PlanOptions, "date"> = {},
): Promise<{ plan: ReleasePlan; written: string[] }> {
  await requireCommit(layout.root);
  const guarded = [specDirOf(layout), layout.generatedDir].map((dir) => displayPath(layout, dir));
  const dirty = await uncommitted(layout.root, guarded);
  if (dirty.length > 0) {
    throw new PipelineError(
      `${guarded.map((d) => `${d}/`).join(" and ")} have uncommitted changes (${dirty.length} file${dirty.length === 1 ? "" : "s"})`,
      dirty.map((file) => ({ file })),
      "Commit them (or discard them) first: a release describes what is committed. Then run `npm run release:apply` again.",
    );
  }
  const { result, drift } = await check(layout);
  if (drift.length > 0) {
    throw new PipelineError(
      `${displayPath(layout, layout.generatedDir)}/ does not match spec/ (${drift.length} file${drift.length === 1 ? "" : "s"})`,
      drift.map((d) => ({ file: d.file })),
      "Run `npm run generate`, commit spec/ and generated/ together, then run `npm run release:apply` again.",
    );
  }
  const plan = await planRelease(layout, { ...options, bundleText: result.bundleText });
  if (plan.kind === "nothing") return { plan, written: [] };

  const changelogFile = path.join(layout.root, CHANGELOG_FILE);
  const changelog = await readFile(changelogFile, "utf8").catch(() => undefined);
  if (changelog !== undefined && hasEntry(changelog, plan.version)) {
    throw new PipelineError(
      `${CHANGELOG_FILE} has an entry for ${plan.version} already: release:apply ran, and v${plan.version} is not tagged yet`,
      { file: CHANGELOG_FILE },
      `Commit package.json, package-lock.json and ${CHANGELOG_FILE}, then \`git tag v${plan.version}\`; or delete the entry to write it again.`,
    );
  }
  // Everything is computed before the first write, so a failure leaves the files as they were.
  const writes = new Map<string, string>([[changelogFile, prependEntry(changelog, plan.entry)]]);
  for (const name of ["package.json", "package-lock.json"]) {
    const file = path.join(layout.root, name);
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) writes.set(file, withVersion(text, plan.version));
  }
  for (const [file, text] of writes) await writeFile(file, text);
  return { plan, written: [...writes.keys()].map((file) => displayPath(layout, file)) };
}
