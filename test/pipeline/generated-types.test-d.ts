import { describe, expectTypeOf, it } from "vitest";
import type { paths } from "../../generated/schema.ts";

type List = paths["/v3beta1/enterprise/service-users/{service_user_id}/api-keys"]["get"];
type Revoke = paths["/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}"]["delete"];

describe("generated/schema.ts", () => {
  it("types the pagination parameters the overlay adds to the list operation", () => {
    type Query = NonNullable<List["parameters"]["query"]>;
    expectTypeOf<Query["after"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Query["first"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Query["status"]>().toEqualTypeOf<"active" | "revoked" | "expired" | "all" | undefined>();
  });

  it("types 404 and 409 on revoke, from its prose", () => {
    expectTypeOf<keyof Revoke["responses"]>().toEqualTypeOf<200 | 401 | 403 | 404 | 409 | 422 | 429>();
    type NotFound = Revoke["responses"][404]["content"]["application/json"];
    expectTypeOf<NotFound>().toHaveProperty("detail");
  });

  it("gives every operation 401, 403 and 429", () => {
    expectTypeOf<keyof List["responses"]>().toEqualTypeOf<200 | 401 | 403 | 422 | 429>();
  });

  it("types the paginated response", () => {
    type Page = List["responses"][200]["content"]["application/json"];
    expectTypeOf<Page["items"][number]["api_key_id"]>().toEqualTypeOf<string>();
    expectTypeOf<Page["end_cursor"]>().toEqualTypeOf<string | null | undefined>();
  });
});
