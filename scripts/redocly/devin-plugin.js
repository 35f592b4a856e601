// Redocly plugin with the rules the Devin docs need beyond `recommended`: prose that says
// more than the schema. Plain JavaScript so that `redocly lint` loads it as well as the
// pipeline. The rules judge the bundle (after overlays): see `apis.devin` in redocly.yaml.

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// HTTP status codes registered in RFC 9110 and its companions; other 3-digit numbers in prose
// ("bis zu 250 Einträge") are not statuses.
const REGISTERED = new Set(
  "100 101 102 103 200 201 202 203 204 205 206 207 208 226 300 301 302 303 304 305 307 308 400 401 402 403 404 405 406 407 408 409 410 411 412 413 414 415 416 417 421 422 423 424 425 426 428 429 431 451 500 501 502 503 504 505 506 507 508 510 511".split(
    " ",
  ),
);
// Words near a number that make it a status: German and English, as the docs mix both.
const STATUS_CONTEXT =
  /\b(gibt|zur[uü]ck|liefert|antwortet|antwort|status|statuscode|http|code|fehler|returns?|respond(s|ed)?|response|error|answers?|wenn|falls|if|when)\b/i;
// A number followed by a unit or a count is a quantity, not a status ("500 Einträge", "200 items").
const QUANTITY =
  /^\s*(eintr[aä]ge|elemente|entries|items|keys|schl[uü]ssel|sekunden|seconds|ms|millisekunden|minuten|minutes|zeichen|characters|bytes|%)/i;

/**
 * The HTTP statuses a description names, e.g. "Gibt 404 zurück, ... und 409, wenn ..." → 404, 409.
 * @param {string} text
 * @returns {string[]}
 */
export function statusesNamedIn(text) {
  const found = new Set();
  for (const match of text.matchAll(/(?<![\w.])([1-5]\d{2})(?![\w.])/g)) {
    const code = match[1];
    const start = match.index ?? 0;
    const end = start + code.length;
    if (!REGISTERED.has(code) || QUANTITY.test(text.slice(end))) continue;
    const around = `${text.slice(Math.max(0, start - 40), start)} ${text.slice(end, end + 40)}`;
    if (STATUS_CONTEXT.test(around)) found.add(code);
  }
  return [...found];
}

/** An operation whose summary or description names a status its responses do not declare. */
function StatusInProseDeclared() {
  return {
    Operation(operation, { report, location }) {
      const prose = ["summary", "description"].filter((field) => typeof operation[field] === "string");
      const declared = new Set(Object.keys(operation.responses ?? {}).map((k) => k.toUpperCase()));
      for (const field of prose) {
        for (const code of statusesNamedIn(operation[field])) {
          if (declared.has(code) || declared.has(`${code[0]}XX`)) continue;
          report({
            message: `The ${field} names HTTP ${code}, but the operation declares no ${code} response. Declare it (an overlay in spec/overlays/) or fix the prose.`,
            location: location.child([field]),
          });
        }
      }
    },
  };
}

/**
 * An operation that answers the paginated shape (items, has_next_page, end_cursor; v3 concept
 * page "Pagination") must accept `after`, or a caller can never reach the second page. The
 * cursor is either a query parameter of its own or a property of an object query parameter
 * (a FastAPI query model: one parameter, e.g. `qs`, whose schema holds `first`, `after` and the
 * filters), so the names inside object query parameters count too.
 */
function PaginatedResponseHasCursor() {
  const resolved = (node, ctx) => (node && typeof node === "object" && "$ref" in node ? ctx.resolve(node).node : node);
  /** The property names of an object schema, through $refs and allOf. */
  const propertyNames = (schema, ctx, seen = new Set()) => {
    const node = resolved(schema, ctx);
    if (!node || typeof node !== "object" || seen.has(node)) return [];
    seen.add(node);
    return [
      ...Object.keys(node.properties ?? {}),
      ...(Array.isArray(node.allOf) ? node.allOf.flatMap((part) => propertyNames(part, ctx, seen)) : []),
    ];
  };
  const queryNames = (params, ctx) =>
    (Array.isArray(params) ? params : [])
      .map((p) => resolved(p, ctx))
      .filter((p) => p?.in === "query")
      .flatMap((p) => [p.name, ...propertyNames(p.schema, ctx)]);
  return {
    PathItem(pathItem, ctx) {
      const shared = queryNames(pathItem.parameters, ctx);
      for (const method of METHODS) {
        const operation = pathItem[method];
        if (!operation) continue;
        const ok = resolved(operation.responses?.["200"], ctx);
        const media = resolved(ok?.content?.["application/json"], ctx);
        const schema = resolved(media?.schema, ctx);
        const props = schema?.properties ?? {};
        if (!("items" in props && "has_next_page" in props && "end_cursor" in props)) continue;
        if ([...shared, ...queryNames(operation.parameters, ctx)].includes("after")) continue;
        ctx.report({
          message: `${method.toUpperCase()} answers a paginated response (items, has_next_page, end_cursor) but declares no \`after\` query parameter (nor an object query parameter with an \`after\` property), so the next page cannot be requested. Declare it (an overlay in spec/overlays/, citing the docs) or fix the response schema.`,
          location: ctx.location.child([method]),
        });
      }
    },
  };
}

export default function devinPlugin() {
  return {
    id: "devin",
    rules: {
      oas3: {
        "status-in-prose-declared": StatusInProseDeclared,
        "paginated-response-has-cursor": PaginatedResponseHasCursor,
      },
    },
  };
}
