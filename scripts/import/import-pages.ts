import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { toLf } from "../shared/line-endings.ts";
import { type OperationRef, operationLabel } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout, specDirOf } from "../shared/project.ts";
import { byCodePoint } from "../shared/sort.ts";
import { parseSourceFile } from "../shared/source-file.ts";
import { checkRefsStayInSpec, readPage } from "../shared/untrusted-input.ts";
import { extractOpenApiBlock } from "./extract-openapi-block.ts";
import { fragmentFileName, singleOperation } from "./fragment-name.ts";

export type ImportOutcome = "created" | "updated" | "unchanged" | "renamed";

export interface ImportResult {
  page: string;
  fragment: string;
  operation: string;
  outcome: ImportOutcome;
  /** Set when the operation was stored under another name before (its operationId changed). */
  previous?: string;
}

interface Planned {
  page: string;
  op: OperationRef;
  text: string;
  name: string;
}

const opKey = (op: OperationRef) => operationLabel(op);

/**
 * Reads one docs page and returns the fragment it embeds, checked but not yet written. A page is
 * untrusted (shared/untrusted-input.ts): its size is bounded, and its `$ref`s must stay inside
 * spec/ once it is stored in spec/fragments/.
 */
async function planPage(page: string, display: string, layout: ProjectLayout): Promise<Planned> {
  const block = extractOpenApiBlock(await readPage(page, display), display);
  const source = parseSourceFile(page, display, block.text, block.firstLine - 1);
  const op = singleOperation(source.data, display);
  const name = fragmentFileName(op);
  checkRefsStayInSpec([source], specDirOf(layout), () => path.join(layout.fragmentsDir, name));
  // The docs' fence names the operation (`de/v3-openapi.yaml DELETE /v3beta1/...`); when it
  // does, it must agree with the YAML, or the page is not what it claims to be.
  const [, method, route] = block.info.split(/\s+/);
  if (method && route && (method.toLowerCase() !== op.method || route !== op.path)) {
    throw new PipelineError(
      `the fence announces ${method.toUpperCase()} ${route} but the block declares ${opKey(op)}`,
      { file: display, line: block.firstLine - 1 },
      "Pass the page as the docs deliver it; if the docs page itself disagrees, report it to the docs.",
    );
  }
  return { page: display, op, text: block.text, name };
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
  const planned: Planned[] = [];
  for (const page of pages) planned.push(await planPage(path.resolve(cwd, page), showPage(page), layout));

  const seen = new Map<string, Planned>();
  for (const p of planned) {
    const twin = seen.get(opKey(p.op)) ?? [...seen.values()].find((q) => q.name === p.name);
    if (twin) {
      throw new PipelineError(
        `two pages declare the same operation (${opKey(p.op)}) or fragment name (${p.name})`,
        [{ file: twin.page }, { file: p.page }],
        "Import each endpoint's page once; drop the duplicate from the command line.",
      );
    }
    seen.set(opKey(p.op), p);
  }

  // Existing fragments, by operation, so a page whose operationId changed replaces its old file.
  const existing = new Map<string, string>();
  const names = (await readdir(fragmentsDir).catch(() => [] as string[]))
    .filter((n) => /\.ya?ml$/.test(n))
    .sort(byCodePoint);
  for (const name of names) {
    const file = path.join(fragmentsDir, name);
    const op = singleOperation(parseSourceFile(file, display(file), await readFile(file, "utf8")).data, display(file));
    existing.set(opKey(op), name);
  }

  await mkdir(fragmentsDir, { recursive: true });
  const results: ImportResult[] = [];
  for (const p of planned) {
    const target = path.join(fragmentsDir, p.name);
    const previous = existing.get(opKey(p.op));
    const occupant = [...existing.entries()].find(([key, name]) => name === p.name && key !== opKey(p.op));
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
    const result: ImportResult = { page: p.page, fragment: display(target), operation: opKey(p.op), outcome };
    if (previous && previous !== p.name) {
      await rm(path.join(fragmentsDir, previous));
      outcome = "renamed";
      Object.assign(result, { outcome, previous: display(path.join(fragmentsDir, previous)) });
    }
    results.push(result);
  }
  return results;
}
