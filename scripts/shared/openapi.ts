/** Small facts about OpenAPI documents that the build, the importer and the gate share. */

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationRef {
  method: HttpMethod;
  path: string;
  operationId: string | undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isHttpMethod(field: string): field is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(field);
}

/** Every operation of an OpenAPI document, in document order. */
export function listOperations(doc: unknown): OperationRef[] {
  const out: OperationRef[] = [];
  const paths = isRecord(doc) ? doc.paths : undefined;
  if (!isRecord(paths)) return out;
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      out.push({ method, path, operationId: typeof op.operationId === "string" ? op.operationId : undefined });
    }
  }
  return out;
}

/** `GET /v3/items`: how messages and the change report name an operation. */
export function operationLabel(op: { method: string; path: string }): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

/**
 * An operationId without the suffix FastAPI appends to its default ids (the path with every
 * non-word character replaced by `_`, then `_<method>`): it only repeats the path. Without
 * an operationId, the method and the path stand in.
 */
export function operationBaseName(op: { method: string; path: string; operationId?: string | undefined }): string {
  const fastApiSuffix = `${op.path.replace(/\W/g, "_")}_${op.method}`;
  const base = op.operationId ?? `${op.method}${op.path.replace(/\W+/g, "_")}`;
  return base.endsWith(fastApiSuffix) && base.length > fastApiSuffix.length
    ? base.slice(0, -fastApiSuffix.length)
    : base;
}
