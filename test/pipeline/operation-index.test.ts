import { describe, expect, test } from "vitest";
import { buildOperationIndex, methodName, operationIndexSource } from "../../scripts/build/operation-index.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/shared/pipeline-error.ts";

describe("method names", () => {
  test.each([
    [
      "strips handle_ and the FastAPI path-and-method suffix",
      "handle_list_service_user_api_keys_v3beta1_enterprise_service_users__service_user_id__api_keys_get",
      "get",
      "/v3beta1/enterprise/service-users/{service_user_id}/api-keys",
      "listServiceUserApiKeys",
    ],
    ["keeps an id without the suffix, camelCased", "handle_revoke_key", "delete", "/v3/keys/{key_id}", "revokeKey"],
    ["camelCases an id that is camelCase already", "listSessions", "get", "/v3/sessions", "listSessions"],
    ["splits kebab and dotted ids", "sessions.list-all", "get", "/v3/sessions", "sessionsListAll"],
    [
      "names an operation without an id by method and path",
      undefined,
      "get",
      "/v3/organizations/{org_id}/sessions",
      "getV3OrganizationsOrgIdSessions",
    ],
    ["keeps a bare `handle`", "handle", "get", "/x", "handle"],
    ["prefixes a name that would start with a digit", "2fa_reset", "post", "/v3/2fa", "op2faReset"],
  ])("%s", (_name, operationId, method, path, want) => {
    expect(methodName(operationId, method, path)).toBe(want);
  });
});

const ok = { "200": { description: "ok" } };
const op = (operationId: string, extra: Record<string, unknown> = {}) => ({ operationId, responses: ok, ...extra });

describe("the operation index", () => {
  test("two operations mapping to one name fail the pipeline, naming both", () => {
    const bundle = {
      paths: {
        "/v3beta1/items": { get: op("handle_list_items_v3beta1_items_get") },
        "/v3/items": { get: op("handle_list_items_v3_items_get") },
      },
    };
    expect.assertions(4);
    try {
      buildOperationIndex(bundle);
    } catch (error) {
      expect(isPipelineError(error)).toBe(true);
      const text = formatPipelineError(error as never);
      expect(text).toContain("GET /v3beta1/items (operationId handle_list_items_v3beta1_items_get)");
      expect(text).toContain("GET /v3/items (operationId handle_list_items_v3_items_get)");
      expect(text).toMatch(/both map to the method name `listItems`[\s\S]*Follow only one of the two pages/);
    }
  });

  test("a name the client reserves fails the pipeline", () => {
    expect(() => buildOperationIndex({ paths: { "/p": { get: op("paginate") } } })).toThrow(
      /GET \/p \(operationId paginate\) maps to the method name `paginate`, which the client reserves/,
    );
  });

  test("records path parameters in template order, query names, and a DELETE that declares 409", () => {
    const index = buildOperationIndex({
      paths: {
        "/v3/orgs/{org_id}/keys/{key_id}": {
          parameters: [{ name: "key_id", in: "path", required: true, schema: { type: "string" } }],
          delete: op("revoke", {
            parameters: [
              { name: "org_id", in: "path", required: true, schema: { type: "string" } },
              { name: "reason", in: "query", schema: { type: "string" } },
              { name: "signal", in: "query", schema: { type: "string" } },
            ],
            responses: { ...ok, "409": { description: "conflict" } },
          }),
        },
      },
    });
    expect(index.get("revoke")).toEqual({
      operationId: "revoke",
      method: "delete",
      path: "/v3/orgs/{org_id}/keys/{key_id}",
      pathParams: ["org_id", "key_id"],
      // `signal` is an option name of every method: it is passed inside `query` instead.
      query: ["reason"],
      conflictMeansDone: true,
    });
  });

  const page = (item: object) => ({
    "200": {
      description: "ok",
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: {
              items: { type: "array", items: item },
              has_next_page: { type: "boolean" },
              end_cursor: { type: "string" },
            },
          },
        },
      },
    },
  });

  test("a paginated GET with top-level first and after", () => {
    const index = buildOperationIndex({
      paths: {
        "/things": {
          get: op("listThings", {
            parameters: [
              { name: "first", in: "query", schema: { type: "integer" } },
              { name: "after", in: "query", schema: { type: "string" } },
            ],
            responses: page({ type: "string" }),
          }),
        },
      },
    });
    expect(index.get("listThings")).toMatchObject({
      query: ["first", "after"],
      paginated: { after: ["after"], first: ["first"] },
    });
    expect(index.get("listThings")).not.toHaveProperty("queryModel");
  });

  test("a FastAPI query model: its properties are the options, the cursor sits inside it", () => {
    const index = buildOperationIndex({
      components: {
        schemas: {
          Query: {
            allOf: [
              { type: "object", properties: { first: { type: "integer" }, after: { type: "string" } } },
              { type: "object", properties: { tags: { type: "array", items: { type: "string" } } } },
            ],
          },
        },
      },
      paths: {
        "/things": {
          get: op("listThings", {
            parameters: [{ name: "qs", in: "query", schema: { $ref: "#/components/schemas/Query" } }],
            responses: page({ type: "string" }),
          }),
        },
      },
    });
    expect(index.get("listThings")).toMatchObject({
      queryModel: "qs",
      query: ["first", "after", "tags"],
      paginated: { after: ["qs", "after"], first: ["qs", "first"] },
    });
  });

  test("finds the cursor inside an object query parameter that is not the only query parameter", () => {
    const index = buildOperationIndex({
      paths: {
        "/things": {
          get: op("listThings", {
            parameters: [
              {
                name: "qs",
                in: "query",
                schema: { type: "object", properties: { first: { type: "integer" }, after: { type: "string" } } },
              },
              { name: "x", in: "query", schema: { type: "string" } },
            ],
            responses: page({ type: "string" }),
          }),
        },
      },
    });
    // Two query parameters: no query model, so `qs` is an option of its own; pagination still
    // knows where its cursor goes.
    expect(index.get("listThings")).toMatchObject({
      query: ["qs", "x"],
      paginated: { after: ["qs", "after"], first: ["qs", "first"] },
    });
    expect(index.get("listThings")).not.toHaveProperty("queryModel");
  });

  test("records a parameter's serialisation only where it differs from OpenAPI's default", () => {
    const index = buildOperationIndex({
      paths: {
        "/things/{id}": {
          get: op("getThing", {
            parameters: [
              { name: "id", in: "path", required: true, style: "simple", schema: { type: "string" } },
              { name: "ids", in: "query", style: "form", explode: true, schema: { type: "array" } },
              { name: "csv", in: "query", explode: false, schema: { type: "array" } },
              { name: "filter", in: "query", style: "deepObject", explode: true, schema: { type: "object" } },
              { name: "spaced", in: "query", style: "spaceDelimited", schema: { type: "array" } },
              { name: "piped", in: "query", style: "pipeDelimited", explode: true, schema: { type: "array" } },
              { name: "raw", in: "query", allowReserved: true, schema: { type: "string" } },
              { name: "json", in: "query", content: { "application/json": { schema: { type: "object" } } } },
              { name: "x-list", in: "header", explode: true, schema: { type: "array" } },
            ],
          }),
        },
      },
    });
    expect(index.get("getThing")?.serialization).toEqual({
      query: {
        csv: { explode: false },
        // explode defaults by the declared style (false for all but form), not by the location.
        filter: { style: "deepObject", explode: true },
        spaced: { style: "spaceDelimited" },
        piped: { style: "pipeDelimited", explode: true },
        raw: { allowReserved: true },
        json: { content: "application/json" },
      },
      header: { "x-list": { explode: true } },
    });
  });

  test("the source is an `as const` object keyed by method name, in code-point order", () => {
    const source = operationIndexSource({ paths: { "/b": { get: op("zeta") }, "/a": { get: op("alpha") } } });
    expect(source).toMatch(/export const operationIndex = \{\n {4}"alpha": \{[\s\S]*"zeta": \{[\s\S]*\} as const;\n$/);
  });
});
