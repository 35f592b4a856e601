import { isDeepStrictEqual } from "node:util";
import { HTTP_METHODS, isRecord } from "./operations.ts";
import { type ErrorLocation, PipelineError } from "./pipeline-error.ts";
import type { SourceFile } from "./source-file.ts";

type Json = Record<string, unknown>;

/** Which file each part of the joined document came from, for messages about the bundle. */
export type Provenance = Map<string, string>;

export interface JoinResult {
  document: Json;
  /** JSON pointer of a path item, an operation or a component → the file it came from. */
  provenance: Provenance;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pointer = (...keys: string[]) => `#/${keys.map((k) => k.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
const TOP_LEVEL_ORDER = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "security",
  "tags",
  "externalDocs",
  "paths",
  "webhooks",
  "components",
];

function where(file: SourceFile, keys: string[]): ErrorLocation {
  return { file: file.display, ...file.locate(keys), pointer: pointer(...keys) };
}

/**
 * Joins per-endpoint fragments into one OpenAPI document.
 * - Top-level fields (openapi, info, servers, security, ...) must agree across fragments.
 * - Each operation may be declared once; operationIds are unique.
 * - A shared component that is identical everywhere is kept once; the same name with
 *   different content is an error naming both files.
 * The result does not depend on the order of `files`: keys are emitted in a fixed order.
 */
export function joinFragments(files: readonly SourceFile[]): JoinResult {
  if (files.length === 0) throw new PipelineError("no fragments to join: spec/fragments/ has no *.yaml files", []);
  const ordered = [...files].sort((a, b) => byCodePoint(a.display, b.display));
  const provenance: Provenance = new Map();
  const top = new Map<string, { value: unknown; from: SourceFile }>();
  const paths = new Map<string, Map<string, { value: unknown; from: SourceFile }>>();
  const components = new Map<string, Map<string, { value: unknown; from: SourceFile }>>();
  const tags = new Map<string, { value: unknown; from: SourceFile }>();
  const operationIds = new Map<string, { from: SourceFile; keys: string[] }>();

  const agree = (
    slot: Map<string, { value: unknown; from: SourceFile }>,
    key: string,
    value: unknown,
    from: SourceFile,
    keys: string[],
    what: string,
  ) => {
    const seen = slot.get(key);
    if (!seen) {
      slot.set(key, { value, from });
      return;
    }
    if (!isDeepStrictEqual(seen.value, value)) {
      throw new PipelineError(`${what} differs between two fragments; the same name must have the same content`, [
        where(seen.from, keys),
        where(from, keys),
      ]);
    }
  };

  for (const file of ordered) {
    if (!isRecord(file.data))
      throw new PipelineError("a fragment must be a YAML mapping", { file: file.display, line: 1 });
    for (const [key, value] of Object.entries(file.data)) {
      if (key === "paths" || key === "components" || key === "tags") continue;
      agree(top, key, value, file, [key], `top-level field \`${key}\``);
    }
    for (const tag of Array.isArray(file.data.tags) ? file.data.tags : []) {
      const name = isRecord(tag) && typeof tag.name === "string" ? tag.name : JSON.stringify(tag);
      agree(tags, name, tag, file, ["tags"], `tag \`${name}\``);
    }
    for (const [route, item] of Object.entries(isRecord(file.data.paths) ? file.data.paths : {})) {
      if (!isRecord(item)) continue;
      const slot = paths.get(route) ?? new Map();
      paths.set(route, slot);
      for (const [field, value] of Object.entries(item)) {
        const keys = ["paths", route, field];
        const isOperation = (HTTP_METHODS as readonly string[]).includes(field);
        const seen = slot.get(field);
        if (isOperation && seen) {
          throw new PipelineError(`operation ${field.toUpperCase()} ${route} is declared by two fragments`, [
            where(seen.from, keys),
            where(file, keys),
          ]);
        }
        agree(slot, field, value, file, keys, `path-level field \`${field}\` of ${route}`);
        if (isOperation) {
          provenance.set(pointer("paths", route, field), file.display);
          const id = isRecord(value) && typeof value.operationId === "string" ? value.operationId : undefined;
          const twin = id === undefined ? undefined : operationIds.get(id);
          if (id !== undefined && twin) {
            throw new PipelineError(`duplicate operationId \`${id}\``, [
              where(twin.from, twin.keys),
              where(file, [...keys, "operationId"]),
            ]);
          }
          if (id !== undefined) operationIds.set(id, { from: file, keys: [...keys, "operationId"] });
        }
      }
      provenance.set(pointer("paths", route), provenance.get(pointer("paths", route)) ?? file.display);
    }
    for (const [section, entries] of Object.entries(isRecord(file.data.components) ? file.data.components : {})) {
      if (!isRecord(entries)) continue;
      const slot = components.get(section) ?? new Map();
      components.set(section, slot);
      for (const [name, value] of Object.entries(entries)) {
        agree(slot, name, value, file, ["components", section, name], `component \`${section}/${name}\``);
        const ptr = pointer("components", section, name);
        if (!provenance.has(ptr)) provenance.set(ptr, file.display);
      }
    }
  }

  const document: Json = {};
  const topKeys = [...top.keys(), ...(tags.size ? ["tags"] : []), "paths", ...(components.size ? ["components"] : [])];
  const rank = (k: string) => (TOP_LEVEL_ORDER.includes(k) ? TOP_LEVEL_ORDER.indexOf(k) : TOP_LEVEL_ORDER.length);
  topKeys.sort((a, b) => rank(a) - rank(b) || byCodePoint(a, b));
  for (const key of topKeys) {
    if (key === "paths") {
      document.paths = Object.fromEntries(
        [...paths.keys()].sort(byCodePoint).map((route) => {
          const slot = paths.get(route) as Map<string, { value: unknown }>;
          const fields = [...slot.keys()].sort((a, b) => fieldRank(a) - fieldRank(b) || byCodePoint(a, b));
          return [route, Object.fromEntries(fields.map((f) => [f, slot.get(f)?.value]))];
        }),
      );
    } else if (key === "components") {
      document.components = Object.fromEntries(
        [...components.keys()].sort(byCodePoint).map((section) => {
          const slot = components.get(section) as Map<string, { value: unknown }>;
          return [section, Object.fromEntries([...slot.keys()].sort(byCodePoint).map((n) => [n, slot.get(n)?.value]))];
        }),
      );
    } else if (key === "tags") {
      document.tags = [...tags.keys()].sort(byCodePoint).map((n) => tags.get(n)?.value);
    } else {
      document[key] = top.get(key)?.value;
    }
  }
  return { document, provenance };
}

/** Path-item fields: summary and description first, then parameters, then operations in method order. */
function fieldRank(field: string): number {
  const method = (HTTP_METHODS as readonly string[]).indexOf(field);
  if (method >= 0) return 10 + method;
  return ["$ref", "summary", "description", "servers", "parameters"].indexOf(field) + 1 || 30;
}
