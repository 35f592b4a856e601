/**
 * src/core/failures.ts in process: what each response or thrown error becomes, field by field.
 * The HTTP tests (results, hostile-servers) show that the mapping is reached; these pin what it
 * builds: `ok`, messages up to their hint, `bodyText`, problems, issues, and which responses
 * are copied without their URL and body. Messages are checked up to the hint (`; ` and what to
 * do): the wording of hints may change, the facts before them may not.
 */
import { describe, expect, test } from "vitest";
import {
  aborted,
  alreadyRevoked,
  failureContext,
  failureFromResponse,
  failureFromThrow,
  paginationFailure,
  responseWith,
  successFromResponse,
  tooLarge,
} from "../../src/core/failures.ts";
import type { CallInfo, Conflict, Ok } from "../../src/core/result.ts";

const TOKEN = "cog_secret/42";
const ENCODED = "cog_secret%2F42";
const info: CallInfo = { method: "GET", path: "/things/{id}", requestId: "req_1", attempts: 1 };
const noId: CallInfo = { ...info, requestId: undefined };
const withToken = failureContext(TOKEN);
const noToken = failureContext(undefined);

/** A response as fetch hands it over: it has the URL it came from. */
function fetched(status: number, headers: Record<string, string> = {}, statusText = ""): Response {
  const response = new Response(null, { status, statusText, headers });
  Object.defineProperty(response, "url", { value: "http://127.0.0.1:9/things/1" });
  return response;
}

/** The message up to its hint (the first `; `: no server text in these cases holds one). */
const head = (message: string) => message.slice(0, message.indexOf("; "));

describe("failureContext", () => {
  test("finds and redacts the token as sent and percent-encoded, each on its own", () => {
    for (const text of [`a ${TOKEN} b`, `a ${ENCODED} b`]) {
      expect(withToken.holdsToken(text)).toBe(true);
      expect(withToken.redact(text)).toBe("a [redacted] b");
    }
    expect(withToken.holdsToken("a cog_secret b")).toBe(false);
    expect(withToken.nameHoldsToken(`x-${ENCODED.toLowerCase()}`)).toBe(true);
    expect(withToken.nameHoldsToken(`x-${TOKEN}`)).toBe(true);
    expect(withToken.nameHoldsToken("x-other")).toBe(false);
    expect(withToken.active).toBe(true);
  });

  test("without a token finds nothing and changes nothing", () => {
    expect([noToken.active, noToken.holdsToken("anything"), noToken.nameHoldsToken("x-anything")]).toEqual([
      false,
      false,
      false,
    ]);
    expect(noToken.redact("cog_x")).toBe("cog_x");
  });
});

describe("responseWith", () => {
  test.each([200, 299, 404, 599])("keeps a status of %i as it is", (status) => {
    const response = responseWith(null, status, "S", new Headers({ a: "1" }));
    expect([response.status, response.ok, response.statusText, response.headers.get("a")]).toEqual([
      status,
      status < 300,
      "S",
      "1",
    ]);
  });

  test.each([0, 199, 600, 999])("shows a status of %i the Fetch standard cannot build", (status) => {
    expect(responseWith(null, status, "", new Headers()).status).toBe(status);
  });
});

describe("failureFromResponse", () => {
  test("a JSON 404 is not_found, with the problem, the request id and the response without its URL", () => {
    const result = failureFromResponse(
      withToken,
      info,
      fetched(404, { "x-request-id": "req_1" }),
      { detail: "gone" },
      0,
    );
    expect(result).toMatchObject({ kind: "not_found", ok: false, status: 404, body: { detail: "gone" } });
    expect(result.kind === "not_found" && result.problem).toStrictEqual({
      detail: "gone",
      title: undefined,
      type: undefined,
      instance: undefined,
    });
    expect(head(result.message)).toBe("GET /things/{id} failed: 404 not_found - gone (request id req_1)");
    expect(result.kind === "not_found" && result.response.url).toBe("");
    expect(result.kind === "not_found" && result.response.headers.get("x-request-id")).toBe("req_1");
  });

  test("a problem whose detail repeats its title says it once", () => {
    const result = failureFromResponse(noToken, noId, fetched(403), { title: "Forbidden", detail: "Forbidden" }, 0);
    expect(head(result.message)).toBe("GET /things/{id} failed: 403 Forbidden");
  });

  test.each([
    ["null", null],
    ["a string array", ["x"]],
  ])("a JSON body that is %s is read as a problem with nothing in it", (_, body) => {
    const result = failureFromResponse(noToken, noId, fetched(409), body, 0);
    expect(result).toMatchObject({ kind: "conflict", ok: false, body });
    expect(result.kind === "conflict" && result.problem).toStrictEqual({
      detail: undefined,
      title: undefined,
      type: undefined,
      instance: undefined,
    });
  });

  test("validation issues: from the first member that holds any, skipping what is not an issue", () => {
    const body = {
      detail: [],
      errors: [
        "not an issue",
        null,
        { msg: "no location" },
        { loc: ["body", "a"] },
        { loc: ["query", "first"], msg: "too small", type: "greater_than" },
        { field: "name", message: "required" },
      ],
    };
    const result = failureFromResponse(noToken, noId, fetched(422), body, 0);
    expect(result.kind === "validation" && result.issues).toEqual([
      { loc: ["query", "first"], msg: "too small", type: "greater_than" },
      { field: "name", message: "required", loc: ["name"], msg: "required", type: "" },
    ]);
    expect(result.kind === "validation" && result.problem.detail).toBe("query.first: too small; name: required");
    expect(result).toMatchObject({ ok: false, status: 422 });
  });

  test.each([
    ["an empty body", "", "503 with an empty body"],
    ["a body that is not JSON", "<html>busy</html>", "503 with a body that is not JSON"],
  ])("a 503 with %s is server_error and says so", (_, text, what) => {
    const result = failureFromResponse(noToken, info, fetched(503), text, 0);
    expect(result).toMatchObject({ kind: "server_error", ok: false, status: 503, body: undefined, bodyText: text });
    expect(head(result.message)).toBe(`GET /things/{id} failed: ${what} (request id req_1)`);
    expect(result.kind === "server_error" && result.response.url).toBe("");
    expect(result.kind === "server_error" && result.problem).toStrictEqual({
      detail: undefined,
      title: undefined,
      type: undefined,
      instance: undefined,
    });
  });

  test("a 503 with JSON is server_error with its problem", () => {
    const result = failureFromResponse(noToken, noId, fetched(503), { detail: "overloaded" }, 0);
    expect(result).toMatchObject({ kind: "server_error", body: { detail: "overloaded" }, bodyText: undefined });
    expect(head(result.message)).toBe("GET /things/{id} failed: 503 server_error - overloaded");
  });

  test("a 429 with an empty body is rate_limited, with the wait it asked for", () => {
    const result = failureFromResponse(noToken, noId, fetched(429, { "retry-after": "3" }), undefined, 0);
    expect(result).toMatchObject({ kind: "rate_limited", ok: false, status: 429, bodyText: "", retryAfterMs: 3000 });
    expect(result.message).toBe(
      "GET /things/{id} failed: 429 with an empty body; the server asked to wait 3 s (Retry-After) before retrying",
    );
  });

  test("a long text body is kept as its first 500 characters, token redacted", () => {
    const text = `${TOKEN}${"x".repeat(600)}`;
    const result = failureFromResponse(withToken, noId, fetched(502), text, 0);
    expect(result.kind === "server_error" && result.bodyText).toBe(`[redacted]${"x".repeat(490)}`);
  });

  test.each([
    ["an empty body", "", "empty_body", "404 with empty body", ""],
    ["no body at all", undefined, "empty_body", "404 with empty body", ""],
    ["text", "Not here", "non_json_body", "404 with body is not JSON", "Not here"],
  ])("a 404 with %s is unexpected", (_, body, reason, what, bodyText) => {
    const result = failureFromResponse(noToken, noId, fetched(404), body, 0);
    expect(result).toMatchObject({ kind: "unexpected", ok: false, status: 404, reason, bodyText });
    expect(head(result.message)).toBe(`GET /things/{id} failed: ${what}`);
    expect(result.kind === "unexpected" && result.response.url).toBe("");
  });

  test("an undeclared status with JSON is unexpected, with the JSON as bodyText", () => {
    const result = failureFromResponse(withToken, noId, fetched(418), { detail: `teapot ${TOKEN}` }, 0);
    expect(result).toMatchObject({
      kind: "unexpected",
      reason: "undeclared_status",
      bodyText: '{"detail":"teapot [redacted]"}',
    });
  });

  test.each([
    [
      "with a Location",
      { location: `https://elsewhere.example/${TOKEN}` },
      "301 redirect to https://elsewhere.example/[redacted]",
    ],
    ["without a Location", {}, "301 redirect without a Location"],
  ])("a redirect %s is unexpected, reason redirect", (_, headers, what) => {
    const result = failureFromResponse(withToken, noId, fetched(301, headers), "<a>moved</a>", 0);
    expect(result).toMatchObject({
      kind: "unexpected",
      ok: false,
      status: 301,
      reason: "redirect",
      bodyText: "<a>moved</a>",
    });
    expect(head(result.message)).toBe(`GET /things/{id} failed: ${what}`);
    expect(result.kind === "unexpected" && result.response.url).toBe("");
  });

  test("a redirect with a JSON body keeps no bodyText; a long one is cut at 500", () => {
    expect(failureFromResponse(noToken, noId, fetched(302), { to: "x" }, 0)).toMatchObject({ bodyText: "" });
    expect(failureFromResponse(noToken, noId, fetched(307), "y".repeat(700), 0)).toMatchObject({
      bodyText: "y".repeat(500),
    });
  });

  test("an opaque redirect (a browser's `redirect: manual`, status 0) is a redirect too", () => {
    const response = responseWith(null, 0, "", new Headers());
    Object.defineProperty(response, "type", { value: "opaqueredirect" });
    expect(failureFromResponse(noToken, noId, response, undefined, 0)).toMatchObject({
      kind: "unexpected",
      reason: "redirect",
      status: 0,
    });
  });
});

describe("successFromResponse", () => {
  test("parses JSON, and hands over the response itself when nothing in it holds the token", () => {
    const response = fetched(200);
    const result = successFromResponse(withToken, info, response, '{"a":1}');
    expect(result).toMatchObject({ kind: "ok", ok: true, status: 200, data: { a: 1 } });
    expect(result.kind === "ok" && result.response).toBe(response);
  });

  test("a response whose header echoes the token is handed over as a copy without it", () => {
    const result = successFromResponse(withToken, info, fetched(200, { "x-echo": TOKEN }), "{}");
    expect(result.kind === "ok" && result.response.headers.get("x-echo")).toBe("[redacted]");
    expect(result.kind === "ok" && result.response.url).toBe("");
  });

  test("a client without a token copies nothing and drops no header", () => {
    const response = fetched(200, { "x-anything": "cog_lookalike" });
    const result = successFromResponse(noToken, info, response, '"\\u0063og"');
    expect(result).toMatchObject({ kind: "ok", data: "cog" });
    expect(result.kind === "ok" && result.response).toBe(response);
  });

  test.each([
    ["an empty body", "", "", "empty_body", "200 with empty body"],
    ["broken JSON labelled JSON", "application/json", "{", "invalid_json", "200 with invalid JSON body"],
    ["broken JSON with no type", "", "{", "non_json_body", "200 with body is not JSON"],
  ])("%s is unexpected", (_, type, text, reason, what) => {
    const response = fetched(200, type ? { "content-type": type } : {});
    const result = successFromResponse(noToken, noId, response, text);
    expect(result).toMatchObject({ kind: "unexpected", ok: false, status: 200, reason, bodyText: text });
    expect(head((result as { message: string }).message)).toBe(`GET /things/{id} failed: ${what}`);
  });

  test("keeps only the first 500 characters of an unreadable body", () => {
    const result = successFromResponse(noToken, noId, fetched(200), `<${"z".repeat(600)}`);
    expect(result).toMatchObject({ bodyText: `<${"z".repeat(499)}` });
  });
});

describe("tooLarge", () => {
  test("over the limit: says the limit, keeps no body", () => {
    const result = tooLarge(noToken, info, fetched(200), 1024);
    expect(result).toMatchObject({ kind: "unexpected", ok: false, reason: "too_large", bodyText: "", status: 200 });
    expect(result.message).toMatch(
      /^GET \/things\/\{id\} failed: 200 with a body over `maxResponseBytes` \(1024 bytes\); it was not read further \(request id req_1\); /,
    );
    expect(result.response.url).toBe("");
  });

  test("too large to decode: quotes the engine's error", () => {
    const result = tooLarge(noToken, noId, fetched(200), 1024, new RangeError("Invalid string length"));
    expect(head(result.message)).toBe(
      "GET /things/{id} failed: 200 with a body too large to decode (Invalid string length)",
    );
  });
});

describe("aborted", () => {
  test.each([
    ["a cancel", new Error("user left"), "aborted by the caller"],
    ["a null reason", null, "aborted by the caller"],
    ["a deadline", new DOMException("late", "TimeoutError"), "the caller's deadline (signal) passed"],
  ])("by %s", (_, reason, what) => {
    const controller = new AbortController();
    controller.abort(reason);
    const result = aborted(noId, controller.signal);
    expect(result).toMatchObject({ kind: "aborted", ok: false, status: undefined, reason });
    expect(head(result.message)).toBe(`GET /things/{id} failed: ${what}`);
  });
});

describe("failureFromThrow", () => {
  const signal = new AbortController().signal;

  test("a timeout says after how long", () => {
    const result = failureFromThrow(noToken, noId, new Error("aborted"), signal, true, 250);
    expect(result).toMatchObject({ kind: "timeout", ok: false, status: undefined, timeoutMs: 250 });
    expect(head(result.message)).toBe("GET /things/{id} failed: no complete response within 250 ms");
  });

  test.each([
    [
      "message and code",
      { message: "other side closed", code: "UND_ERR_SOCKET" },
      "fetch failed (other side closed, UND_ERR_SOCKET)",
    ],
    ["a code only", { code: "ECONNREFUSED" }, "fetch failed (ECONNREFUSED)"],
    ["no cause", undefined, "fetch failed"],
  ])("a connection error with %s names it", (_, cause, said) => {
    const error = new TypeError("fetch failed", cause === undefined ? {} : { cause });
    const result = failureFromThrow(noToken, noId, error, signal, false, 0);
    expect(result).toMatchObject({ kind: "network", ok: false, status: undefined, cause: error });
    expect(head(result.message)).toBe(`GET /things/{id} failed: network error - ${said}`);
    expect(result).not.toHaveProperty("final");
  });

  test("a refusal certain to repeat is final", () => {
    const error = new TypeError("fetch failed", { cause: { message: "bad port" } });
    expect(failureFromThrow(noToken, noId, error, signal, false, 0)).toMatchObject({ kind: "network", final: true });
  });

  test("something thrown that is not an Error still reads", () => {
    const result = failureFromThrow(noToken, noId, null, signal, false, 0);
    expect(head(result.message)).toBe("GET /things/{id} failed: network error - null");
  });

  test("an error whose text holds the token becomes a redacted copy, cause and code kept", () => {
    const inner = Object.assign(new Error(`connect to ${TOKEN}`), { code: "ECONNRESET" });
    const error = new TypeError(`fetch ${TOKEN} failed`, { cause: inner });
    const result = failureFromThrow(withToken, noId, error, signal, false, 0);
    const cause = (result as { cause: Error & { cause: Error & { code?: string } } }).cause;
    expect(cause).not.toBe(error);
    expect([cause.name, cause.message, cause.stack?.includes(TOKEN)]).toEqual([
      "TypeError",
      "fetch [redacted] failed",
      false,
    ]);
    expect([cause.cause.message, cause.cause.code]).toEqual(["connect to [redacted]", "ECONNRESET"]);
    // The stack is kept, redacted: its first line and the frames under it.
    expect(cause.stack).toMatch(/^TypeError: fetch \[redacted\] failed\n\s+at /);
  });

  test("a redacted copy adds no cause and no code that the error did not have", () => {
    const result = failureFromThrow(withToken, noId, new TypeError(`bad ${TOKEN}`), signal, false, 0);
    const cause = (result as { cause: Error }).cause;
    expect(cause.message).toBe("bad [redacted]");
    expect(cause).not.toHaveProperty("cause");
    expect(cause).not.toHaveProperty("code");
  });

  test("an error whose cause alone holds the token is copied too; a clean one is kept as is", () => {
    const dirty = new TypeError("fetch failed", { cause: new Error(TOKEN) });
    const copied = failureFromThrow(withToken, noId, dirty, signal, false, 0) as { cause: Error & { cause: Error } };
    expect(copied.cause).not.toBe(dirty);
    expect(copied.cause.cause.message).toBe("[redacted]");
    const clean = new TypeError("fetch failed", { cause: new Error("reset") });
    expect((failureFromThrow(withToken, noId, clean, signal, false, 0) as { cause: unknown }).cause).toBe(clean);
    const thrown = `a string holding ${TOKEN}`;
    const text = failureFromThrow(withToken, noId, thrown, signal, false, 0) as { cause: Error };
    expect([text.cause.name, text.cause.message]).toEqual(["Error", "a string holding [redacted]"]);
  });
});

describe("quoted server text", () => {
  test.each([
    [300, "x".repeat(300)],
    [301, `${"x".repeat(300)}…`],
  ])("a %i-character detail is quoted up to 300 characters", (length, quoted) => {
    const result = failureFromResponse(noToken, noId, fetched(404), { detail: "x".repeat(length) }, 0);
    expect(head(result.message)).toBe(`GET /things/{id} failed: 404 not_found - ${quoted}`);
  });
});

describe("alreadyRevoked and paginationFailure", () => {
  const conflict = failureFromResponse(noToken, info, fetched(409), { detail: "revoked" }, 0) as Conflict;

  test("already_revoked keeps the conflict and says the lost attempt did it, with the request id", () => {
    const result = alreadyRevoked(conflict);
    expect(result).toMatchObject({ kind: "already_revoked", retried: true, status: 409, ok: false });
    expect(result.message).toMatch(/^GET \/things\/\{id\}: 409 on a retry \(request id req_1\), after an earlier/);
    expect(alreadyRevoked({ ...conflict, requestId: undefined }).message).toMatch(
      /^GET \/things\/\{id\}: 409 on a retry, after/,
    );
  });

  test("a pagination failure names the page's request id when there is one", () => {
    const page = { ...info, kind: "ok", ok: true, status: 200, data: {}, response: fetched(200) } as Ok<unknown>;
    const result = paginationFailure(page, "missing_cursor", "returned a broken page");
    expect(result).toMatchObject({ kind: "pagination", ok: false, reason: "missing_cursor", status: 200, attempts: 1 });
    expect(result.message).toMatch(/^GET \/things\/\{id\} returned a broken page \(request id req_1\); /);
    expect(paginationFailure({ ...page, requestId: undefined }, "no_progress", "x", "then").message).toBe(
      "GET /things/{id} x; then",
    );
  });
});
