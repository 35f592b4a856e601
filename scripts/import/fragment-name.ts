import { isRecord, listOperations, type OperationRef, operationBaseName } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";

/** The single operation of a per-endpoint fragment; anything else is an error naming the file. */
export function singleOperation(doc: unknown, file: string): OperationRef {
  if (!isRecord(doc) || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new PipelineError(
      "not an OpenAPI 3.x document (no `openapi: 3.x` at the top level)",
      { file },
      "Import the docs page as delivered: its fenced yaml block starts with `openapi: 3.1.0`.",
    );
  }
  const ops = listOperations(doc);
  if (ops.length !== 1) {
    throw new PipelineError(
      `a fragment must declare exactly one operation, found ${ops.length}` +
        (ops.length > 0 ? `: ${ops.map((o) => `${o.method.toUpperCase()} ${o.path}`).join(", ")}` : ""),
      { file, pointer: "#/paths" },
      "Import one docs page per endpoint; each embeds exactly one operation.",
    );
  }
  return ops[0] as OperationRef;
}

/**
 * The file name a fragment is stored under: its operationId without FastAPI's path suffix
 * (`operationBaseName`), in kebab case.
 */
export function fragmentFileName(op: OperationRef): string {
  const kebab = operationBaseName(op)
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return `${kebab || "operation"}.yaml`;
}
