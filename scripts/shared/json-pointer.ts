/**
 * JSON Pointers (RFC 6901) in the URI-fragment form Redocly reports and our messages print:
 * `#/paths/~1v3~1items/get`. The one place that escapes and unescapes them.
 */
export function toPointer(keys: readonly (string | number)[]): string {
  return `#/${keys.map((k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

/** The keys of a pointer; `#/` and `#` give none. Percent-encoding (URI fragments) is decoded too. */
export function pointerKeys(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, "")
    .split("/")
    .filter((k) => k !== "")
    .map((k) => safeDecode(k).replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The value at `keys` inside parsed data, or undefined when any step is missing. */
export function valueAt(data: unknown, keys: readonly (string | number)[]): unknown {
  let node = data;
  for (const key of keys) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}

function safeDecode(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key; // a literal `%` that is not an escape
  }
}
