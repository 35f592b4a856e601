/**
 * docs/client.md, "Results and errors": every failure has a `message` saying what failed, where, and what
 * to try next. One case per failure kind (and per reason of `unexpected`), each produced over real
 * HTTP: the sandbox where it can answer so, a tiny local server for what no API of ours sends.
 * The table is keyed so that a new kind or reason without a case is a type error.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import type { FailureKind, Unexpected } from "../../src/core/result.ts";
import { createDevinClient, type DevinClientOptions, isDevinApiError } from "../../src/index.ts";
import { startSandbox } from "../sandbox/server.ts";
import { dropFirstResponse, instantClock, json, LIST, REVOKE, tinyServer } from "./helpers.ts";

const TOKEN = "cog_hint_test_token";
const sandbox = await startSandbox({ token: TOKEN });
/** Answers by the first path segment, which each case puts in front of the API path via `baseUrl`. */
const odd = await tinyServer((req, res) => {
  const [, scenario] = (req.url ?? "").split("/");
  const answer: Record<string, (r: ServerResponse) => void> = {
    forbidden: (r) => json(r, 403, { detail: "Not allowed" }),
    teapot: (r) => json(r, 418, { detail: "I'm a teapot" }),
    html: (r) => {
      r.writeHead(404, { "content-type": "text/html" });
      r.end("<html>login</html>");
    },
    empty: (r) => {
      r.writeHead(200, { "content-type": "application/json", "content-length": "0" });
      r.end();
    },
    broken: (r) => {
      r.writeHead(200, { "content-type": "application/json" });
      r.end('{"items": [');
    },
    moved: (r) => {
      r.writeHead(302, { location: "https://elsewhere.example/" });
      r.end();
    },
    nocursor: (r) => json(r, 200, { items: [], has_next_page: true }),
  };
  (answer[scenario ?? ""] ?? ((r) => json(r, 500, { detail: `no scenario ${scenario}` })))(res);
});
afterAll(() => Promise.all([sandbox.close(), odd.close()]));
beforeEach(() => sandbox.clearFaults());

const client = (options: DevinClientOptions = {}) =>
  createDevinClient({ baseUrl: sandbox.url, token: TOKEN, retry: false, clock: instantClock().clock, ...options });
const at = (scenario: string) => client({ baseUrl: `${odd.url}/${scenario}` });
const alpha = { params: { path: { service_user_id: "service-user-alpha" } } };
const revoke = (api_key_id: string) => ({ params: { path: { service_user_id: "service-user-alpha", api_key_id } } });

/** A call's result (an `ok` one has no message, and fails the kind check), or a thrown failure's. */
interface Failed {
  kind: string;
  method: string;
  path: string;
  message?: string;
}
type Case = [produce: () => Promise<Failed>, advice: string];
type Key =
  | Exclude<FailureKind, "unexpected">
  | `unexpected: ${Unexpected["reason"]}`
  | "rate_limited with Retry-After"
  | "network, certain to repeat"
  | "aborted by a deadline";

/** The failure a paginator throws once a page breaks the contract (here, after the first). */
async function paginationFailure(pages: AsyncIterable<unknown>): Promise<Failed> {
  let seen = 0;
  try {
    for await (const _ of pages) if (++seen > 1) break;
  } catch (error) {
    if (isDevinApiError(error)) return error.result;
    throw error;
  }
  throw new Error("the paginator did not fail");
}

const cases = {
  unauthorized: [
    () => client({ token: "cog_someone_else" }).GET(LIST, alpha),
    "check the client's token (missing, mistyped, expired or revoked)",
  ],
  forbidden: [
    () => at("forbidden").GET(LIST, alpha),
    "give the token's service user the permission this operation requires, or use a token that has it",
  ],
  not_found: [
    () => client().GET(LIST, { params: { path: { service_user_id: "service-user-ghost" } } }),
    "check the IDs in the path",
  ],
  conflict: [
    () => client().DELETE(REVOKE, revoke("key-alpha-revoked-1")),
    "check the resource's current state: the same request will fail again",
  ],
  validation: [
    () => client().GET(LIST, { params: { ...alpha.params, query: { first: 100_000 } } }),
    "fix the listed parameters",
  ],
  rate_limited: [
    () => {
      sandbox.addFault({ fault: { kind: "status429" } });
      return client().GET(LIST, alpha);
    },
    "wait and retry",
  ],
  "rate_limited with Retry-After": [
    () => {
      sandbox.addFault({ fault: { kind: "status429", retryAfter: "7" } });
      return client().GET(LIST, alpha);
    },
    "the server asked to wait 7 s (Retry-After) before retrying",
  ],
  server_error: [
    () => {
      sandbox.addFault({ fault: { kind: "status503" } });
      return client().GET(LIST, alpha);
    },
    "retry later; if it persists, quote the request id to the API's support",
  ],
  network: [
    () => {
      sandbox.addFault({ fault: { kind: "reset" } });
      return client().GET(LIST, alpha);
    },
    "check connectivity and `baseUrl`",
  ],
  // Port 6000 is one fetch refuses to connect to ("bad port"), every time.
  "network, certain to repeat": [
    () => client({ baseUrl: "http://127.0.0.1:6000" }).GET(LIST, alpha),
    "this fails the same way every time: check `baseUrl` (or the server's redirects)",
  ],
  timeout: [
    () => {
      sandbox.addFault({ fault: { kind: "latency", ms: 5_000 } });
      return client({ timeout: 20 }).GET(LIST, alpha);
    },
    "raise `timeout` if the server is just slow",
  ],
  aborted: [
    () => client().GET(LIST, { ...alpha, signal: AbortSignal.abort() }),
    "your `signal` cancelled the call, which is never retried: call again if that was not meant",
  ],
  "aborted by a deadline": [
    () => client().GET(LIST, { ...alpha, signal: AbortSignal.abort(new DOMException("late", "TimeoutError")) }),
    "give the signal a later deadline if the server is just slow",
  ],
  invalid_input: [() => client().DELETE(REVOKE, revoke("")), "fix the argument named here; nothing was sent"],
  already_revoked: [
    // The first attempt revokes the key and its response is lost; the retry gets 409.
    () =>
      client({ middleware: [dropFirstResponse()] }).revokeServiceUserApiKey(
        "service-user-alpha",
        "key-alpha-active-2",
        {
          retry: { methods: ["DELETE"] },
        },
      ),
    "that attempt most likely did it: treat it as done",
  ],
  pagination: [
    () => paginationFailure(at("nocursor").listServiceUserApiKeys("service-user-alpha").pages()),
    "stopped to avoid an endless loop; the server broke the pagination contract: quote the request id to the API's support",
  ],
  "unexpected: undeclared_status": [
    () => at("teapot").GET(LIST, alpha),
    "the API does not declare this status: check `baseUrl` (another server or a proxy may have answered), or quote the request id to the API's support",
  ],
  "unexpected: non_json_body": [
    () => at("html").GET(LIST, alpha),
    "check `baseUrl`: something other than the API (a proxy, a login page) seems to have answered",
  ],
  "unexpected: empty_body": [
    () => at("empty").GET(LIST, alpha),
    "retry later; if it persists, quote the request id to the API's support",
  ],
  "unexpected: invalid_json": [
    () => at("broken").GET(LIST, alpha),
    "retry later; if it persists, quote the request id to the API's support",
  ],
  "unexpected: too_large": [
    () => client({ maxResponseBytes: 10 }).GET(LIST, alpha),
    "raise `maxResponseBytes` (client option or per call) if a response this large is expected",
  ],
  "unexpected: redirect": [
    () => at("moved").GET(LIST, alpha),
    "the API does not redirect and the client does not follow redirects: check `baseUrl`, or set `followRedirects: true` to follow them",
  ],
} satisfies Record<Key, Case>;

describe("every failure's message says what to try next", () => {
  test.each(Object.entries(cases) as [string, Case][])("%s", async (key, [produce, advice]) => {
    const failure = await produce();
    expect(failure.kind).toBe(key.split(/[: ,]/)[0]);
    const message = failure.message ?? "";
    expect(message.startsWith(`${failure.method} ${failure.path}`)).toBe(true);
    expect(message.endsWith(advice), `"${message}" ends with the advice`).toBe(true);
    expect(message).not.toContain(TOKEN);
  });
});
