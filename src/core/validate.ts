/**
 * Checks run before any request. openapi-fetch percent-encodes path parameters with
 * encodeURIComponent, which leaves "." alone: an ID of ".." would make the WHATWG URL
 * parser resolve `/service-users/../api-keys` to a different endpoint and send the bearer
 * token there. So empty and dot-segment values are refused, encoded forms included.
 */

const PARAM = /\{([^{}]+)\}/g;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
// Visible ASCII only: whitespace, control characters (header injection) and non-ASCII (fetch throws) are refused.
const TOKEN = /^[\x21-\x7e]+$/;

const names = new Map<string, string[]>();

/** The parameter names in a path template, cached per template. */
function paramNames(path: string): string[] {
  let list = names.get(path);
  if (!list) {
    list = Array.from(path.matchAll(PARAM), (m) => m[1] as string);
    names.set(path, list);
  }
  return list;
}

/** A message for the first bad parameter, or undefined when all are safe. */
export function checkParams(
  path: string,
  params: { path?: Record<string, unknown>; query?: Record<string, unknown> } | undefined,
): [param: string, message: string] | undefined {
  for (const name of paramNames(path)) {
    const value = params?.path?.[name];
    if (typeof value !== "string" && typeof value !== "number") {
      return [name, `path parameter \`${name}\` is missing or not a string`];
    }
    const text = String(value);
    if (text === "" || DOT_SEGMENT.test(text)) {
      return [name, `path parameter \`${name}\` must not be empty or a dot segment (".", "..")`];
    }
  }
  const first = params?.query?.first;
  if (first !== undefined && !(Number.isInteger(first) && (first as number) >= 1)) {
    return ["first", "query parameter `first` must be an integer >= 1"];
  }
  return undefined;
}

/** Throws (without echoing the token) when it is missing or could corrupt the Authorization header. */
export function checkToken(token: string | undefined): string {
  if (!token) throw new TypeError("No API token: pass `token` to createDevinClient or set DEVIN_API_KEY");
  if (!TOKEN.test(token)) {
    throw new TypeError("The API token contains whitespace, control or non-ASCII characters; check how it was copied");
  }
  return token;
}
