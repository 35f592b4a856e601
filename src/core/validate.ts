/**
 * Checks run before any request. The WHATWG URL parser resolves `.` and `..` segments (also
 * written `%2e`), so a path parameter of ".." would send the request, and the bearer token,
 * to a different endpoint. Empty and dot-segment values are refused, and so is a path
 * template that holds a dot segment of its own (untyped callers can pass any string).
 */

const PARAM = /\{([^{}]+)\}/g;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
// Visible ASCII only: whitespace, control characters (header injection) and non-ASCII (fetch throws) are refused.
const TOKEN = /^[\x21-\x7e]+$/;

const names = new Map<string, string[]>();

/** The parameter names in a path template, cached per template. */
export function paramNames(path: string): string[] {
  let list = names.get(path);
  if (!list) {
    list = Array.from(path.matchAll(PARAM), (m) => m[1] as string);
    // Bounded like `templates`: untyped callers may build paths on the fly.
    if (names.size < 1000) names.set(path, list);
  }
  return list;
}

/** A message for a path parameter that is absent, or undefined when present. */
export function checkPresent(name: string, value: unknown): string | undefined {
  return value === undefined || value === null ? `path parameter \`${name}\` is missing` : undefined;
}

/** A message for a serialised path parameter that would change which endpoint is addressed. */
export function checkSegment(name: string, serialized: string): string | undefined {
  if (serialized === "" || DOT_SEGMENT.test(serialized)) {
    return `path parameter \`${name}\` must not be empty or a dot segment (".", "..")`;
  }
  return undefined;
}

const templates = new Map<string, string | undefined>();

/** A message when the template itself holds a dot segment, or undefined; cached per template. */
export function checkTemplate(path: string): string | undefined {
  if (templates.has(path)) return templates.get(path);
  const message = unsafePath(path);
  if (templates.size < 1000) templates.set(path, message);
  return message;
}

/**
 * A message when a path would leave the API's origin or path: one that does not start with
 * `/` (`.evil.example/x` or `:8443/x` appended to the base URL change its host or port), or
 * that holds `\` (read as `/`) or a control character (tab and line breaks are dropped by the
 * URL parser, so `.\t.` becomes `..`), or a dot segment.
 */
export function unsafePath(path: string): string | undefined {
  if (!path.startsWith("/")) return "the path template must start with `/`";
  if (/[\\\p{Cc}]/u.test(path)) return "the path template holds a backslash or a control character";
  const bad = path
    .split(/[?#]/, 1)[0]
    ?.split("/")
    .find((segment) => DOT_SEGMENT.test(segment));
  return bad === undefined ? undefined : `the path template holds the dot segment "${bad}"`;
}

/** Throws (without echoing the token) when it is missing or could corrupt the Authorization header. */
export function checkToken(token: string | undefined, hint: string): string {
  if (!token) throw new TypeError(`No API token: ${hint}`);
  if (!TOKEN.test(token)) {
    throw new TypeError("The API token contains whitespace, control or non-ASCII characters; check how it was copied");
  }
  return token;
}
