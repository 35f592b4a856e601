/**
 * Parameter serialisation as the spec declares it (OpenAPI 3.1 §4.8.12.4, "Style Values"),
 * with OpenAPI's defaults where a parameter declares none: path `simple`, query `form` with
 * `explode`, header `simple`, cookie `form`.
 *
 * Why not openapi-fetch's serialisers: they send every object query parameter as `deepObject`
 * (`qs[first]=5`) whatever the spec says, and throw on an array inside an object, which a
 * FastAPI query model (one object parameter holding `first`, `after` and list filters) needs
 * (openapi-fetch issues #1533, #1608, #1388). Here each parameter is sent as declared, and a
 * value that cannot be sent throws `SerializeError`, which the client reports as
 * `invalid_input` before anything is sent.
 */

export interface ParamStyle {
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  /** The parameter declares `content` instead of `schema`: its value is sent as this media type. */
  readonly content?: string;
}

export type ParamLocation = "path" | "query" | "header" | "cookie";
export type StyleTable = { readonly [L in ParamLocation]?: { readonly [name: string]: ParamStyle } };

/** A parameter value that cannot be serialised: names the parameter and what is wrong. */
export class SerializeError extends Error {
  override readonly name = "SerializeError";
  constructor(
    readonly param: string,
    readonly what: string,
  ) {
    super(what);
  }
}

/** OpenAPI 3.1 §4.8.12.4: the default `style` per location; `explode` defaults to true only for `form`. */
export const DEFAULT_STYLE: Readonly<Record<ParamLocation, string>> = {
  path: "simple",
  query: "form",
  header: "simple",
  cookie: "form",
};

type Leaf = string | number | boolean | bigint;

function styleOf(table: StyleTable | undefined, location: ParamLocation, name: string) {
  const declared = table?.[location]?.[name];
  const style = declared?.style ?? DEFAULT_STYLE[location];
  return {
    style,
    explode: declared?.explode ?? style === "form",
    allowReserved: declared?.allowReserved === true,
    content: declared?.content,
  };
}

function leaf(param: string, value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new SerializeError(param, `${where} must be a finite number, not ${value}`);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value as Leaf);
  }
  throw new SerializeError(param, `${where} must be a string, number or boolean, not ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date (send `date.toISOString()`, or what the spec asks for)";
  return typeof value === "object" ? "an object" : typeof value;
}

/** A value sent as JSON (`content: application/json`); refuses what JSON cannot hold. */
function json(param: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new SerializeError(param, `\`${param}\` cannot be sent as JSON: ${(error as Error).message}`);
  }
  if (text === undefined)
    throw new SerializeError(param, `\`${param}\` cannot be sent as JSON: it is a ${typeof value}`);
  return text;
}

// RFC 3986 reserved characters that `allowReserved` lets through unencoded. `#` stays encoded:
// a literal one would end the URL's query and start its fragment.
const RESERVED = /%(3A|2F|3F|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;

function encoder(param: string, allowReserved: boolean): (text: string) => string {
  return (text) => {
    let encoded: string;
    try {
      encoded = encodeURIComponent(text);
    } catch {
      // encodeURIComponent throws URIError on a lone surrogate: the text is not valid Unicode.
      throw new SerializeError(param, `\`${param}\` contains a lone surrogate (not valid Unicode text)`);
    }
    return allowReserved ? encoded.replace(RESERVED, (m) => decodeURIComponent(m)) : encoded;
  };
}

/**
 * Entries of an object value whose property values are present. Only plain objects have
 * properties to send: a Date or a Map would silently send nothing.
 */
function entriesOf(param: string, value: object, where: string): [string, unknown][] {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new SerializeError(param, `${where} must be a plain object, not ${describe(value)}`);
  }
  return Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
}

/** One path parameter's value, encoded, to put in place of `{name}` (`.v` for label, `;name=v` for matrix). */
export function serializePathParam(name: string, value: unknown, table?: StyleTable): string {
  const { style, explode, content } = styleOf(table, "path", name);
  const enc = encoder(name, false);
  if (content !== undefined) return enc(json(name, value));
  const prefix = style === "label" ? "." : style === "matrix" ? ";" : "";
  if (style !== "simple" && style !== "label" && style !== "matrix") {
    throw new SerializeError(name, `style \`${style}\` is not defined for path parameters`);
  }
  const named = (v: string) => (style === "matrix" ? `${enc(name)}=${v}` : v);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => enc(leaf(name, v, `item ${i} of path parameter \`${name}\``)));
    if (!explode) return `${prefix}${named(items.join(","))}`;
    const sep = style === "simple" ? "," : prefix;
    return `${prefix}${items.map((v) => (style === "matrix" ? named(v) : v)).join(sep)}`;
  }
  if (typeof value === "object" && value !== null) {
    const pairs = entriesOf(name, value, `parameter \`${name}\``).map(([k, v]) => [
      enc(k),
      enc(leaf(name, v, `property \`${k}\` of \`${name}\``)),
    ]);
    if (!explode) return `${prefix}${named(pairs.map(([k, v]) => `${k},${v}`).join(","))}`;
    const sep = style === "simple" ? "," : prefix;
    return `${prefix}${pairs.map(([k, v]) => `${k}=${v}`).join(sep)}`;
  }
  return `${prefix}${named(enc(leaf(name, value, `path parameter \`${name}\``)))}`;
}

/** The query string (without `?`) for `query`, in the order of its keys. */
export function serializeQuery(query: Record<string, unknown> | undefined, table?: StyleTable): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const { style, explode, allowReserved, content } = styleOf(table, "query", name);
    const enc = encoder(name, allowReserved);
    const key = encoder(name, false)(name);
    if (content !== undefined) {
      parts.push(`${key}=${enc(json(name, value))}`);
      continue;
    }
    const delimiter = { form: ",", spaceDelimited: "%20", pipeDelimited: "|" }[style];
    if (style === "deepObject") {
      if (typeof value !== "object" || Array.isArray(value)) {
        throw new SerializeError(name, `query parameter \`${name}\` has style deepObject, so it must be an object`);
      }
      for (const [k, v] of entriesOf(name, value, `parameter \`${name}\``)) {
        const values = Array.isArray(v) ? v : [v];
        values.forEach((item, i) => {
          const where = Array.isArray(v) ? `item ${i} of \`${name}.${k}\`` : `property \`${k}\` of \`${name}\``;
          parts.push(`${key}[${encoder(name, false)(k)}]=${enc(leaf(name, item, where))}`);
        });
      }
      continue;
    }
    if (delimiter === undefined) {
      throw new SerializeError(name, `style \`${style}\` is not defined for query parameters`);
    }
    if (Array.isArray(value)) {
      const items = value.map((v, i) => enc(leaf(name, v, `item ${i} of query parameter \`${name}\``)));
      if (items.length === 0) continue;
      if (explode) for (const v of items) parts.push(`${key}=${v}`);
      else parts.push(`${key}=${items.join(delimiter)}`);
      continue;
    }
    if (typeof value === "object") {
      if (explode && style === "form") {
        // Each property is a query parameter of its own; an array property repeats its name
        // (`tags=a&tags=b`), as FastAPI reads list fields of a query model.
        for (const [k, v] of entriesOf(name, value, `parameter \`${name}\``)) {
          const values = Array.isArray(v) ? v : [v];
          values.forEach((item, i) => {
            const where = Array.isArray(v) ? `item ${i} of \`${name}.${k}\`` : `property \`${k}\` of \`${name}\``;
            parts.push(`${encoder(name, false)(k)}=${enc(leaf(name, item, where))}`);
          });
        }
      } else {
        const flat = entriesOf(name, value, `parameter \`${name}\``).flatMap(([k, v]) => [
          encoder(name, false)(k),
          enc(leaf(name, v, `property \`${k}\` of \`${name}\``)),
        ]);
        // An object with no properties is undefined in RFC 6570 terms: nothing is sent.
        if (flat.length > 0) parts.push(`${key}=${flat.join(delimiter)}`);
      }
      continue;
    }
    parts.push(`${key}=${enc(leaf(name, value, `query parameter \`${name}\``))}`);
  }
  return parts.join("&");
}

// Visible ASCII, space and tab: what a header value may hold without being corrupted or
// splitting into another header (CR, LF and other controls are refused).
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Header parameters as header values (style `simple`: arrays and objects comma-joined). */
export function serializeHeaders(
  header: Record<string, unknown> | undefined,
  table?: StyleTable,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(header ?? {})) {
    if (value === undefined || value === null) continue;
    const { explode, content } = styleOf(table, "header", name);
    let text: string;
    if (content !== undefined) text = json(name, value);
    else if (Array.isArray(value))
      text = value.map((v, i) => leaf(name, v, `item ${i} of header \`${name}\``)).join(",");
    else if (typeof value === "object") {
      const pairs = entriesOf(name, value, `parameter \`${name}\``).map(([k, v]) => [
        k,
        leaf(name, v, `property \`${k}\` of header \`${name}\``),
      ]);
      text = pairs.map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`)).join(",");
    } else text = leaf(name, value, `header \`${name}\``);
    if (!HEADER_VALUE.test(text)) {
      throw new SerializeError(name, `header \`${name}\` contains control or non-ASCII characters`);
    }
    out[name] = text;
  }
  return out;
}

/** Cookie parameters as one `Cookie` header value (`a=1; b=2`), or undefined when there are none. */
export function serializeCookies(cookie: Record<string, unknown> | undefined, table?: StyleTable): string | undefined {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(cookie ?? {})) {
    if (value === undefined || value === null) continue;
    const { explode, content } = styleOf(table, "cookie", name);
    const enc = encoder(name, false);
    const what = `cookie \`${name}\``;
    if (content !== undefined) pairs.push(`${enc(name)}=${enc(json(name, value))}`);
    else if (typeof value === "object" && explode) {
      // Form style with explode would make each item or property a cookie of its own name.
      throw new SerializeError(name, `${what}: arrays and objects can only be sent with explode: false`);
    } else if (Array.isArray(value)) {
      pairs.push(`${enc(name)}=${value.map((v, i) => enc(leaf(name, v, `item ${i} of ${what}`))).join(",")}`);
    } else if (typeof value === "object") {
      const flat = entriesOf(name, value, what).flatMap(([k, v]) => [
        enc(k),
        enc(leaf(name, v, `property \`${k}\` of ${what}`)),
      ]);
      pairs.push(`${enc(name)}=${flat.join(",")}`);
    } else pairs.push(`${enc(name)}=${enc(leaf(name, value, what))}`);
  }
  return pairs.length > 0 ? pairs.join("; ") : undefined;
}
