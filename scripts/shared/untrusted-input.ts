import { open } from "node:fs/promises";
import path from "node:path";
import { toPointer } from "./json-pointer.ts";
import { isRecord } from "./openapi.ts";
import { type ErrorLocation, PipelineError } from "./pipeline-error.ts";
import type { SourceFile } from "./source-file.ts";

/**
 * Docs pages are untrusted input: `spec:import` stores what a page embeds, and a pull would
 * store what a server sends. Two limits keep such a page from reading the machine that builds
 * it: a page's size is bounded, and every `$ref` of spec/ must stay inside spec/ (checked
 * before Redocly resolves anything, by import and by generate).
 */

/** The largest docs page `spec:import` accepts: a docs page is tens of kB. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;

export const SPEC_REF_HINT =
  "`$ref`s may only point inside spec/: inline the schema, or put the file under spec/fragments/.";

/**
 * Reads a docs page, refusing it once it passes `MAX_PAGE_BYTES` (without reading further, so
 * an endless file such as a device cannot exhaust memory).
 */
export async function readPage(file: string, display: string): Promise<string> {
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw unreadablePage(error, display);
  });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, MAX_PAGE_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null).catch((error: NodeJS.ErrnoException) => {
        throw unreadablePage(error, display);
      });
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_PAGE_BYTES) throw pageTooLarge(display);
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** A page path that names no readable file: a typo, a folder, no permission. */
function unreadablePage(error: NodeJS.ErrnoException, display: string): Error {
  const what: Record<string, string> = {
    ENOENT: "no such file",
    EISDIR: "a folder, not a page",
    EACCES: "not readable (permission denied)",
    EPERM: "not readable (permission denied)",
  };
  const reason = error.code ? what[error.code] : undefined;
  if (reason === undefined) return error;
  return new PipelineError(
    `cannot read the page: ${reason}`,
    { file: display },
    "Pass the path of a docs page saved as Markdown (the page's URL plus `.md`); paths are relative to the folder you run the command in.",
  );
}

/**
 * The same limit for a page that is already text (a fetched page, whose body `spec:pull` reads
 * with its own cap): refused when its UTF-8 encoding is over `MAX_PAGE_BYTES`.
 */
export function checkPageSize(text: string, display: string): void {
  // A UTF-8 byte is at most one UTF-16 code unit, and a code unit at most 3 bytes: skip the
  // count when the answer is clear from the length alone.
  if (text.length * 3 <= MAX_PAGE_BYTES) return;
  if (text.length > MAX_PAGE_BYTES || Buffer.byteLength(text, "utf8") > MAX_PAGE_BYTES) throw pageTooLarge(display);
}

/** The error for a page over `MAX_PAGE_BYTES`; a pull can throw it for a response body too. */
export function pageTooLarge(display: string): PipelineError {
  return new PipelineError(
    `the page is larger than ${MAX_PAGE_BYTES / 1024 / 1024} MiB (${MAX_PAGE_BYTES} bytes), the limit for a docs page`,
    { file: display },
    "A docs page is tens of kB: check that this is the page as the docs deliver it.",
  );
}

/**
 * Why `ref`, written in a file that sits at `from`, would make a resolver read outside
 * `specDir`; undefined when it stays inside (internal `#/...` refs, relative paths within).
 * Redocly splits a `$ref` at its first `#/`, not at `#`, so `#x/../../a.yaml` is a file path
 * to it: both readings are checked, each also percent-decoded, and `\` counts as `/`.
 */
export function refLeavingSpec(ref: string, from: string, specDir: string): string | undefined {
  const redocly = ref.split("#/")[0] ?? "";
  const readings = [redocly.endsWith("#") ? redocly.slice(0, -1) : redocly, ref.split("#")[0] ?? ""];
  for (const reading of new Set(readings.flatMap((r) => [r, safeDecode(r)]))) {
    if (reading === "") continue;
    const target = reading.replace(/\\/g, "/");
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return "is a URL";
    if (target.startsWith("/")) return "is an absolute path";
    if (!isInside(path.resolve(path.dirname(from), target), specDir)) return "climbs out of spec/ with `..`";
  }
  return undefined;
}

/** Whether `file` is `dir` or lies below it (by path, without touching the file system). */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

// Keywords whose value is data to Redocly's resolver: it does not follow a `$ref` inside them
// (nor inside a JSON Schema `examples` array, nor in an Example Object's `value`). It does
// follow one inside `example` and inside the `examples` map of a media type, so those are
// checked. Inside a map of names (properties, components, responses, …) a key such as `default`
// is a name, and its value an object of the map's kind.
const DATA_KEYS = new Set(["default", "const", "enum"]);
const NAME_MAPS = new Set([
  "properties",
  "patternProperties",
  "dependentSchemas",
  "$defs",
  "definitions",
  "schemas",
  "parameters",
  "responses",
  "requestBodies",
  "headers",
  "content",
  "examples",
  "encoding",
  "links",
  "callbacks",
  "securitySchemes",
  "pathItems",
  "webhooks",
]);

export interface EscapingRef {
  ref: string;
  /** What makes it leave spec/: "is a URL", "is an absolute path", "climbs out of spec/ with `..`". */
  reason: string;
  location: ErrorLocation;
}

/**
 * Every `$ref` string of a parsed file that would leave `specDir`. `storedAt` is where the
 * file's refs resolve from: its own path, or for a docs page, the fragment it becomes.
 */
export function refsLeavingSpec(file: SourceFile, specDir: string, storedAt = file.path): EscapingRef[] {
  const found: EscapingRef[] = [];
  forEachFollowedRef(file.data, (ref, keys) => {
    const reason = refLeavingSpec(ref, storedAt, specDir);
    if (reason) {
      const refKeys = [...keys, "$ref"];
      found.push({ ref, reason, location: { file: file.display, ...file.locate(refKeys), pointer: toPointer(keys) } });
    }
  });
  return found;
}

/**
 * Calls `visit` with each `$ref` string of `data` that Redocly's resolver follows, in document
 * order, and the keys of the object that holds it.
 */
export function forEachFollowedRef(data: unknown, visit: (ref: string, keys: (string | number)[]) => void): void {
  /** `names`: the key of the map of names `node` is (its keys are names); `example`: an Example Object. */
  const walk = (node: unknown, keys: (string | number)[], names?: string, example = false): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, [...keys, i]);
      });
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.$ref === "string") visit(node.$ref, keys);
    for (const [key, value] of Object.entries(node)) {
      // A `$ref` that is not a string is a map (a property named `$ref`, say), which Redocly
      // walks like any other: a `$ref` inside it is followed.
      if (key === "$ref" && typeof value === "string") continue;
      if (names !== undefined) {
        walk(value, [...keys, key], undefined, names === "examples");
        continue;
      }
      if (DATA_KEYS.has(key) || (key === "examples" && Array.isArray(value)) || (example && key === "value")) continue;
      walk(value, [...keys, key], NAME_MAPS.has(key) ? key : undefined);
    }
  };
  walk(data, []);
}

/**
 * Throws one PipelineError naming each file, line and `$ref` that would leave spec/.
 * `storedAt` maps a file to where its refs resolve from (default: its own path).
 */
export function checkRefsStayInSpec(
  files: readonly SourceFile[],
  specDir: string,
  storedAt: (file: SourceFile) => string = (file) => file.path,
): void {
  const found = files.flatMap((file) => refsLeavingSpec(file, specDir, storedAt(file)));
  if (found.length === 0) return;
  const n = found.length;
  throw new PipelineError(
    `${n} \`$ref\`${n === 1 ? "" : "s"} point${n === 1 ? "s" : ""} outside spec/`,
    found.map((f) => f.location),
    SPEC_REF_HINT,
    found.map((f) => ({ locations: [f.location], message: `\`$ref: ${f.ref}\` ${f.reason}` })),
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
