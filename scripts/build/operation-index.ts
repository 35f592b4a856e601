/**
 * The runtime operation index, generated/operations.ts: per operation its method name, HTTP
 * method, path template, parameters as the client's methods take them, whether it is
 * paginated, and each parameter's serialisation where it differs from OpenAPI's default.
 * The client (src/) reads it to expose every operation as a typed method; nothing in src/
 * names an endpoint.
 */
import { pointerKeys, valueAt } from "../shared/json-pointer.ts";
import { HTTP_METHODS, type HttpMethod, isRecord, operationBaseName } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { byCodePoint } from "../shared/sort.ts";

export const OPERATIONS_FILE = "operations.ts";

type Method = HttpMethod;
type Location = "path" | "query" | "header" | "cookie";
type Json = Record<string, unknown>;

/** OpenAPI 3.1 §4.8.12.4: the default `style` per location; `explode` defaults to true only for `form`. */
const DEFAULT_STYLE: Record<Location, string> = { path: "simple", query: "form", header: "simple", cookie: "form" };

/**
 * Option names the client's methods read themselves. A query parameter with one of these
 * names is not offered as a top-level option (it would be shadowed); callers pass it inside
 * `query: { … }`. Must match what src/core/methods.ts reads.
 */
export const RESERVED_OPTIONS = [
  "body",
  "query",
  "header",
  "cookie",
  "headers",
  "signal",
  "timeout",
  "retry",
  "maxItems",
  "maxPages",
] as const;

/** Names a method may not take: the client's own members, and what every object inherits. */
const RESERVED_NAMES = new Set([
  "GET",
  "PUT",
  "POST",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "paginate",
  "use",
  "eject",
  ...Object.getOwnPropertyNames(Object.prototype),
]);

export interface ParamStyle {
  style?: string;
  explode?: boolean;
  allowReserved?: true;
  /** Set when the parameter uses `content` instead of `schema`: the value is sent as this media type. */
  content?: string;
}

export interface OperationEntry {
  operationId?: string;
  method: Method;
  path: string;
  /** Path parameters in the order they appear in the template: the method's positional arguments. */
  pathParams: string[];
  /** Names the method accepts as top-level options and sends as query parameters. */
  query: string[];
  /** The one object query parameter whose properties are the query (a FastAPI query model). */
  queryModel?: string;
  /** Where the cursor (`after`) and page size (`first`) go, for a paginated GET. */
  paginated?: { after: string[]; first?: string[] };
  /** Serialisation of parameters whose style differs from the location's default. */
  serialization?: Partial<Record<Location, Record<string, ParamStyle>>>;
  /** A DELETE that declares 409: a 409 after an attempt whose outcome is unknown means it was done. */
  conflictMeansDone?: true;
}

/**
 * The method name of an operation (README "Method names"): take the operationId, drop the
 * FastAPI suffix (the path with every non-word character as `_`, then `_<method>`) and a
 * leading `handle_`, then camelCase on every run of non-alphanumeric characters. Without an
 * operationId the name comes from the method and the path.
 * `handle_list_service_user_api_keys_v3beta1_enterprise_…_api_keys_get` → `listServiceUserApiKeys`.
 */
export function methodName(operationId: string | undefined, method: string, path: string): string {
  const base = operationBaseName({ method, path, operationId }).replace(/^handle_(?=.)/, "");
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "");
  const name = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join("");
  return name === "" ? method : /^\d/.test(name) ? `op${name.charAt(0).toUpperCase()}${name.slice(1)}` : name;
}

/** Follows internal `$ref`s (`#/…`) of the bundle; a bundle has no other kind. */
function resolver(bundle: Json): (node: unknown) => unknown {
  return (node) => {
    let current = node;
    for (let hops = 0; isRecord(current) && typeof current.$ref === "string" && hops < 32; hops++) {
      current = valueAt(bundle, pointerKeys(current.$ref));
    }
    return current;
  };
}

/** The properties of an object schema, through `$ref`s and `allOf`. */
function propertiesOf(schema: unknown, resolve: (n: unknown) => unknown, depth = 0): Json {
  const node = resolve(schema);
  if (!isRecord(node) || depth > 8) return {};
  const own = isRecord(node.properties) ? node.properties : {};
  const inherited = Array.isArray(node.allOf) ? node.allOf.map((s) => propertiesOf(s, resolve, depth + 1)) : [];
  return Object.assign({}, ...inherited, own);
}

function isObjectSchema(schema: unknown, resolve: (n: unknown) => unknown): boolean {
  const node = resolve(schema);
  return isRecord(node) && (node.type === "object" || Object.keys(propertiesOf(node, resolve)).length > 0);
}

interface Param {
  name: string;
  in: Location;
  style: ParamStyle;
  schema: unknown;
}

function parametersOf(item: Json, operation: Json, resolve: (n: unknown) => unknown): Param[] {
  const byKey = new Map<string, Param>();
  for (const list of [item.parameters, operation.parameters]) {
    for (const raw of Array.isArray(list) ? list : []) {
      const p = resolve(raw);
      if (!isRecord(p) || typeof p.name !== "string") continue;
      if (p.in !== "path" && p.in !== "query" && p.in !== "header" && p.in !== "cookie") continue;
      const location = p.in;
      const style: ParamStyle = {};
      const content = isRecord(p.content) ? Object.keys(p.content)[0] : undefined;
      if (content !== undefined) style.content = content;
      const styleName = typeof p.style === "string" ? p.style : DEFAULT_STYLE[location];
      const explode = typeof p.explode === "boolean" ? p.explode : styleName === "form";
      if (content === undefined && styleName !== DEFAULT_STYLE[location]) style.style = styleName;
      if (content === undefined && explode !== (DEFAULT_STYLE[location] === "form")) style.explode = explode;
      if (p.allowReserved === true && location === "query") style.allowReserved = true;
      const schema = content !== undefined && isRecord(p.content) ? (p.content[content] as Json)?.schema : p.schema;
      // An operation's parameter overrides the path item's of the same name and location.
      byKey.set(`${location} ${p.name}`, { name: p.name, in: location, style, schema });
    }
  }
  return [...byKey.values()];
}

function isPaginatedResponse(operation: Json, resolve: (n: unknown) => unknown): boolean {
  const responses = resolve(operation.responses);
  if (!isRecord(responses)) return false;
  const ok = resolve(responses["200"]);
  const content = isRecord(ok) ? resolve(ok.content) : undefined;
  const media = isRecord(content) ? resolve(content["application/json"]) : undefined;
  const props = propertiesOf(isRecord(media) ? media.schema : undefined, resolve);
  return "items" in props && "has_next_page" in props && "end_cursor" in props;
}

function entryFor(path: string, method: Method, item: Json, operation: Json, bundle: Json): OperationEntry {
  const resolve = resolver(bundle);
  const params = parametersOf(item, operation, resolve);
  const templateNames = Array.from(path.matchAll(/\{([^{}]+)\}/g), (m) => m[1] as string);
  const query = params.filter((p) => p.in === "query");
  const entry: OperationEntry = {
    ...(typeof operation.operationId === "string" && { operationId: operation.operationId }),
    method,
    path,
    pathParams: templateNames,
    query: [],
  };
  // A FastAPI query model: the operation's only query parameter, an object sent in form style
  // with explode (OpenAPI's default), so its properties are the query string's names.
  const only = query.length === 1 ? query[0] : undefined;
  const model =
    only && only.style.style === undefined && only.style.explode === undefined && !only.style.content
      ? isObjectSchema(only.schema, resolve)
        ? only
        : undefined
      : undefined;
  const offered = model ? Object.keys(propertiesOf(model.schema, resolve)) : query.map((p) => p.name);
  entry.query = offered.filter((name) => !(RESERVED_OPTIONS as readonly string[]).includes(name));
  if (model) entry.queryModel = model.name;

  if (method === "get" && isPaginatedResponse(operation, resolve)) {
    const where = (name: string): string[] | undefined =>
      model && offered.includes(name) ? [model.name, name] : query.some((p) => p.name === name) ? [name] : undefined;
    const after = where("after");
    const first = where("first");
    if (after) entry.paginated = first ? { after, first } : { after };
  }

  const serialization: Partial<Record<Location, Record<string, ParamStyle>>> = {};
  for (const p of params) {
    if (Object.keys(p.style).length === 0) continue;
    const slot = serialization[p.in] ?? {};
    slot[p.name] = p.style;
    serialization[p.in] = slot;
  }
  if (Object.keys(serialization).length > 0) entry.serialization = serialization;
  const responses = resolve(operation.responses);
  if (method === "delete" && isRecord(responses) && "409" in responses) entry.conflictMeansDone = true;
  return entry;
}

/** The operation index of a bundle, by method name (code-point order). */
export function buildOperationIndex(bundle: Record<string, unknown>): Map<string, OperationEntry> {
  const found = new Map<string, OperationEntry>();
  const paths = isRecord(bundle.paths) ? bundle.paths : {};
  const problems: string[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolver(bundle)(rawItem);
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const entry = entryFor(path, method, item, operation, bundle);
      const name = methodName(entry.operationId, method, path);
      const label = `${method.toUpperCase()} ${path}${entry.operationId ? ` (operationId ${entry.operationId})` : ""}`;
      if (RESERVED_NAMES.has(name)) {
        problems.push(`${label} maps to the method name \`${name}\`, which the client reserves for its own use`);
        continue;
      }
      const twin = found.get(name);
      if (twin) {
        const other = `${twin.method.toUpperCase()} ${twin.path}${twin.operationId ? ` (operationId ${twin.operationId})` : ""}`;
        problems.push(`${other} and ${label} both map to the method name \`${name}\``);
        continue;
      }
      found.set(name, entry);
    }
  }
  if (problems.length > 0) {
    throw new PipelineError(
      `method names collide:\n    ${problems.join("\n    ")}`,
      { file: "generated/devin-api.yaml (bundle)", pointer: "#/paths" },
      'Method names come from operationIds (README, "Method names"). Follow only one of the two pages ' +
        "(delete the other's fragment in spec/fragments/), or ask the docs to rename one operation.",
    );
  }
  return new Map([...found].sort(([a], [b]) => byCodePoint(a, b)));
}

const BANNER = `/**
 * Generated by \`npm run generate\` from the bundle (devin-api.yaml). Do not edit: change the
 * spec and regenerate. The runtime operation index: one entry per operation, keyed by its
 * method name (README, "Method names"); the client turns each into a typed method.
 */
`;

/** The TypeScript source of generated/operations.ts for a bundle. */
export function operationIndexSource(bundle: Record<string, unknown>): string {
  const index = buildOperationIndex(bundle);
  const body = JSON.stringify(Object.fromEntries(index), null, 4);
  return `${BANNER}\nexport const operationIndex = ${body} as const;\n`;
}
