import { isDeepStrictEqual } from "node:util";
import { toPointer } from "../shared/json-pointer.ts";
import { HTTP_METHODS, isHttpMethod, isRecord } from "../shared/openapi.ts";
import { type ErrorLocation, PipelineError } from "../shared/pipeline-error.ts";
import { byCodePoint } from "../shared/sort.ts";
import type { SourceFile } from "../shared/source-file.ts";
import { Provenance } from "./provenance.ts";

type Json = Record<string, unknown>;

export interface JoinResult {
  document: Json;
  /** Which fragment each path item, operation and component came from. */
  provenance: Provenance;
}

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

// What to do about each kind of conflict. The docs generate every page from one spec, so two
// fragments disagree only when one was imported from an older version of the docs.
const REIMPORT =
  "Re-import both pages from the same version of the docs (`npm run spec:import -- <pages>`); fragments hold the docs' text as published, so do not edit one to match the other.";
const HINTS = {
  differs: REIMPORT,
  operation:
    "Keep one of the two files: each operation belongs to the fragment imported from its own docs page (delete the copy).",
  operationId:
    "operationIds must be unique: re-import the page whose operationId is stale (`npm run spec:import`), or delete the fragment that should not be there.",
};

interface Conflict {
  message: string;
  locations: ErrorLocation[];
  hint: string;
}

interface Seen {
  value: unknown;
  from: SourceFile;
}

function where(file: SourceFile, keys: string[]): ErrorLocation {
  return { file: file.display, ...file.locate(keys), pointer: toPointer(keys) };
}

/**
 * Stage 4: joins per-endpoint fragments into one OpenAPI document.
 * - Top-level fields (openapi, info, servers, security, ...) must agree across fragments.
 * - Each operation may be declared once; operationIds are unique.
 * - A shared component that is identical everywhere is kept once; the same name with
 *   different content is an error naming both files.
 * Every conflict of the run is reported at once, each with both locations and what to do.
 * The result does not depend on the order of `files`: keys are emitted in a fixed order.
 */
export function joinFragments(files: readonly SourceFile[]): JoinResult {
  if (files.length === 0) {
    throw new PipelineError(
      "no fragments to join: spec/fragments/ has no *.yaml files",
      [],
      "Import the docs pages first: `npm run spec:import -- <page.md> …`.",
    );
  }
  const ordered = [...files].sort((a, b) => byCodePoint(a.display, b.display));
  const provenance = new Provenance();
  const conflicts: Conflict[] = [];
  const top = new Map<string, Seen>();
  const paths = new Map<string, Map<string, Seen>>();
  const components = new Map<string, Map<string, Seen>>();
  const tags = new Map<string, Seen>();
  const operationIds = new Map<string, { from: SourceFile; keys: string[] }>();

  const agree = (
    slot: Map<string, Seen>,
    key: string,
    value: unknown,
    from: SourceFile,
    keys: string[],
    what: string,
  ) => {
    const seen = slot.get(key);
    if (!seen) {
      slot.set(key, { value, from });
    } else if (!isDeepStrictEqual(seen.value, value)) {
      conflicts.push({
        message: `${what} differs between two fragments; the same name must have the same content`,
        locations: [where(seen.from, keys), where(from, keys)],
        hint: HINTS.differs,
      });
    }
  };

  for (const file of ordered) {
    if (!isRecord(file.data)) {
      throw new PipelineError(
        "a fragment must be a YAML mapping",
        { file: file.display, line: 1 },
        "Re-import the docs page with `npm run spec:import`, or delete the file.",
      );
    }
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
      const slot = paths.get(route) ?? new Map<string, Seen>();
      paths.set(route, slot);
      for (const [field, value] of Object.entries(item)) {
        const keys = ["paths", route, field];
        if (!isHttpMethod(field)) {
          agree(slot, field, value, file, keys, `path-level field \`${field}\` of ${route}`);
          continue;
        }
        const seen = slot.get(field);
        if (seen) {
          conflicts.push({
            message: `operation ${field.toUpperCase()} ${route} is declared by two fragments`,
            locations: [where(seen.from, keys), where(file, keys)],
            hint: HINTS.operation,
          });
          continue;
        }
        slot.set(field, { value, from: file });
        provenance.record(toPointer(keys), file.display);
        const id = isRecord(value) && typeof value.operationId === "string" ? value.operationId : undefined;
        if (id === undefined) continue;
        const twin = operationIds.get(id);
        if (twin) {
          conflicts.push({
            message: `duplicate operationId \`${id}\``,
            locations: [where(twin.from, twin.keys), where(file, [...keys, "operationId"])],
            hint: HINTS.operationId,
          });
        } else {
          operationIds.set(id, { from: file, keys: [...keys, "operationId"] });
        }
      }
      provenance.record(toPointer(["paths", route]), file.display);
    }
    for (const [section, entries] of Object.entries(isRecord(file.data.components) ? file.data.components : {})) {
      if (!isRecord(entries)) continue;
      const slot = components.get(section) ?? new Map<string, Seen>();
      components.set(section, slot);
      for (const [name, value] of Object.entries(entries)) {
        const keys = ["components", section, name];
        agree(slot, name, value, file, keys, `component \`${section}/${name}\``);
        provenance.record(toPointer(keys), file.display);
      }
    }
  }

  if (conflicts.length > 0) {
    const n = conflicts.length;
    throw new PipelineError(
      `join of spec/fragments/: ${n} conflict${n === 1 ? "" : "s"}`,
      conflicts.flatMap((c) => c.locations),
      undefined,
      conflicts,
    );
  }

  const document: Json = {};
  const topKeys = [...top.keys(), ...(tags.size ? ["tags"] : []), "paths", ...(components.size ? ["components"] : [])];
  const rank = (k: string) => (TOP_LEVEL_ORDER.includes(k) ? TOP_LEVEL_ORDER.indexOf(k) : TOP_LEVEL_ORDER.length);
  topKeys.sort((a, b) => rank(a) - rank(b) || byCodePoint(a, b));
  for (const key of topKeys) {
    if (key === "paths") {
      document.paths = Object.fromEntries(
        [...paths.keys()].sort(byCodePoint).map((route) => {
          const slot = paths.get(route) as Map<string, Seen>;
          const fields = [...slot.keys()].sort((a, b) => fieldRank(a) - fieldRank(b) || byCodePoint(a, b));
          return [route, Object.fromEntries(fields.map((f) => [f, slot.get(f)?.value]))];
        }),
      );
    } else if (key === "components") {
      document.components = Object.fromEntries(
        [...components.keys()].sort(byCodePoint).map((section) => {
          const slot = components.get(section) as Map<string, Seen>;
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
  if (isHttpMethod(field)) return 10 + HTTP_METHODS.indexOf(field);
  return ["$ref", "summary", "description", "servers", "parameters"].indexOf(field) + 1 || 30;
}
