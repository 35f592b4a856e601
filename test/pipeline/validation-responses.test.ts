/**
 * 422 in the bundle: spec/overlays/20-error-responses.yaml declares one schema under both
 * media types, so a validator that matches application/problem+json to application/json (as
 * some mock and proxy servers do) accepts both documented bodies whichever it picks.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SpecValidator } from "../sandbox/spec-validator.ts";
import { FIXTURE_PROJECT, REPO } from "./helpers.ts";

const MEDIA_TYPES = ["application/json", "application/problem+json"];

// The two bodies the API overview documents for a 422.
const BODIES = {
  // "Legacy error bodies are {"detail": ...} (a string, or a list of {loc, msg, type} for 422)"
  legacy: {
    detail: [
      { loc: ["query", "first"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" },
    ],
  },
  // "RFC 9457 problem details (type, title, status, detail, instance), keeping detail"
  problem: {
    type: "about:blank",
    title: "Unprocessable Content",
    status: 422,
    detail: "query.first: Input should be greater than or equal to 1",
    instance: "/v3/somewhere",
  },
};

type Json = Record<string, unknown>;

/** Every operation of the bundle that declares 422, as [method, path template]. */
function operationsWith422(document: Json): [string, string][] {
  const out: [string, string][] = [];
  for (const [template, pathItem] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      const responses = (operation as Json | undefined)?.responses as Json | undefined;
      if (responses !== undefined && "422" in responses) out.push([method.toUpperCase(), template]);
    }
  }
  return out;
}

describe.each([
  ["documented endpoints: generated/devin-api.yaml", path.join(REPO, "generated", "devin-api.yaml")],
  [
    "fixture project: test/fixtures/project/generated/devin-api.yaml",
    path.join(FIXTURE_PROJECT, "generated", "devin-api.yaml"),
  ],
])("422 in %s", (_label, bundlePath) => {
  const spec = new SpecValidator(readFileSync(bundlePath, "utf8"));
  const operations = operationsWith422(spec.document);

  it("is declared by some operation", () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  it.each(operations)("%s %s declares 422 as application/json and application/problem+json", (method, template) => {
    expect(spec.declaredContentTypes(method, template, 422)?.sort()).toEqual(MEDIA_TYPES);
  });

  const cases = operations.flatMap(([method, template]) =>
    MEDIA_TYPES.flatMap((mediaType) =>
      (Object.keys(BODIES) as (keyof typeof BODIES)[]).map((body) => [method, template, mediaType, body] as const),
    ),
  );
  it.each(cases)("%s %s: 422 %s accepts the %s body", (method, template, mediaType, body) => {
    const result = spec.validateResponse(method, template, 422, mediaType, BODIES[body]);
    expect(result.errors, `${result.schemaPointer}: ${JSON.stringify(result.errors)}`).toEqual([]);
  });

  it.each(MEDIA_TYPES)("422 %s still rejects a body that is neither documented form", (mediaType) => {
    const [method, template] = operations[0] ?? ["", ""];
    // A legacy `detail` list whose items lack `msg` and `type`; not a problem either (`detail` is not a string).
    const result = spec.validateResponse(method, template, 422, mediaType, { detail: [{ loc: ["query"] }] });
    expect(result.errors).not.toEqual([]);
  });
});
