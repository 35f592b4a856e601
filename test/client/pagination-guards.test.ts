/**
 * The paginator against servers that break the pagination contract in ways that cost memory
 * or never end (issue 8, items 2 and 3): long and growing cursors, fresh cursors for empty
 * pages, wrongly typed page fields, a cursor that is not valid Unicode text. Every server here
 * is a real node:http server on 127.0.0.1, and every one stops on its own after a bounded
 * number of requests, so a client without the guard under test fails the test instead of
 * hanging it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { createFixtureClient, json, SECRETS, tinyServer } from "./helpers.ts";

const org = { params: { path: { org_id: "org-x" } } };

/** The `after` a request sent, or null on the first page. */
const afterOf = (req: IncomingMessage) => new URL(req.url ?? "/", "http://x").searchParams.get("after");

/** Walks SECRETS on `url` to the end (or the first error) and returns the items and what was thrown. */
async function walk(url: string, options: { maxEmptyPages?: number } = {}) {
  const client = createFixtureClient({ baseUrl: url, token: "cog_x" });
  const items: unknown[] = [];
  try {
    for await (const item of client.paginate(SECRETS, { ...org, ...options })) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

/**
 * A server like `tinyServer`, but accepting request targets up to 1 MiB (node's default stops
 * at 16 KiB of headers): a growing cursor comes back in the URL.
 */
async function bigUrlServer(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void) {
  let hits = 0;
  const server = createServer({ maxHeaderSize: 2 ** 20 }, (req, res) => {
    req.resume();
    handler(req, res, ++hits);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("the cursor loop guard keeps digests, not cursors", () => {
  test("detects a cursor that comes back 300 pages later, among long growing cursors, without quoting it", async () => {
    // Page n's cursor shares 4,096 characters with every other and grows by 64 a page; the
    // 301st page hands back the cursor of the 1st. 64, not the 1 kB a page of issue 8: a cursor
    // goes back in the URL, and at 400 kB that costs about 25 ms a request (in a raw fetch loop
    // too). Memory is not asserted (heap sizes are flaky): the guard holds one number a page.
    const cursor = (n: number) => `${"k".repeat(4096 + 64 * n)}${n}`;
    const sent: (string | null)[] = [];
    const server = await bigUrlServer((req, res, hit) => {
      sent.push(afterOf(req));
      if (hit > 301) return json(res, 200, { items: [], has_next_page: false, end_cursor: null });
      json(res, 200, { items: [hit], has_next_page: true, end_cursor: cursor(hit === 301 ? 1 : hit) });
    });
    const { items, error } = await walk(server.url);
    await server.close();
    expect(error).toMatchObject({ name: "DevinApiError", kind: "pagination", result: { reason: "repeated_cursor" } });
    expect(items).toHaveLength(301);
    expect(server.hits()).toBe(301);
    expect(sent.slice(0, 3)).toEqual([null, cursor(1), cursor(2)]);
    expect(sent[300]).toBe(cursor(300));
    // The message describes the cursor by its length; it never quotes server text that may be 4 kB long.
    const { message } = error as Error;
    expect(message).toContain("its `end_cursor` (4161 characters) came back again");
    expect(message).not.toContain("kkkk");
    expect(message.length).toBeLessThan(300);
  });

  // Cursors a weak digest would confuse (a hash of a prefix, of the length, of the low byte
  // of each code unit, or one that ignores order): every one must be walked, none refused.
  const shared = "p".repeat(8000);
  test.each<[string, string[]]>([
    ["share an 8,000-character prefix and differ in the last character", [..."abcdefghij"].map((c) => shared + c)],
    ["each extends the one before", Array.from({ length: 50 }, (_, i) => "a".repeat(i + 1))],
    ["have the same characters in another order", ["abc", "acb", "bac", "bca", "cab", "cba"]],
    ["differ only in the high byte of a code unit", ["\u0041x", "\u0141x", "\u4e41x", "\uff41x"]],
    ["differ in one half of a surrogate pair", ["\u{1F600}", "\u{1F601}", "\u{1F700}", "\u{10000}"]],
    ["have the same length and differ at the start", [`0${shared}`, `1${shared}`, `2${shared}`]],
  ])("walks cursors that %s without calling any of them repeated", async (_name, cursors) => {
    const sent: (string | null)[] = [];
    const server = await tinyServer((req, res, hit) => {
      sent.push(afterOf(req));
      const last = hit > cursors.length;
      json(res, 200, { items: [hit], has_next_page: !last, end_cursor: last ? null : cursors[hit - 1] });
    });
    const { items, error } = await walk(server.url);
    await server.close();
    expect(error).toBeUndefined();
    expect(items).toHaveLength(cursors.length + 1);
    expect(sent).toEqual([null, ...cursors]);
  });
});

describe("a walk that makes no progress", () => {
  /** Empty pages, each with a fresh cursor and `has_next_page: true`, until `stopAt` (a safety stop for a client without the guard). */
  const emptyForever = (stopAt = 100) =>
    tinyServer((_req, res, hit) =>
      json(res, 200, { items: [], has_next_page: hit < stopAt, end_cursor: hit < stopAt ? `fresh-${hit}` : null }),
    );

  test("ends with no_progress after 5 empty pages in a row (the default), having sent exactly 5 requests", async () => {
    const server = await emptyForever();
    const { error } = await walk(server.url);
    await server.close();
    expect(error).toMatchObject({
      name: "DevinApiError",
      kind: "pagination",
      status: 200,
      requestId: "req_tiny",
      result: { reason: "no_progress", attempts: 1 },
    });
    expect((error as Error).message).toMatch(
      /^GET \/v3\/organizations\/\{org_id\}\/secrets returned 5 empty pages in a row, each with `has_next_page: true` and a new cursor \(request id req_tiny\); .*raise `maxEmptyPages`/,
    );
    expect(server.hits()).toBe(5);
  });

  test.each([1, 2, 12])("maxEmptyPages: %i ends with no_progress after that many requests", async (maxEmptyPages) => {
    const server = await emptyForever();
    const { error } = await walk(server.url, { maxEmptyPages });
    await server.close();
    expect(error).toMatchObject({ kind: "pagination", result: { reason: "no_progress" } });
    expect(server.hits()).toBe(maxEmptyPages);
  });

  test("a named method takes maxEmptyPages too", async () => {
    const server = await emptyForever();
    const client = createFixtureClient({ baseUrl: server.url, token: "cog_x" });
    await expect(
      (async () => {
        for await (const _ of client.listSecrets("org-x", { maxEmptyPages: 2 })) break;
      })(),
    ).rejects.toMatchObject({ kind: "pagination", result: { reason: "no_progress" } });
    await server.close();
    expect(server.hits()).toBe(2);
  });

  test("maxEmptyPages: Infinity follows empty pages as long as the server sends them", async () => {
    const server = await emptyForever(40);
    const { items, error } = await walk(server.url, { maxEmptyPages: Number.POSITIVE_INFINITY });
    await server.close();
    expect(error).toBeUndefined();
    expect(items).toEqual([]);
    expect(server.hits()).toBe(40);
  });

  test("a page with items resets the run: the walk fails at the third empty page in a row, not the third in all", async () => {
    // E E I E E I E E E, then a safety stop.
    const pattern = "EEIEEIEEE";
    const server = await tinyServer((_req, res, hit) => {
      const kind = pattern[hit - 1];
      json(res, 200, {
        items: kind === "I" ? [hit] : [],
        has_next_page: kind !== undefined,
        end_cursor: kind !== undefined ? `c${hit}` : null,
      });
    });
    const { items, error } = await walk(server.url, { maxEmptyPages: 3 });
    await server.close();
    expect(items).toEqual([3, 6]);
    expect(error).toMatchObject({ kind: "pagination", result: { reason: "no_progress" } });
    expect(server.hits()).toBe(pattern.length);
  });

  test.each<[string, unknown]>([
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ["NaN", Number.NaN],
    ['the string "5"', "5"],
  ])("refuses maxEmptyPages %s before any request", async (_name, maxEmptyPages) => {
    const server = await emptyForever();
    const { error } = await walk(server.url, { maxEmptyPages: maxEmptyPages as number });
    await server.close();
    expect(error).toMatchObject({ kind: "invalid_input", result: { param: "maxEmptyPages", attempts: 0 } });
    expect(server.hits()).toBe(0);
  });
});

describe("a page whose fields have the wrong type", () => {
  test.each<[string, string, unknown, string]>([
    [
      '`has_next_page: "yes"`',
      "malformed_page",
      { items: [1], has_next_page: "yes" },
      "`has_next_page` is a string, not a boolean",
    ],
    [
      "`has_next_page: 1`",
      "malformed_page",
      { items: [1], has_next_page: 1 },
      "`has_next_page` is a number, not a boolean",
    ],
    [
      "`has_next_page: null`",
      "malformed_page",
      { items: [1], has_next_page: null },
      "`has_next_page` is null, not a boolean",
    ],
    ['`items: "abc"`', "malformed_page", { items: "abc", has_next_page: false }, "`items` is a string, not an array"],
    ["a body that is an array", "malformed_page", [1, 2], "the body is an array, not a page object"],
    [
      "`end_cursor: 42`",
      "missing_cursor",
      { items: [1], has_next_page: true, end_cursor: 42 },
      "`has_next_page` is true but `end_cursor` is a number, not a string",
    ],
    [
      "`end_cursor: {}`",
      "missing_cursor",
      { items: [1], has_next_page: true, end_cursor: {} },
      "`has_next_page` is true but `end_cursor` is an object, not a string",
    ],
    [
      "no `end_cursor`",
      "missing_cursor",
      { items: [1], has_next_page: true },
      "`has_next_page` is true but `end_cursor` is missing",
    ],
  ])("%s is %s, and the message says what is wrong", async (_given, reason, page, says) => {
    const server = await tinyServer((_req, res, hit) => {
      // The first page is fine; the second is the broken one; a third would be a bug.
      json(res, 200, hit === 1 ? { items: [0], has_next_page: true, end_cursor: "first" } : page);
    });
    const { error } = await walk(server.url);
    await server.close();
    expect(error).toMatchObject({
      name: "DevinApiError",
      kind: "pagination",
      requestId: "req_tiny",
      result: { reason },
    });
    expect((error as Error).message).toContain(`returned a broken page: ${says} (request id req_tiny)`);
    expect(server.hits()).toBe(2);
  });
});

describe("a server cursor that is not valid Unicode text", () => {
  test.each([
    ["a lone high surrogate", "abc\uD800"],
    ["a lone low surrogate", "\uDC00abc"],
    ["a pair in the wrong order", "\uDE00\uD83D"],
  ])("%s is the server's malformed_page, not the caller's invalid_input, and is never sent", async (_name, cursor) => {
    // JSON.stringify writes a lone surrogate as a \\uXXXX escape, which JSON.parse turns back into one.
    const server = await tinyServer((_req, res) =>
      json(res, 200, { items: [1], has_next_page: true, end_cursor: cursor }),
    );
    const { items, error } = await walk(server.url);
    await server.close();
    expect(items).toEqual([1]);
    expect(error).toMatchObject({
      name: "DevinApiError",
      kind: "pagination",
      status: 200,
      result: { reason: "malformed_page" },
    });
    expect((error as Error).message).toContain("the server's cursor is not valid Unicode text");
    expect(server.hits()).toBe(1);
  });
});
