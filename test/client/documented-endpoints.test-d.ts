/**
 * Types of the Devin entry over the documented endpoints (generated/): these name operations
 * of the live spec and are expected to break when the docs replace them. The client's types in
 * general are tested over the fixture API (client.test-d.ts).
 */
import { describe, expectTypeOf, test } from "vitest";
import { type components, createDevinClient, type DevinResult, type Paginator } from "../../src/index.ts";

type ApiKey = components["schemas"]["ApiKeyResponse"];
type Page = components["schemas"]["PaginatedResponse_ApiKeyResponse_"];

describe("documented endpoints: the Devin entry", () => {
  const devin = createDevinClient({ token: "cog_x" });

  test("every generated operation is a named method", () => {
    expectTypeOf(devin.listServiceUserApiKeys("service-user-a", { status: "active" })).toEqualTypeOf<
      Paginator<ApiKey, Page>
    >();
  });

  test("DevinResult of a DELETE that declares 409 includes already_revoked", () => {
    type Revoke = DevinResult<"revokeServiceUserApiKey">;
    expectTypeOf<Extract<Revoke, { kind: "already_revoked" }>["retried"]>().toEqualTypeOf<true>();
    expectTypeOf<Extract<Revoke, { kind: "ok" }>["data"]>().toEqualTypeOf<ApiKey>();
  });
});
