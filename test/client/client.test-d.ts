/**
 * Type tests of the generic client over the fixture API (test/fixtures/project/generated/),
 * so they hold whatever the documented endpoints become; and over a made-up `paths`.
 */
import { describe, expectTypeOf, test } from "vitest";
import { createApiClient } from "../../src/core/client.ts";
import {
  type AlreadyRevoked,
  type DevinApiError,
  type DevinErrorKind,
  isNotFound,
  type MethodOptions,
  type OperationIndex,
  type Paginator,
  type Result,
  unwrap,
} from "../../src/index.ts";
import type { components } from "../fixtures/project/generated/schema.ts";
import { createFixtureClient, type FixtureClient, SECRET, SECRETS, SESSIONS } from "./helpers.ts";

type Session = components["schemas"]["SessionResponse"];
type Secret = components["schemas"]["SecretResponse"];
type SessionPage = components["schemas"]["PaginatedResponse_SessionResponse_"];
type SecretPage = components["schemas"]["PaginatedResponse_SecretResponse_"];
type ProblemDetail = components["schemas"]["ProblemDetail"];
// 422 under either media type accepts both documented bodies (overlay 20): one schema.
type ValidationBody = components["schemas"]["ErrorResponse"];
type DeleteSecretResult = Awaited<ReturnType<FixtureClient["deleteSecret"]>>;

const client = createFixtureClient({ token: "cog_x" });
const listParams = { params: { path: { org_id: "org-a" } } };
const secretParams = { params: { path: { org_id: "org-a", secret_id: "secret-a" } } };

describe("data is typed per operation", () => {
  test("a list resolves to a page, a secret call to a secret", async () => {
    const list = await client.GET(SESSIONS, listParams);
    if (list.kind === "ok") expectTypeOf(list.data).toEqualTypeOf<SessionPage>();
    const removed = await client.DELETE(SECRET, secretParams);
    if (removed.kind === "ok") expectTypeOf(removed.data).toEqualTypeOf<Secret>();
    expectTypeOf(unwrap(removed)).toEqualTypeOf<Secret>();
    expectTypeOf(unwrap(await client.getSecret("org-a", "secret-a"))).toEqualTypeOf<Secret>();
  });

  test("error bodies are typed from the operation's declared responses", async () => {
    const removed = await client.DELETE(SECRET, secretParams);
    if (removed.kind === "not_found") expectTypeOf(removed.body).toEqualTypeOf<ProblemDetail>();
    if (removed.kind === "validation") {
      expectTypeOf(removed.body).toEqualTypeOf<ValidationBody>();
      expectTypeOf(removed.issues[0]?.loc).toEqualTypeOf<(string | number)[] | undefined>();
    }
    if (removed.kind === "rate_limited") expectTypeOf(removed.retryAfterMs).toEqualTypeOf<number | undefined>();
    // The list operations declare no 404: its body is unknown, but the normalised problem is typed.
    const list = await client.GET(SESSIONS, listParams);
    if (list.kind === "not_found") {
      expectTypeOf(list.body).toEqualTypeOf<unknown>();
      expectTypeOf(list.problem.detail).toEqualTypeOf<string | undefined>();
    }
  });

  test("pagination yields typed items and pages", async () => {
    for await (const session of client.paginate(SESSIONS, listParams)) expectTypeOf(session).toEqualTypeOf<Session>();
    for await (const page of client.listSecrets("org-a").pages()) expectTypeOf(page).toEqualTypeOf<SecretPage>();
    expectTypeOf(client.listSecrets("org-a").toArray(10)).resolves.toEqualTypeOf<Secret[]>();
  });

  test("type guards narrow", async () => {
    const removed = await client.DELETE(SECRET, secretParams);
    if (isNotFound(removed)) expectTypeOf(removed.status).toEqualTypeOf<404>();
  });
});

describe("named methods", () => {
  test("a query model's properties are the options, and the list is a Paginator of its items", () => {
    const sessions = client.listSessions("org-1", { first: 5, tags: ["a", "b"], status: "running" });
    expectTypeOf(sessions).toEqualTypeOf<Paginator<Session, SessionPage>>();
    expectTypeOf(client.listSessions("org-1")).toEqualTypeOf<Paginator<Session, SessionPage>>();
    expectTypeOf(client.listSecrets("org-1", { first: 5, type: "cookie", maxItems: 10 })).toEqualTypeOf<
      Paginator<Secret, SecretPage>
    >();
  });

  test("a defaulted optional body field stays optional", async () => {
    const created = await client.createSession("org-1", { body: { prompt: "fix the build" } });
    if (created.kind === "ok") expectTypeOf(created.data).toEqualTypeOf<Session>();
    expectTypeOf(client.createSession).parameter(1).toHaveProperty("body");
  });

  test("a defaulted response field may be omitted by the server", async () => {
    for await (const page of client.listSessions("org-1").pages()) {
      expectTypeOf(page.has_next_page).toEqualTypeOf<boolean | undefined>();
    }
  });

  test("a header parameter is passed under `header`", async () => {
    const secret = await client.getSecret("org-1", "secret-1", { header: { "X-Request-Trace": ["t1", "t2"] } });
    if (secret.kind === "ok") expectTypeOf(secret.data).toEqualTypeOf<Secret>();
  });

  test("a DELETE that declares no 409 has no already_revoked", () => {
    expectTypeOf<Extract<DeleteSecretResult, { kind: "already_revoked" }>>().toBeNever();
  });

  test("misspelled options and missing path arguments do not compile", () => {
    // @ts-expect-error `tag` is not an option (the query model has `tags`)
    client.listSessions("org-1", { tag: ["a"] });
    // @ts-expect-error `status` is an enum
    client.listSessions("org-1", { status: "paused" });
    // @ts-expect-error `first` is a number
    client.listSecrets("org-1", { first: "10" });
    // @ts-expect-error the org_id path argument is missing
    client.listSessions({ first: 5 });
    // @ts-expect-error the secret_id path argument is missing
    client.deleteSecret("org-1");
    // @ts-expect-error the body is required
    client.createSession("org-1");
    // @ts-expect-error the body needs a prompt
    client.createSession("org-1", { body: { idempotent: true } });
    // @ts-expect-error a non-paginated method takes no maxItems
    client.getSecret("org-1", "secret-1", { maxItems: 3 });
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

  function missingACase(result: DeleteSecretResult): string {
    switch (result.kind) {
      case "ok":
      case "unauthorized":
      case "forbidden":
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
        // `not_found` is not handled, so this must not compile.
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
      case "already_revoked":
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
    client.GET("/v3/organizations", listParams);
    // @ts-expect-error the secrets list has no DELETE
    client.DELETE(SECRETS, listParams);
    // @ts-expect-error the sessions path has no DELETE
    client.DELETE(SESSIONS, listParams);
    // @ts-expect-error params are required
    client.GET(SESSIONS);
    // @ts-expect-error the path parameter is misspelled
    client.GET(SESSIONS, { params: { path: { orgId: "x" } } });
    // @ts-expect-error secret_id is missing
    client.DELETE(SECRET, { params: { path: { org_id: "x" } } });
    // @ts-expect-error type is an enum
    client.GET(SECRETS, { params: { path: { org_id: "x" }, query: { type: "password" } } });
    // @ts-expect-error first is a number
    client.GET(SECRETS, { params: { path: { org_id: "x" }, query: { first: "10" } } });
    // @ts-expect-error a single secret is not paginated
    client.paginate(SECRET, secretParams);
    // @ts-expect-error timeout is a number
    client.GET(SESSIONS, { ...listParams, timeout: "1s" });
    // @ts-expect-error unknown retry option
    client.GET(SESSIONS, { ...listParams, retry: { retries: 3 } });
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
    "/widgets/{widget_id}": {
      delete: {
        parameters: { path: { widget_id: string } };
        responses: {
          200: { content: { "application/json": Widget } };
          409: { content: { "application/json": { detail: string } } };
        };
      };
    };
  }
  const widgetIndex = {
    listWidgets: {
      method: "get",
      path: "/widgets",
      pathParams: [],
      query: ["after", "first"],
      paginated: { after: ["after"], first: ["first"] },
    },
    createWidget: { method: "post", path: "/widgets", pathParams: [], query: [] },
    deleteWidget: {
      method: "delete",
      path: "/widgets/{widget_id}",
      pathParams: ["widget_id"],
      query: [],
      conflictMeansDone: true,
    },
  } as const satisfies OperationIndex;

  test("a newly generated operation is callable, paginable and narrowable", async () => {
    const widgets = createApiClient<NewPaths>({ baseUrl: "https://api.example.invalid", token: "cog_x" });
    const created = await widgets.POST("/widgets", { body: { name: "w" } });
    if (created.kind === "ok") expectTypeOf(created.data).toEqualTypeOf<Widget>();
    if (created.kind === "conflict") expectTypeOf(created.body).toEqualTypeOf<{ detail: string }>();
    // @ts-expect-error the body is required
    widgets.POST("/widgets");
    for await (const widget of widgets.paginate("/widgets")) expectTypeOf(widget).toEqualTypeOf<Widget>();
  });

  test("its index gives named methods, and a DELETE that declares 409 may be already_revoked", async () => {
    const widgets = createApiClient<NewPaths, typeof widgetIndex>({
      baseUrl: "https://api.example.invalid",
      operations: widgetIndex,
    });
    expectTypeOf(widgets.listWidgets({ first: 5 }).toArray(5)).resolves.toEqualTypeOf<Widget[]>();
    const created = await widgets.createWidget({ body: { name: "w" } });
    if (created.kind === "ok") expectTypeOf(created.data).toEqualTypeOf<Widget>();
    const deleted = await widgets.deleteWidget("widget-1");
    if (deleted.kind === "already_revoked") {
      expectTypeOf(deleted).toEqualTypeOf<AlreadyRevoked<{ detail: string }>>();
      expectTypeOf(deleted.retried).toEqualTypeOf<true>();
    }
    // @ts-expect-error the widget_id path argument is missing
    widgets.deleteWidget();
  });
});

describe("page size", () => {
  type ListOp = {
    parameters: { query?: { after?: string } };
    responses: { 200: { content: { "application/json": { items: string[]; has_next_page?: boolean } } } };
  };
  type Entry = { method: "get"; path: "/p"; pathParams: []; query: ["after"] };

  test("a paginated operation takes `first` only when it declares a page size", () => {
    expectTypeOf<MethodOptions<ListOp, Entry & { paginated: { after: ["after"] } }>>().not.toHaveProperty("first");
    expectTypeOf<MethodOptions<ListOp, Entry & { paginated: { after: ["after"]; first: ["first"] } }>>().toHaveProperty(
      "first",
    );
  });
});
