import path from "node:path";
import { type OperationRef, operationLabel } from "../shared/openapi.ts";
import { type ErrorDetail, PipelineError } from "../shared/pipeline-error.ts";
import { type ProjectLayout, specDirOf } from "../shared/project.ts";
import { parseSourceFile } from "../shared/source-file.ts";
import { checkPageSize, checkRefsStayInSpec } from "../shared/untrusted-input.ts";
import { extractOpenApiBlock } from "./extract-openapi-block.ts";
import { fragmentFileName, singleOperation } from "./fragment-name.ts";

/** A docs page's fragment, checked and named, not yet written. */
export interface PlannedFragment {
  /** The page as messages name it: a path relative to where the command ran, or a URL. */
  page: string;
  op: OperationRef;
  /** The YAML exactly as published (LF line endings): the fragment's bytes. */
  text: string;
  /** File name in spec/fragments/, e.g. `handle-revoke-service-user-api-key.yaml`. */
  name: string;
}

/** `GET /v3/items`: the key two pages must not share. */
export const operationKey = (op: OperationRef): string => operationLabel(op);

/**
 * Turns the text of one docs page into the fragment it embeds, checked but not written; what
 * `spec:import` (a saved page) and `spec:pull` (a fetched one) share. The page is untrusted
 * (shared/untrusted-input.ts): its size is bounded, and its `$ref`s must stay inside spec/ once
 * it is stored in spec/fragments/. `page` names it in every error.
 */
export function planFragment(pageText: string, page: string, layout: ProjectLayout): PlannedFragment {
  checkPageSize(pageText, page);
  const block = extractOpenApiBlock(pageText, page);
  const source = parseSourceFile(page, page, block.text, block.firstLine - 1);
  const op = singleOperation(source.data, page);
  const name = fragmentFileName(op);
  checkRefsStayInSpec([source], specDirOf(layout), () => path.join(layout.fragmentsDir, name));
  // The docs' fence names the operation (`de/v3-openapi.yaml DELETE /v3beta1/...`); when it
  // does, it must agree with the YAML, or the page is not what it claims to be.
  const [, method, route] = block.info.split(/\s+/);
  if (method && route && (method.toLowerCase() !== op.method || route !== op.path)) {
    throw new PipelineError(
      `the fence announces ${method.toUpperCase()} ${route} but the block declares ${operationKey(op)}`,
      { file: page, line: block.firstLine - 1 },
      "Pass the page as the docs deliver it; if the docs page itself disagrees, report it to the docs.",
    );
  }
  return { page, op, text: block.text, name };
}

/**
 * Every pair of pages that declare the same operation or would be stored under the same
 * fragment name (one detail per later page, naming the earlier one first). `hint` says what to
 * do, which differs between a command line and spec/sources.yaml.
 */
export function duplicatePages(planned: readonly PlannedFragment[], hint: string): ErrorDetail[] {
  const seen: PlannedFragment[] = [];
  const found: ErrorDetail[] = [];
  for (const p of planned) {
    const twin = seen.find((q) => operationKey(q.op) === operationKey(p.op) || q.name === p.name);
    if (twin) {
      found.push({
        locations: [{ file: twin.page }, { file: p.page }],
        message: `two pages declare the same operation (${operationKey(p.op)}) or fragment name (${p.name})`,
        hint,
      });
    } else {
      seen.push(p);
    }
  }
  return found;
}
