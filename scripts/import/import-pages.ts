import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { toLf } from "../shared/line-endings.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout } from "../shared/project.ts";
import { readPage } from "../shared/untrusted-input.ts";
import { readExistingFragments } from "./existing-fragments.ts";
import { duplicatePages, operationKey, type PlannedFragment, planFragment } from "./plan-fragment.ts";

export type ImportOutcome = "created" | "updated" | "unchanged" | "renamed";

export interface ImportResult {
  page: string;
  fragment: string;
  operation: string;
  outcome: ImportOutcome;
  /** Set when the operation was stored under another name before (its operationId changed). */
  previous?: string;
}

/**
 * Imports docs pages into the project's spec/fragments/, one fragment per operation, the YAML
 * exactly as published. Page paths resolve against `cwd` (where the command was run), and are
 * shown relative to it; fragments are shown relative to the project root. All pages are read and
 * checked before anything is written: one bad page imports nothing.
 */
export async function importPages(
  pages: readonly string[],
  layout: ProjectLayout,
  cwd = process.cwd(),
): Promise<ImportResult[]> {
  const { fragmentsDir } = layout;
  const showPage = (p: string) => path.relative(cwd, path.resolve(cwd, p)) || p;
  const display = (file: string) => displayPath(layout, file);
  const planned: PlannedFragment[] = [];
  for (const page of pages) {
    // readPage stops at the size limit, so an endless file is never read whole.
    const shown = showPage(page);
    planned.push(planFragment(await readPage(path.resolve(cwd, page), shown), shown, layout));
  }

  const [duplicate] = duplicatePages(
    planned,
    "Import each endpoint's page once; drop the duplicate from the command line.",
  );
  if (duplicate) throw new PipelineError(duplicate.message, duplicate.locations, duplicate.hint);

  // Existing fragments, by operation, so a page whose operationId changed replaces its old file.
  const existing = new Map<string, string>();
  for (const fragment of await readExistingFragments(layout)) {
    if (fragment.problem) throw fragment.problem;
    if (fragment.op) existing.set(operationKey(fragment.op), fragment.name);
  }

  await mkdir(fragmentsDir, { recursive: true });
  const results: ImportResult[] = [];
  for (const p of planned) {
    const target = path.join(fragmentsDir, p.name);
    const previous = existing.get(operationKey(p.op));
    const occupant = [...existing.entries()].find(([key, name]) => name === p.name && key !== operationKey(p.op));
    if (occupant) {
      throw new PipelineError(
        `fragment name ${p.name} is taken by ${occupant[0]}; operationIds must be unique`,
        [{ file: display(target) }, { file: p.page }],
        "Check which page is current: delete the stale fragment, or import the page that replaces it.",
      );
    }
    const before = await readFile(target, "utf8").catch(() => undefined);
    // A CRLF checkout of the same fragment is the same fragment (git's core.autocrlf).
    let outcome: ImportOutcome = before === undefined ? "created" : toLf(before) === p.text ? "unchanged" : "updated";
    if (outcome !== "unchanged") {
      const tmp = `${target}.${process.pid}.tmp`;
      await writeFile(tmp, p.text);
      await rename(tmp, target);
    }
    const result: ImportResult = { page: p.page, fragment: display(target), operation: operationKey(p.op), outcome };
    if (previous && previous !== p.name) {
      await rm(path.join(fragmentsDir, previous));
      outcome = "renamed";
      Object.assign(result, { outcome, previous: display(path.join(fragmentsDir, previous)) });
    }
    results.push(result);
  }
  return results;
}
