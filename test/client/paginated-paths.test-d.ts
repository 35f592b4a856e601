/**
 * `PaginatedPaths` (src/core/types.ts), one rule at a time: a path is accepted by `paginate`
 * only if it has a GET, whose success body is a page (an `items` array) that declares
 * `has_next_page`. Each "rejected" case has a GET that exists, so it can fail only for its rule.
 */
import { describe, expectTypeOf, test } from "vitest";
import type { PaginatedPaths } from "../../src/index.ts";
import type { FixturePaths } from "./helpers.ts";
import { createFixtureClient, SECRET, type SECRETS, type SESSIONS } from "./helpers.ts";

interface Widget {
  id: string;
}
/** An operation whose 200 body is `Body`. */
type Op<Body> = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  requestBody?: never;
  responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": Body } } };
};
type Page = { items: Widget[]; has_next_page: boolean; end_cursor?: string | null };

describe("PaginatedPaths", () => {
  test("accepts a GET whose body is a page, also when has_next_page is optional", () => {
    expectTypeOf<PaginatedPaths<{ "/p": { get: Op<Page> } }>>().toEqualTypeOf<"/p">();
    expectTypeOf<
      PaginatedPaths<{ "/p": { get: Op<{ items: Widget[]; has_next_page?: boolean }> } }>
    >().toEqualTypeOf<"/p">();
  });

  test("rejects a path whose page comes from another method than GET", () => {
    expectTypeOf<PaginatedPaths<{ "/p": { post: Op<Page> } }>>().toBeNever();
  });

  test("rejects a GET whose body is not a page", () => {
    expectTypeOf<PaginatedPaths<{ "/p": { get: Op<Widget> } }>>().toBeNever();
    expectTypeOf<PaginatedPaths<{ "/p": { get: Op<{ items: string; has_next_page: boolean }> } }>>().toBeNever();
  });

  test("rejects a GET whose list does not declare has_next_page", () => {
    expectTypeOf<PaginatedPaths<{ "/p": { get: Op<{ items: Widget[]; total: number }> } }>>().toBeNever();
  });

  test("picks exactly the two lists of the fixture API out of its three GET paths", () => {
    expectTypeOf<PaginatedPaths<FixturePaths>>().toEqualTypeOf<typeof SESSIONS | typeof SECRETS>();
  });

  test("paginate refuses a GET path that is not paginated, with otherwise complete arguments", () => {
    const client = createFixtureClient({ token: "cog_x" });
    client.GET(SECRET, { params: { path: { org_id: "o", secret_id: "s" } } });
    // @ts-expect-error the single secret exists as a GET (the call above compiles) but is no page
    client.paginate(SECRET, { params: { path: { org_id: "o", secret_id: "s" } } });
  });
});
