/**
 * The runtime operation index, generated/operations.ts: per operation its method name, HTTP
 * method, path template, parameters as the client's methods take them, whether it is
 * paginated, and each parameter's serialisation where it differs from OpenAPI's default.
 * The client (src/) reads it to expose every operation as a typed method; nothing in src/
 * names an endpoint.
 */

// The entry shape, the default styles and the option names are the client's: one definition,
// so the generator and the runtime that reads its output cannot drift apart.
import { CALL_OPTIONS, type OperationEntry, PAGE_ONLY_OPTIONS } from "../../src/core/operations.ts";
import { DEFAULT_STYLE, type ParamLocation, type ParamStyle } from "../../src/core/serialize.ts";
import { pointerKeys, valueAt } from "../shared/json-pointer.ts";
import { HTTP_METHODS, type HttpMethod, isRecord, operationBaseName } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { byCodePoint } from "../shared/sort.ts";

export const OPERATIONS_FILE = "operations.ts";

type Json = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/**
 * Query parameters named like an option the client's methods read themselves are not offered
 * as options (they would be shadowed); callers pass them inside `query: { … }`.
 */
const RESERVED_OPTIONS = new Set<string>([...CALL_OPTIONS, ...PAGE_ONLY_OPTIONS]);

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
  in: ParamLocation;
  style: Mutable<ParamStyle>;
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
      const style: Mutable<ParamStyle> = {};
      const content = isRecord(p.content) ? Object.keys(p.content)[0] : undefined;
      if (content !== undefined) style.content = content;
      const styleName = typeof p.style === "string" ? p.style : DEFAULT_STYLE[location];
      const explode = typeof p.explode === "boolean" ? p.explode : styleName === "form";
      if (content === undefined && styleName !== DEFAULT_STYLE[location]) style.style = styleName;
      // `explode` defaults by the parameter's style, not its location's (form: true, else false).
      if (content === undefined && explode !== (styleName === "form")) style.explode = explode;
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

/** A query parameter sent in form style with explode (OpenAPI's default) whose value is an object. */
function isFormObject(p: Param, resolve: (n: unknown) => unknown): boolean {
  return (
    p.style.style === undefined &&
    p.style.explode === undefined &&
    !p.style.content &&
    isObjectSchema(p.schema, resolve)
  );
}

function entryFor(
  path: string,
  method: HttpMethod,
  item: Json,
  operation: Json,
  resolve: (n: unknown) => unknown,
): OperationEntry {
  const params = parametersOf(item, operation, resolve);
  const query = params.filter((p) => p.in === "query");
  // A FastAPI query model: the operation's only query parameter, an object sent in form style
  // with explode, so its properties are the query string's names and the method's options.
  const model = query.length === 1 && query[0] && isFormObject(query[0], resolve) ? query[0] : undefined;
  const offered = model ? Object.keys(propertiesOf(model.schema, resolve)) : query.map((p) => p.name);

  let paginated: OperationEntry["paginated"];
  if (method === "get" && isPaginatedResponse(operation, resolve)) {
    // The cursor and the page size: a top-level query parameter, or a property of an object
    // query parameter in form style (what the prose rule devin/paginated-response-has-cursor accepts).
    const where = (name: string): string[] | undefined => {
      if (query.some((p) => p.name === name)) return [name];
      const holder = query.find((p) => isFormObject(p, resolve) && name in propertiesOf(p.schema, resolve));
      return holder ? [holder.name, name] : undefined;
    };
    const after = where("after");
    const first = where("first");
    if (after) paginated = first ? { after, first } : { after };
  }

  const serialization: Mutable<NonNullable<OperationEntry["serialization"]>> = {};
  for (const p of params) {
    if (Object.keys(p.style).length > 0) serialization[p.in] = { ...serialization[p.in], [p.name]: p.style };
  }
  const responses = resolve(operation.responses);
  return {
    ...(typeof operation.operationId === "string" && { operationId: operation.operationId }),
    method,
    path,
    pathParams: Array.from(path.matchAll(/\{([^{}]+)\}/g), (m) => m[1] as string),
    query: offered.filter((name) => !RESERVED_OPTIONS.has(name)),
    ...(model && { queryModel: model.name }),
    ...(paginated && { paginated }),
    ...(Object.keys(serialization).length > 0 && { serialization }),
    ...(method === "delete" && isRecord(responses) && "409" in responses && { conflictMeansDone: true }),
  };
}

/** The operation index of a bundle, by method name (code-point order). */
export function buildOperationIndex(bundle: Record<string, unknown>): Map<string, OperationEntry> {
  const found = new Map<string, OperationEntry>();
  const paths = isRecord(bundle.paths) ? bundle.paths : {};
  const problems: string[] = [];
  const resolve = resolver(bundle);
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(rawItem);
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const entry = entryFor(path, method, item, operation, resolve);
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
