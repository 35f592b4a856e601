/**
 * Stage 6 (scripts/build/bundle.ts) in process: the walk that checks every `$ref` of the
 * overlaid document is internal and points at one of its nodes, what the error says about each
 * miss (and where), which values it does not look into (data: examples, defaults, …), and the
 * in-memory document it returns when nothing is missing.
 */
import { describe, expect, it } from "vitest";
import { bundleDocument } from "../../scripts/build/bundle.ts";
import { Provenance } from "../../scripts/build/provenance.ts";
import type { PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { pipelineErrorOf } from "./helpers.ts";

type Json = Record<string, unknown>;

const VIRTUAL_REF = "/project/generated/devin-api.yaml";
const HINT = "Define each target (in a fragment, or in the overlay that adds the $ref), or fix the $ref.";
const ITEMS = "spec/fragments/items.yaml";

/** A provenance that says /v3/items came from spec/fragments/items.yaml (and nothing else). */
function itemsProvenance(): Provenance {
  const provenance = new Provenance();
  provenance.record("#/paths/~1v3~1items", ITEMS);
  return provenance;
}

/** An OpenAPI document whose GET /v3/items returns `schema`, with `schemas` as components. */
function documentWith(schema: unknown, schemas: Json = { Item: { type: "object" } }): Json {
  return {
    openapi: "3.1.0",
    paths: {
      "/v3/items": {
        get: { responses: { 200: { description: "OK", content: { "application/json": { schema } } } } },
      },
    },
    components: { schemas },
  };
}

const SCHEMA = "#/paths/~1v3~1items/get/responses/200/content/application~1json/schema";

function bundleError(document: Json, provenance = itemsProvenance()): PipelineError {
  return pipelineErrorOf(() => bundleDocument(document, VIRTUAL_REF, provenance));
}

describe("bundleDocument", () => {
  it("returns the document itself at the virtual ref when each $ref, in objects and arrays, names one of its nodes", () => {
    const document = documentWith(
      {
        type: "object",
        properties: {
          // A property named `$ref` is not a reference: its value is a schema.
          $ref: { type: "string" },
          items: { type: "array", items: { $ref: "#/components/schemas/Item" } },
          spaced: { $ref: "#/components/schemas/Spaced%20Name" },
          escaped: { $ref: "#/components/schemas/a~1b~0c" },
          whole: { $ref: "#" },
          root: { $ref: "#/" },
        },
        allOf: [{ $ref: "#/components/schemas/Item" }, { oneOf: [{ $ref: "#/components/schemas/Item/type" }] }],
      },
      { Item: { type: "object" }, "Spaced Name": { type: "string" }, "a/b~c": { type: "integer" } },
    );
    const copy = structuredClone(document);
    const bundled = bundleDocument(document, VIRTUAL_REF, itemsProvenance());
    expect(bundled.parsed).toBe(document);
    expect(document).toEqual(copy);
    expect(bundled.source.absoluteRef).toBe(VIRTUAL_REF);
    expect(bundled.source.body).toBe(JSON.stringify(document, null, 2));
  });

  it("names a $ref inside an array whose target is missing: its pointer, the fragment it came from, and what to do", () => {
    const document = documentWith({
      allOf: [{ $ref: "#/components/schemas/Item" }, { $ref: "#/components/schemas/Missing" }],
    });
    const error = bundleError(document);
    const location = { file: `devin-api.yaml (bundle; from ${ITEMS})`, pointer: `${SCHEMA}/allOf/1` };
    expect(error.message).toBe("the bundle has 1 unresolved $ref");
    expect(error.locations).toEqual([location]);
    expect(error.hint).toBe(HINT);
    expect(error.details).toEqual([
      {
        locations: [location],
        message: "Can't resolve $ref `#/components/schemas/Missing`: the bundle has no such node",
      },
    ]);
  });

  it("reports every miss at once, in document order, internal and external, each where it is", () => {
    const document = documentWith(
      {
        type: "object",
        properties: {
          pet: { $ref: "other.yaml#/components/schemas/Pet" },
          kind: { $ref: "#/components/schemas/Item/properties/kind" },
        },
      },
      { Item: { type: "object" }, Shared: { $ref: "https://example.com/shared.yaml" } },
    );
    const error = bundleError(document);
    const pet = { file: `devin-api.yaml (bundle; from ${ITEMS})`, pointer: `${SCHEMA}/properties/pet` };
    const kind = { file: `devin-api.yaml (bundle; from ${ITEMS})`, pointer: `${SCHEMA}/properties/kind` };
    const shared = { file: "devin-api.yaml (bundle)", pointer: "#/components/schemas/Shared" };
    expect(error.message).toBe("the bundle has 3 unresolved $refs");
    expect(error.locations).toEqual([pet, kind, shared]);
    expect(error.hint).toBe(HINT);
    expect(error.details).toEqual([
      { locations: [pet], message: "$ref `other.yaml#/components/schemas/Pet` points outside the bundle" },
      {
        locations: [kind],
        message: "Can't resolve $ref `#/components/schemas/Item/properties/kind`: the bundle has no such node",
      },
      { locations: [shared], message: "$ref `https://example.com/shared.yaml` points outside the bundle" },
    ]);
  });

  it("reports a $ref without `#` as outside the bundle, even when its path reads like a node of the bundle", () => {
    const error = bundleError(documentWith({ $ref: "components/schemas/Item" }));
    const location = { file: `devin-api.yaml (bundle; from ${ITEMS})`, pointer: SCHEMA };
    expect(error.message).toBe("the bundle has 1 unresolved $ref");
    expect(error.locations).toEqual([location]);
    expect(error.details).toEqual([
      { locations: [location], message: "$ref `components/schemas/Item` points outside the bundle" },
    ]);
  });

  it("reports a $ref at the root of the document, at the root pointer", () => {
    const error = bundleError({ openapi: "3.1.0", paths: {}, $ref: "#/components" });
    const location = { file: "devin-api.yaml (bundle)", pointer: "#/" };
    expect(error.message).toBe("the bundle has 1 unresolved $ref");
    expect(error.locations).toEqual([location]);
    expect(error.details).toEqual([
      { locations: [location], message: "Can't resolve $ref `#/components`: the bundle has no such node" },
    ]);
  });

  // Values of these keys are data to Redocly's resolver: a `$ref` in them is text, whatever it
  // points at (a JSON Schema `examples` is an array).
  it.each([
    ["examples", [{ $ref: "#/nowhere" }]],
    ["default", { $ref: "other.yaml" }],
    ["const", { $ref: "#/nowhere" }],
    ["enum", [{ $ref: "#/nowhere" }]],
  ])("does not look into `%s`, and still checks the keys beside it", (key, value) => {
    const error = bundleError(
      documentWith({ type: "object", [key]: value, properties: { a: { $ref: "#/components/schemas/Nope" } } }),
    );
    const location = { file: `devin-api.yaml (bundle; from ${ITEMS})`, pointer: `${SCHEMA}/properties/a` };
    expect(error.message).toBe("the bundle has 1 unresolved $ref");
    expect(error.locations).toEqual([location]);
    expect(error.details).toEqual([
      { locations: [location], message: "Can't resolve $ref `#/components/schemas/Nope`: the bundle has no such node" },
    ]);
  });

  // Redocly follows these, so a miss in them breaks the bundle just as well.
  it.each<[string, Json, string]>([
    ["a schema's `example`", { type: "object", example: { $ref: "#/nowhere" } }, `${SCHEMA}/example`],
    [
      "a property named `default`",
      { type: "object", properties: { default: { $ref: "#/nowhere" } } },
      `${SCHEMA}/properties/default`,
    ],
    [
      "a property named `enum`",
      { type: "object", properties: { enum: { $ref: "#/nowhere" } } },
      `${SCHEMA}/properties/enum`,
    ],
  ])("checks a $ref in %s", (_, schema, pointer) => {
    const error = bundleError(documentWith(schema));
    const location = { file: `devin-api.yaml (bundle; from ${ITEMS})`, pointer };
    expect(error.locations).toEqual([location]);
    expect(error.details).toEqual([
      { locations: [location], message: "Can't resolve $ref `#/nowhere`: the bundle has no such node" },
    ]);
  });

  it("checks a $ref in a media type's `examples` map and in the components named `examples` and `default`", () => {
    const document = documentWith({ type: "string" }, { Item: { type: "object" }, default: { $ref: "#/nowhere" } });
    const media = (document.paths as Json)["/v3/items"] as Json;
    const content = (((media.get as Json).responses as Json)[200] as Json).content as Json;
    (content["application/json"] as Json).examples = { one: { $ref: "#/components/examples/Missing" } };
    document.components = { ...(document.components as Json), examples: { Kept: { $ref: "#/nowhere" } } };
    const error = bundleError(document);
    expect(error.details?.map((d) => d.locations[0]?.pointer)).toEqual([
      "#/paths/~1v3~1items/get/responses/200/content/application~1json/examples/one",
      "#/components/schemas/default",
      "#/components/examples/Kept",
    ]);
  });

  it("takes what Redocly takes for data as data: an Example Object's value, and `default` of a property named like a map", () => {
    const document = documentWith({
      type: "object",
      properties: {
        content: { type: "object", default: { $ref: "./x.yaml" } },
        headers: { type: "string", enum: [{ $ref: "#/nowhere" }] },
      },
    });
    const item = (document.paths as Json)["/v3/items"] as Json;
    const media = ((((item.get as Json).responses as Json)[200] as Json).content as Json)["application/json"] as Json;
    media.examples = { one: { value: { $ref: "#/nowhere" } } };
    document.components = { ...(document.components as Json), examples: { Kept: { value: { $ref: "x.yaml" } } } };
    expect(bundleDocument(document, VIRTUAL_REF, itemsProvenance()).parsed).toBe(document);
  });

  it("checks a response named `default` (a name in the map of responses, not data)", () => {
    const document = documentWith({ type: "string" });
    const get = ((document.paths as Json)["/v3/items"] as Json).get as Json;
    (get.responses as Json).default = { $ref: "#/components/responses/Missing" };
    expect(bundleError(document).details?.map((d) => d.locations[0]?.pointer)).toEqual([
      "#/paths/~1v3~1items/get/responses/default",
    ]);
  });

  it("checks a $ref under a `value` key anywhere but in an Example Object", () => {
    const document = documentWith({ type: "string" }, { Item: { type: "object", value: { $ref: "#/nowhere" } } });
    document["x-data"] = { value: { $ref: "#/also-nowhere" } };
    expect(bundleError(document).details?.map((d) => d.locations[0]?.pointer)).toEqual([
      "#/components/schemas/Item/value",
      "#/x-data/value",
    ]);
  });
});
