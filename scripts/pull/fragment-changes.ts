import { cp, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { replaceDir } from "../build/write.ts";
import type { ExistingFragment } from "../import/existing-fragments.ts";
import { operationKey, type PlannedFragment } from "../import/plan-fragment.ts";
import { toLf } from "../shared/line-endings.ts";
import { displayPath, type ProjectLayout } from "../shared/project.ts";
import { byCodePoint } from "../shared/sort.ts";

export type FragmentChange = "added" | "changed" | "removed" | "unchanged";

/** What a pull does to one fragment of spec/fragments/. */
export interface FragmentEntry {
  change: FragmentChange;
  /** `spec/fragments/<name>.yaml`. */
  fragment: string;
  /** `GET /v3beta1/...`; undefined for a removed file that is not a readable fragment. */
  operation: string | undefined;
  /** The page it comes from; undefined for a removed fragment (no followed page declares it). */
  url: string | undefined;
}

/** A fetched page's fragment, with the URL it was fetched from. */
export interface PulledFragment extends PlannedFragment {
  url: string;
}

/**
 * Compares the pulled fragments with spec/fragments/: after the pull it holds exactly these
 * (by file name), so every other fragment there is removed. A fragment whose only difference
 * is CRLF line endings (a checkout with git's core.autocrlf) is unchanged. Sorted by file name.
 */
export function compareFragments(
  pulled: readonly PulledFragment[],
  existing: readonly ExistingFragment[],
  layout: ProjectLayout,
): FragmentEntry[] {
  const show = (name: string) => displayPath(layout, path.join(layout.fragmentsDir, name));
  const before = new Map(existing.map((e) => [e.name, e]));
  const entries: FragmentEntry[] = pulled.map((p) => {
    const old = before.get(p.name);
    const change = old === undefined ? "added" : toLf(old.text) === p.text ? "unchanged" : "changed";
    return { change, fragment: show(p.name), operation: operationKey(p.op), url: p.url };
  });
  const kept = new Set(pulled.map((p) => p.name));
  for (const old of existing) {
    if (kept.has(old.name)) continue;
    entries.push({
      change: "removed",
      fragment: show(old.name),
      operation: old.op && operationKey(old.op),
      url: undefined,
    });
  }
  return entries.sort((a, b) => byCodePoint(a.fragment, b.fragment));
}

/**
 * Writes the changes in one step: spec/fragments/ is copied into a sibling temp folder (its
 * files keep their times), the changes are made there, and the folder is swapped in with
 * renames (build/write.ts). A failure on the way leaves spec/fragments/ as it was. Files that
 * are not fragments (the parts fragments `$ref`) are carried over untouched.
 */
export async function writeFragments(
  layout: ProjectLayout,
  pulled: readonly PulledFragment[],
  entries: readonly FragmentEntry[],
): Promise<void> {
  const { fragmentsDir } = layout;
  const existed = await stat(fragmentsDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const byName = new Map(pulled.map((p) => [p.name, p]));
  await replaceDir(
    fragmentsDir,
    async (staging) => {
      if (existed) {
        await cp(fragmentsDir, staging, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      }
      for (const entry of entries) {
        const name = path.basename(entry.fragment);
        const target = path.join(staging, name);
        if (entry.change === "removed") await rm(target);
        else if (entry.change !== "unchanged") await writeFile(target, (byName.get(name) as PulledFragment).text);
      }
    },
    { root: layout.root },
  );
}
