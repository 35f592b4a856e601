import { describe, expectTypeOf, test } from "vitest";
import {
  type components,
  createDevinClient,
  type DevinApiError,
  type DevinErrorKind,
  isNotFound,
  type Result,
  type RevokeResult,
  unwrap,
} from "../../src/index.ts";

type ApiKey = components["schemas"]["ApiKeyResponse"];
type Page = components["schemas"]["PaginatedResponse_ApiKeyResponse_"];
type ErrorBody = components["schemas"]["ErrorResponse"];

const client = createDevinClient({ token: "cog_x" });
const LIST = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys";
const REVOKE = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}";
const listParams = { params: { path: { service_user_id: "service-user-a" } } };
const revokeParams = { params: { path: { service_user_id: "service-user-a", api_key_id: "k" } } };

describe("data is typed per operation", () => {
  test("list resolves to a page, revoke to a key", async () => {
    const list = await client.GET(LIST, listParams);
    if (list.kind === "ok") expectTypeOf(list.data).toEqualTypeOf<Page>();
    const revoke = await client.DELETE(REVOKE, revokeParams);
    if (revoke.kind === "ok") expectTypeOf(revoke.data).toEqualTypeOf<ApiKey>();
    expectTypeOf(unwrap(revoke)).toEqualTypeOf<ApiKey>();
  });

  test("error bodies are typed from the operation's declared responses", async () => {
    const revoke = await client.DELETE(REVOKE, revokeParams);
    if (revoke.kind === "not_found") expectTypeOf(revoke.body).toEqualTypeOf<ErrorBody>();
    if (revoke.kind === "rate_limited") expectTypeOf(revoke.retryAfterMs).toEqualTypeOf<number | undefined>();
    if (revoke.kind === "validation")
      expectTypeOf(revoke.issues[0]?.loc).toEqualTypeOf<(string | number)[] | undefined>();
    // The list operation declares no 404: its body is unknown, but the normalised problem is typed.
    const list = await client.GET(LIST, listParams);
    if (list.kind === "not_found") {
      expectTypeOf(list.body).toEqualTypeOf<unknown>();
      expectTypeOf(list.problem.detail).toEqualTypeOf<string | undefined>();
    }
  });

  test("pagination yields typed items and pages", async () => {
    for await (const key of client.paginate(LIST, listParams)) expectTypeOf(key).toEqualTypeOf<ApiKey>();
    for await (const page of client.listServiceUserApiKeys("service-user-a").pages()) {
      expectTypeOf(page).toEqualTypeOf<Page>();
    }
    expectTypeOf(client.listServiceUserApiKeys("s").toArray(10)).resolves.toEqualTypeOf<ApiKey[]>();
  });

  test("type guards narrow", async () => {
    const revoke = await client.DELETE(REVOKE, revokeParams);
    if (isNotFound(revoke)) expectTypeOf(revoke.status).toEqualTypeOf<404>();
  });
});

describe("exhaustive narrowing", () => {
  function describeResult(result: Result<unknown>): string {
    switch (result.kind) {
      case "ok":
        return "ok";
      case "unauthorized":
      case "forbidden":
      case "not_found":
      case "conflict":
      case "validation":
      case "rate_limited":
      case "server_error":
      case "unexpected":
        return `${result.status}`;
      case "network":
      case "timeout":
      case "aborted":
      case "invalid_input":
        return result.message;
      default: {
        const unreachable: never = result;
        return unreachable;
      }
    }
  }

  function missingACase(result: RevokeResult): string {
    switch (result.kind) {
      case "ok":
      case "unauthorized":
      case "forbidden":
      case "not_found":
      case "conflict":
      case "validation":
      case "rate_limited":
      case "server_error":
      case "unexpected":
      case "network":
      case "timeout":
      case "aborted":
      case "invalid_input":
        return result.kind;
      default: {
        // `already_revoked` is not handled, so this must not compile.
        // @ts-expect-error
        const unreachable: never = result;
        return unreachable;
      }
    }
  }

  function errorKinds(error: DevinApiError): string {
    const kind: DevinErrorKind = error.kind;
    switch (kind) {
      case "unauthorized":
      case "forbidden":
      case "not_found":
      case "conflict":
      case "validation":
      case "rate_limited":
      case "server_error":
      case "unexpected":
      case "network":
      case "timeout":
      case "aborted":
      case "invalid_input":
      case "pagination":
        return kind;
      default: {
        const unreachable: never = kind;
        return unreachable;
      }
    }
  }

  test("compiles with every kind and fails when one is missing", () => {
    expectTypeOf(describeResult).returns.toBeString();
    expectTypeOf(missingACase).returns.toBeString();
    expectTypeOf(errorKinds).returns.toBeString();
  });
});

describe("wrong calls do not compile", () => {
  test("unknown paths, wrong methods and wrong params", () => {
    // @ts-expect-error unknown path
    client.GET("/v3beta1/enterprise/service-users", listParams);
    // @ts-expect-error the revoke path has no GET
    client.GET(REVOKE, revokeParams);
    // @ts-expect-error the list path has no DELETE
    client.DELETE(LIST, listParams);
    // @ts-expect-error params are required
    client.GET(LIST);
    // @ts-expect-error the path parameter is misspelled
    client.GET(LIST, { params: { path: { serviceUserId: "x" } } });
    // @ts-expect-error api_key_id is missing
    client.DELETE(REVOKE, { params: { path: { service_user_id: "x" } } });
    // @ts-expect-error status is an enum
    client.GET(LIST, { params: { path: { service_user_id: "x" }, query: { status: "deleted" } } });
    // @ts-expect-error first is a number
    client.GET(LIST, { params: { path: { service_user_id: "x" }, query: { first: "10" } } });
    // @ts-expect-error revoke is not paginated
    client.paginate(REVOKE, revokeParams);
    // @ts-expect-error timeout is a number
    client.GET(LIST, { ...listParams, timeout: "1s" });
    // @ts-expect-error unknown retry option
    client.GET(LIST, { ...listParams, retry: { retries: 3 } });
  });
});

describe("generic over any generated paths", () => {
  interface Widget {
    id: string;
  }
  interface NewPaths {
    "/widgets": {
      get: {
        parameters: { query?: { after?: string; first?: number } };
        responses: {
          200: {
            content: { "application/json": { items: Widget[]; has_next_page: boolean; end_cursor?: string | null } };
          };
        };
      };
      post: {
        parameters: { query?: never };
        requestBody: { content: { "application/json": { name: string } } };
        responses: {
          201: { content: { "application/json": Widget } };
          409: { content: { "application/json": { detail: string } } };
        };
      };
    };
  }

  test("a newly generated operation is callable, paginable and narrowable", async () => {
    const widgets = createDevinClient<NewPaths>({ token: "cog_x" });
    const created = await widgets.POST("/widgets", { body: { name: "w" } });
    if (created.kind === "ok") expectTypeOf(created.data).toEqualTypeOf<Widget>();
    if (created.kind === "conflict") expectTypeOf(created.body).toEqualTypeOf<{ detail: string }>();
    // @ts-expect-error the body is required
    widgets.POST("/widgets");
    for await (const widget of widgets.paginate("/widgets")) expectTypeOf(widget).toEqualTypeOf<Widget>();
  });
});
