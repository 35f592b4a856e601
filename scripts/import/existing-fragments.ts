import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { isRecord, type OperationRef } from "../shared/openapi.ts";
import { isPipelineError, PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout } from "../shared/project.ts";
import { parseSourceFile, yamlFileNames } from "../shared/source-file.ts";
import { singleOperation } from "./fragment-name.ts";

/** A YAML file of spec/fragments/ that is a fragment: what a docs page was stored as. */
export interface ExistingFragment {
  /** File name, e.g. `handle-revoke-service-user-api-key.yaml`. */
  name: string;
  file: string;
  text: string;
  /** Its operation; undefined when `problem` says why it cannot be read. */
  op: OperationRef | undefined;
  /** Why the file is not a readable fragment (invalid YAML, no single operation). */
  problem?: PipelineError;
}

/**
 * The fragments in spec/fragments/, in code-point order of their names. A YAML file that parses
 * to anything but a mapping with `openapi` is a part that fragments `$ref`, as build/load-inputs.ts
 * tells them apart; no docs page produces one, so it is not listed. A file that cannot be read is listed with its problem.
 */
export async function readExistingFragments(layout: ProjectLayout): Promise<ExistingFragment[]> {
  const show = (file: string) => displayPath(layout, file);
  const names = await yamlFileNames(layout.fragmentsDir, await readFolder(layout), show);
  const found: ExistingFragment[] = [];
  for (const name of names) {
    const file = path.join(layout.fragmentsDir, name);
    const display = show(file);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const problem = new PipelineError(
        `cannot read ${display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        [{ file: display }],
        "Make it a readable file (a symbolic link must lead to one), or delete it.",
      );
      found.push({ name, file, text: "", op: undefined, problem });
      continue;
    }
    try {
      const { data } = parseSourceFile(file, display, text);
      if (!(isRecord(data) && "openapi" in data)) continue;
      found.push({ name, file, text, op: singleOperation(data, display) });
    } catch (error) {
      if (!isPipelineError(error)) throw error;
      found.push({ name, file, text, op: undefined, problem: error });
    }
  }
  return found;
}

/**
 * The entries of spec/fragments/. Only a missing folder counts as empty (a project's first pull
 * or import); one that cannot be read is an error, or a pull would take every fragment in it as
 * gone and every page as added.
 */
async function readFolder(layout: ProjectLayout) {
  return readdir(layout.fragmentsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    const folder = displayPath(layout, layout.fragmentsDir);
    throw new PipelineError(
      `could not read ${folder}/: ${error.code ?? error.message}`,
      { file: folder },
      `${folder}/ must be a folder you can read: check what is there and its permissions, then run the command again.`,
    );
  });
}
