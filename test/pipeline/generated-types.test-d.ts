import { describe, expectTypeOf, it } from "vitest";
import type { components, paths } from "../../generated/schema.ts";
import type { paths as FixturePaths } from "../fixtures/project/generated/schema.ts";

type List = paths["/v3beta1/enterprise/service-users/{service_user_id}/api-keys"]["get"];
type Revoke = paths["/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}"]["delete"];

describe("generated/schema.ts", () => {
  it("documented endpoints: types the pagination parameters the overlay adds to the list operation", () => {
    type Query = NonNullable<List["parameters"]["query"]>;
    expectTypeOf<Query["after"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Query["first"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Query["status"]>().toEqualTypeOf<"active" | "revoked" | "expired" | "all" | undefined>();
  });

  it("documented endpoints: types 404 and 409 on revoke, from its prose", () => {
    expectTypeOf<keyof Revoke["responses"]>().toEqualTypeOf<200 | 401 | 403 | 404 | 409 | 422 | 429>();
    type NotFound = Revoke["responses"][404]["content"]["application/json"];
    expectTypeOf<NotFound>().toHaveProperty("detail");
  });

  it("documented endpoints: gives every operation 401, 403 and 429", () => {
    expectTypeOf<keyof List["responses"]>().toEqualTypeOf<200 | 401 | 403 | 422 | 429>();
  });

  it("documented endpoints: types 422 as ErrorResponse under both media types (overlay 20)", () => {
    type ErrorResponse = components["schemas"]["ErrorResponse"];
    expectTypeOf<List["responses"][422]["content"]["application/json"]>().toEqualTypeOf<ErrorResponse>();
    expectTypeOf<List["responses"][422]["content"]["application/problem+json"]>().toEqualTypeOf<ErrorResponse>();
    expectTypeOf<Revoke["responses"][422]["content"]["application/json"]>().toEqualTypeOf<ErrorResponse>();
    expectTypeOf<Revoke["responses"][422]["content"]["application/problem+json"]>().toEqualTypeOf<ErrorResponse>();
    // The legacy body's `detail` still admits the {loc, msg, type} list the client reads issues from.
    type Detail = components["schemas"]["LegacyErrorResponse"]["detail"];
    expectTypeOf<Extract<Detail, unknown[]>[number]["loc"]>().toEqualTypeOf<(string | number)[]>();
  });

  it("documented endpoints: types the paginated response, with has_next_page optional", () => {
    type Page = List["responses"][200]["content"]["application/json"];
    expectTypeOf<Page["items"][number]["api_key_id"]>().toEqualTypeOf<string>();
    expectTypeOf<Page["end_cursor"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Page["has_next_page"]>().toEqualTypeOf<boolean | undefined>();
  });
});

// test/fixtures/project/generated/schema.ts: what the pipeline generates from the fixture pages
// (drift.test.ts proves it is current).
type CreateSession = FixturePaths["/v3/organizations/{org_id}/sessions"]["post"];
type ListSessions = FixturePaths["/v3/organizations/{org_id}/sessions"]["get"];

describe("a `default` never makes a property required", () => {
  it("keeps a request-body property with a default optional when it is not required", () => {
    type Body = CreateSession["requestBody"]["content"]["application/json"];
    expectTypeOf<Body["idempotent"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<{ prompt: string }>().toExtend<Body>();
    // @ts-expect-error: `prompt` is required; only the defaulted `idempotent` may be left out.
    expectTypeOf<{ idempotent: false }>().toExtend<Body>();
  });

  it("admits the absence of a response property with a default", () => {
    type Page = ListSessions["responses"][200]["content"]["application/json"];
    expectTypeOf<Page["has_next_page"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<{ items: Page["items"] }>().toExtend<Page>();
  });

  it("keeps a defaulted property of an object query parameter optional", () => {
    type Query = NonNullable<NonNullable<ListSessions["parameters"]["query"]>["qs"]>;
    expectTypeOf<Query["first"]>().toEqualTypeOf<number | undefined>();
  });
});
