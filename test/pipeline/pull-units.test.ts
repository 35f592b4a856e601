/**
 * The parts of `spec:pull` one by one, in process: fetching a page over HTTP (against a
 * node:http server on 127.0.0.1 that each test shapes), the page cap and the origin of a pull,
 * the docs index, the fragment plan and its write, and the report. spec-pull.test.ts runs the
 * whole pull against the documented pages; this file pins the boundaries and decisions.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExistingFragment } from "../../scripts/import/existing-fragments.ts";
import { type DocsLocation, parseDocsIndex } from "../../scripts/pull/docs-index.ts";
import { type FetchedKind, type FetchSettings, fetchMarkdown } from "../../scripts/pull/fetch-page.ts";
import {
  compareFragments,
  type FragmentEntry,
  type PulledFragment,
  writeFragments,
} from "../../scripts/pull/fragment-changes.ts";
import { type PullOptions, type PullResult, pullSpec } from "../../scripts/pull/pull.ts";
import { formatPullReport } from "../../scripts/pull/report.ts";
import type { OperationRef } from "../../scripts/shared/openapi.ts";
import { isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { MAX_PAGE_BYTES } from "../../scripts/shared/untrusted-input.ts";
import { DOCS_ORIGIN, fictionalPage } from "../support/docs-site.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Site {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** `http://localhost:<port>`: the same server, another origin. */
  otherOrigin: string;
  /** How each URL path is answered; any other path gets a 404. */
  routes: Map<string, Handler>;
  /** Every request, in order. */
  requests: { path: string; accept: string | undefined }[];
  close(): Promise<void>;
}

async function startSite(): Promise<Site> {
  const routes = new Map<string, Handler>();
  const requests: Site["requests"] = [];
  const server = createServer((req, res) => {
    const route = new URL(req.url ?? "/", "http://site").pathname;
    requests.push({ path: route, accept: req.headers.accept });
    const handler = routes.get(route) ?? markdown("Not Found\n", { status: 404 });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // A stalled answer keeps its socket open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with `body`, its Content-Length set by node:http (which `writeHead` would prevent). */
function markdown(
  body: string | Buffer,
  { status = 200, type = "text/markdown; charset=utf-8" as string | undefined, headers = {} } = {},
): Handler {
  return (_, res) => {
    res.statusCode = status;
    for (const [name, value] of Object.entries({ "content-type": type, ...headers })) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.end(body);
  };
}

function redirect(location: string, status = 302): Handler {
  return (_, res) => {
    res.writeHead(status, { location }).end();
  };
}

/** Answers with `first` for the first `times` requests, then with `then`. */
function firstTimes(times: number, first: Handler, then: Handler): Handler {
  let seen = 0;
  return (req, res) => (++seen <= times ? first : then)(req, res);
}

/** Accepts the request and never answers. */
const hang: Handler = () => {};

/** Retries without waiting: the tests count attempts, they do not time them. */
const FAST: FetchSettings = { timeoutMs: 5_000, attempts: 3, backoffMs: 0 };

async function refusal(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPipelineError(error)) throw new Error(`expected a PipelineError, got ${String(error)}`);
  return error;
}

describe("fetching a docs page over HTTP", () => {
  let site: Site;
  beforeEach(async () => {
    site = await startSite();
  });
  afterEach(() => site.close());

  const at = (route: string) => `${site.origin}${route}`;
  const fetchPage = (route: string, settings: Partial<FetchSettings> = {}, kind: FetchedKind = "page") =>
    fetchMarkdown(at(route), kind, { ...FAST, ...settings });
  const paths = () => site.requests.map((r) => r.path);

  it("asks for Markdown first and returns the body as UTF-8 text", async () => {
    site.routes.set("/p.md", markdown("# Schlüssel\n"));
    expect(await fetchPage("/p.md")).toBe("# Schlüssel\n");
    expect(site.requests).toHaveLength(1);
    expect(site.requests[0]?.accept).toMatch(/^text\/markdown\b/);
  });

  it.each<[string, string | undefined]>([
    ["text/plain", "text/plain; charset=utf-8"],
    ["a Markdown type whose parameter names HTML (the media type decides)", "text/markdown;profile=text/html"],
    ["no content type at all", undefined],
  ])("accepts a Markdown body served as %s", async (_, type) => {
    site.routes.set("/p.md", markdown("# Titel\n", { type }));
    expect(await fetchPage("/p.md")).toBe("# Titel\n");
  });

  it.each<[string, FetchedKind, string | undefined, string, string, string]>([
    [
      "a page served as text/html",
      "page",
      "text/html; charset=utf-8",
      "<p>Anmelden</p>",
      "content-type text/html; charset=utf-8",
      "a docs mirror must serve the .md pages too",
    ],
    [
      "an index served as TEXT/HTML",
      "index",
      "TEXT/HTML",
      "<p>Anmelden</p>",
      "content-type TEXT/HTML",
      "the index is a Markdown list of links",
    ],
    [
      "a doctype served as Markdown",
      "page",
      "text/markdown",
      "\n  <!DOCTYPE html><html><body>Seite</body></html>",
      "the body starts with <!DOCTYPE html>",
      "The docs publish each page as Markdown at its URL plus .md",
    ],
    [
      "an <html> element served as plain text, in capitals",
      "page",
      "text/plain",
      "<HTML lang=de><body>Anmelden</body></HTML>",
      "the body starts with <HTML lang=de><",
      "The docs publish each page as Markdown at its URL plus .md",
    ],
  ])("refuses HTML: %s, once, naming the evidence", async (_, kind, type, body, evidence, hint) => {
    site.routes.set("/p.md", markdown(body, { type }));
    const error = await refusal(fetchPage("/p.md", {}, kind));
    expect(error.message).toBe(`HTML where Markdown was expected (${evidence})`);
    expect(error.locations).toEqual([{ file: at("/p.md") }]);
    expect(error.hint).toContain(hint);
    expect(site.requests).toHaveLength(1);
  });

  it("reads a 204 No Content as an empty page", async () => {
    site.routes.set("/p.md", markdown("", { status: 204 }));
    expect(await fetchPage("/p.md")).toBe("");
  });

  describe("redirects", () => {
    it.each([300, 301, 302, 303, 304, 307, 308, 399])(
      "follows a Location on HTTP %i within the origin",
      async (status) => {
        site.routes.set("/old.md", redirect("/new.md", status));
        site.routes.set("/new.md", markdown("# Neu\n"));
        expect(await fetchPage("/old.md")).toBe("# Neu\n");
        expect(paths()).toEqual(["/old.md", "/new.md"]);
      },
    );

    it("ignores a Location on a 200: the body is the page", async () => {
      site.routes.set("/p.md", markdown("# Hier\n", { headers: { location: "/elsewhere.md" } }));
      expect(await fetchPage("/p.md")).toBe("# Hier\n");
      expect(paths()).toEqual(["/p.md"]);
    });

    it.each([
      [400, "HTTP 400 Bad Request"],
      [404, "HTTP 404 Not Found"],
    ])("does not follow a Location on HTTP %i: it fails with the status", async (status, message) => {
      site.routes.set("/p.md", markdown("nope\n", { status, headers: { location: "/elsewhere.md" } }));
      site.routes.set("/elsewhere.md", markdown("# Woanders\n"));
      const error = await refusal(fetchPage("/p.md"));
      expect(error.message).toBe(message);
      expect(paths()).toEqual(["/p.md"]);
    });

    it("fails with the status of a 3xx that has no Location", async () => {
      site.routes.set("/p.md", (_, res) => {
        res.writeHead(304).end();
      });
      const error = await refusal(fetchPage("/p.md"));
      expect(error.message).toBe("HTTP 304 Not Modified");
      expect(error.hint).toContain("open the URL in a browser");
      expect(paths()).toEqual(["/p.md"]);
    });

    it("refuses a Location that is not a URL as a broken redirect, without retrying", async () => {
      site.routes.set("/p.md", redirect("http://[::1"));
      const error = await refusal(fetchPage("/p.md"));
      expect(error.message).toBe('HTTP 302 redirects to a Location that is not a URL: "http://[::1"');
      expect(error.locations).toEqual([{ file: at("/p.md") }]);
      expect(error.hint).toContain("The docs site sent a broken redirect");
      expect(paths()).toEqual(["/p.md"]);
    });

    it("refuses a redirect within the origin to a URL with credentials, without showing them or retrying", async () => {
      site.routes.set("/p.md", redirect(`${site.origin.replace("//", "//user:s3cret@")}/x.md`));
      const error = await refusal(fetchPage("/p.md"));
      expect(error.message).toBe("HTTP 302 redirects to a URL with a user name or password (not shown)");
      expect(error.hint).toContain("A docs page never needs credentials");
      expect(`${error.message}${error.hint}`).not.toContain("s3cret");
      expect(paths()).toEqual(["/p.md"]);
    });

    // Hop i redirects to hop i + 1; the last hop serves the page.
    const chain = (redirects: number) => {
      for (let i = 0; i < redirects; i++) site.routes.set(`/hop${i}`, redirect(`/hop${i + 1}`, 301));
      site.routes.set(`/hop${redirects}`, markdown("# Angekommen\n"));
    };

    it("follows 5 redirects in a row", async () => {
      chain(5);
      expect(await fetchPage("/hop0")).toBe("# Angekommen\n");
      expect(paths()).toHaveLength(6);
    });

    it("refuses a 6th redirect in a row as a loop, without retrying", async () => {
      chain(6);
      const error = await refusal(fetchPage("/hop0"));
      expect(error.message).toBe(`more than 5 redirects in a row (last to ${at("/hop6")})`);
      expect(error.locations).toEqual([{ file: at("/hop0") }]);
      expect(error.hint).toContain("The docs site redirects in a loop");
      expect(paths()).toEqual(["/hop0", "/hop1", "/hop2", "/hop3", "/hop4", "/hop5"]);
    });

    it("refuses a redirect to another origin without requesting it, saying where to point the origin", async () => {
      site.routes.set("/p.md", redirect(`${site.otherOrigin}/p.md`));
      const error = await refusal(fetchPage("/p.md"));
      expect(error.message).toBe(`HTTP 302 redirects to another origin: ${site.otherOrigin}/p.md`);
      expect(error.hint).toContain(`A pull follows redirects only within ${site.origin}.`);
      expect(error.hint).toContain(`If the docs moved to ${site.otherOrigin}, point \`origin:\` in spec/sources.yaml`);
      expect(paths()).toEqual(["/p.md"]);
    });
  });

  describe("HTTP errors", () => {
    it.each<[string, number, FetchedKind, string, string, number]>([
      ["a page", 404, "page", "HTTP 404 Not Found", "if the page moved, follow its new path in spec/sources.yaml", 1],
      ["a page", 410, "page", "HTTP 410 Gone", "if the page moved, follow its new path in spec/sources.yaml", 1],
      ["the index", 404, "index", "HTTP 404 Not Found", "the docs publish their page index at /llms.txt", 1],
      ["a page", 403, "page", "HTTP 403 Forbidden", "The docs site refused the request", 1],
      ["the index", 401, "index", "HTTP 401 Unauthorized", "The docs site refused the request", 1],
      [
        "a page",
        500,
        "page",
        "HTTP 500 Internal Server Error (gave up after 3 attempts)",
        "The docs site failed: try again later",
        3,
      ],
      ["the index", 503, "index", "HTTP 503 Service Unavailable (gave up after 3 attempts)", "try again later", 3],
    ])("%s answering %i (%s): %s, hint %s, %i request(s)", async (_, status, kind, message, hint, requests) => {
      site.routes.set("/p.md", markdown("nope\n", { status }));
      const error = await refusal(fetchPage("/p.md", { attempts: 3 }, kind));
      expect(error.message).toBe(message);
      expect(error.locations).toEqual([{ file: at("/p.md") }]);
      expect(error.hint).toContain(hint);
      expect(site.requests).toHaveLength(requests);
    });

    it("retries a 5xx up to the attempt limit, and returns the page that then answers", async () => {
      site.routes.set("/p.md", firstTimes(2, markdown("busy\n", { status: 503 }), markdown("# Endlich\n")));
      expect(await fetchPage("/p.md", { attempts: 3 })).toBe("# Endlich\n");
      expect(site.requests).toHaveLength(3);
    });

    it.each<[string, Record<string, string>]>([
      ["without Retry-After", {}],
      ["with Retry-After: 0", { "retry-after": "0" }],
      ["with a Retry-After date in the past", { "retry-after": "Sun, 06 Nov 1994 08:49:37 GMT" }],
    ])("retries a 429 %s, and returns the page that then answers", async (_, headers) => {
      site.routes.set(
        "/p.md",
        firstTimes(2, markdown("slow down\n", { status: 429, headers }), markdown("# Endlich\n")),
      );
      expect(await fetchPage("/p.md", { attempts: 3 })).toBe("# Endlich\n");
      expect(site.requests).toHaveLength(3);
    });

    it("gives up on a 429 after the attempt limit, saying the site limits requests", async () => {
      site.routes.set("/p.md", markdown("slow down\n", { status: 429 }));
      const error = await refusal(fetchPage("/p.md", { attempts: 2 }));
      expect(error.message).toBe("HTTP 429 Too Many Requests (gave up after 2 attempts)");
      expect(error.hint).toContain("limits how often it is asked");
      expect(site.requests).toHaveLength(2);
    });

    it.each([
      [429, "HTTP 429 Too Many Requests", "61", 61],
      [503, "HTTP 503 Service Unavailable", "3600", 3600],
    ])(
      "does not retry a %i whose Retry-After asks for more than a pull waits",
      async (status, text, after, seconds) => {
        site.routes.set(
          "/p.md",
          firstTimes(1, markdown("later\n", { status, headers: { "retry-after": after } }), markdown("# Zu früh\n")),
        );
        const error = await refusal(fetchPage("/p.md", { attempts: 3 }));
        expect(error.message).toBe(
          `${text}: the docs site asks to wait ${seconds} s (Retry-After), longer than a pull waits (60 s)`,
        );
        expect(error.hint).toBe(`Run the pull again in ${seconds} s or later.`);
        expect(site.requests).toHaveLength(1);
      },
    );

    it.each<[string, number, string, number[], number]>([
      ["waits the Retry-After a busy site asks for before the next try", 2, "1", [1000], 2],
      ["waits up to 60 s", 2, "60", [60_000], 2],
      ["waits before each retry, not after the last attempt", 3, "2", [2000, 2000], 3],
      ["does not wait when no retry is left", 1, "1", [], 1],
    ])("%s", async (_, attempts, after, waits, requests) => {
      site.routes.set("/p.md", markdown("busy\n", { status: 503, headers: { "retry-after": after } }));
      const waited: number[] = [];
      const wait = async (ms: number) => {
        waited.push(ms);
      };
      const error = await refusal(fetchMarkdown(at("/p.md"), "page", { ...FAST, attempts }, wait));
      expect(error.message).toMatch(/^HTTP 503 Service Unavailable \(gave up after \d attempts?\)$/);
      expect(waited).toEqual(waits);
      expect(site.requests).toHaveLength(requests);
    });

    it("returns the page that answers after the wait", async () => {
      site.routes.set(
        "/p.md",
        firstTimes(1, markdown("busy\n", { status: 429, headers: { "retry-after": "5" } }), markdown("# Da\n")),
      );
      const waited: number[] = [];
      const text = await fetchMarkdown(at("/p.md"), "page", FAST, async (ms) => {
        waited.push(ms);
      });
      expect(text).toBe("# Da\n");
      expect(waited).toEqual([5000]);
    });

    it("says 1 attempt, in the singular, when only one is allowed", async () => {
      site.routes.set("/p.md", markdown("nope\n", { status: 500 }));
      const error = await refusal(fetchPage("/p.md", { attempts: 1 }));
      expect(error.message).toBe("HTTP 500 Internal Server Error (gave up after 1 attempt)");
      expect(site.requests).toHaveLength(1);
    });

    it("shows the bare status when the server sends no reason phrase", async () => {
      site.routes.set("/p.md", (_, res) => {
        res.writeHead(502, "").end();
      });
      const error = await refusal(fetchPage("/p.md", { attempts: 1 }));
      expect(error.message).toBe("HTTP 502 (gave up after 1 attempt)");
    });
  });

  describe(`the size cap of ${MAX_PAGE_BYTES} bytes`, () => {
    const exactly = Buffer.alloc(MAX_PAGE_BYTES, "x");
    const oneMore = Buffer.alloc(MAX_PAGE_BYTES + 1, "x");
    /** Without Content-Length: node:http sends the writes as chunks. */
    const chunked =
      (body: Buffer): Handler =>
      (_, res) => {
        res.writeHead(200, { "content-type": "text/markdown" });
        for (let i = 0; i < body.length; i += 1024 * 1024) res.write(body.subarray(i, i + 1024 * 1024));
        res.end();
      };

    it.each<[string, Handler]>([
      ["with Content-Length", markdown(exactly)],
      ["chunked", chunked(exactly)],
    ])("accepts a page of exactly the cap, %s", async (_, handler) => {
      site.routes.set("/p.md", handler);
      const text = await fetchPage("/p.md");
      expect(text.length).toBe(MAX_PAGE_BYTES);
      expect(site.requests).toHaveLength(1);
    });

    it.each<[string, Handler]>([
      ["with Content-Length", markdown(oneMore)],
      ["chunked", chunked(oneMore)],
    ])("refuses a page one byte over the cap, %s, without retrying", async (_, handler) => {
      site.routes.set("/p.md", handler);
      const error = await refusal(fetchPage("/p.md"));
      expect(error.message).toContain("the page is larger than 5 MiB (5242880 bytes)");
      expect(error.locations).toEqual([{ file: at("/p.md") }]);
      expect(error.hint).toContain("check that this is the page as the docs deliver it");
      expect(site.requests).toHaveLength(1);
    });

    it("refuses a declared Content-Length over the cap before reading the body", async () => {
      // The body never comes: only a refusal from the header alone ends this request early.
      site.routes.set("/p.md", (_, res) => {
        res.writeHead(200, { "content-type": "text/markdown", "content-length": String(MAX_PAGE_BYTES + 1) });
        res.write("# Anfang\n");
      });
      const error = await refusal(fetchPage("/p.md", { attempts: 1 }));
      expect(error.message).toContain("the page is larger than 5 MiB");
    });
  });

  describe("requests that get no (whole) answer are retried", () => {
    it("a refused connection: names the code and what to check", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/llms.txt`;
      await new Promise((resolve) => closed.close(resolve));
      const error = await refusal(fetchMarkdown(url, "index", { ...FAST, attempts: 2 }));
      expect(error.message).toBe("connection refused: ECONNREFUSED (gave up after 2 attempts)");
      expect(error.locations).toEqual([{ file: url }]);
      expect(error.hint).toContain("`origin:` in spec/sources.yaml) and the network; try again later.");
    });

    it("an answer that is not HTTP: names the parser's code", async () => {
      site.routes.set("/p.md", (req) => {
        req.socket.end("NOT HTTP AT ALL\r\n\r\n");
      });
      const error = await refusal(fetchPage("/p.md", { attempts: 2 }));
      expect(error.message).toBe("connection failed: HPE_INVALID_CONSTANT (gave up after 2 attempts)");
      expect(site.requests).toHaveLength(2);
    });

    it("a connection closed in the middle of the body, then a whole answer", async () => {
      const cutOff: Handler = (_, res) => {
        res.writeHead(200, { "content-type": "text/markdown", "content-length": "100" });
        res.write("# Halb");
        // After the first bytes are on their way, so that the body, not the head, is cut.
        setTimeout(() => res.socket?.destroy(), 20);
      };
      site.routes.set("/p.md", firstTimes(1, cutOff, markdown("# Ganz\n")));
      expect(await fetchPage("/p.md")).toBe("# Ganz\n");
      expect(site.requests).toHaveLength(2);
    });

    it("a connection closed in the middle of every body: says the server closed it", async () => {
      site.routes.set("/p.md", (_, res) => {
        res.writeHead(200, { "content-type": "text/markdown", "content-length": "100" });
        res.write("# Halb");
        setTimeout(() => res.socket?.destroy(), 20);
      });
      const error = await refusal(fetchPage("/p.md", { attempts: 2 }));
      expect(error.message).toBe("the server closed the connection: UND_ERR_SOCKET (gave up after 2 attempts)");
    });

    it.each<[string, Handler]>([
      ["no answer at all", hang],
      [
        "a body that stops coming",
        (_, res) => {
          res.writeHead(200, { "content-type": "text/markdown" });
          res.write("# Anfang\n");
        },
      ],
    ])("%s: times out on each attempt, and says how to allow more time", async (_, handler) => {
      site.routes.set("/p.md", handler);
      const error = await refusal(fetchPage("/p.md", { attempts: 2, timeoutMs: 200 }));
      expect(error.message).toBe("timed out: no answer within 200 ms (gave up after 2 attempts)");
      expect(error.hint).toContain("allow more time with --timeout <ms>");
      expect(site.requests).toHaveLength(2);
    });
  });

  it("throws a URL that is no URL as the caller's bug, not as a docs problem", async () => {
    await expect(fetchMarkdown("docs.devin.ai/llms.txt", "index", FAST)).rejects.toBeInstanceOf(TypeError);
  });
});

describe("pullSpec", () => {
  let site: Site;
  let root: string;
  let layout: ProjectLayout;
  beforeEach(async () => {
    site = await startSite();
    root = await mkdtemp(path.join(tmpdir(), "devin-pull-units-"));
    layout = projectLayout(root);
    await mkdir(layout.fragmentsDir, { recursive: true });
  });
  afterEach(async () => {
    await site.close();
    await rm(root, { recursive: true, force: true });
  });

  const writeSources = (text: string) => writeFile(path.join(root, "spec", "sources.yaml"), text);
  const serveIndex = (pagePaths: readonly string[]) =>
    site.routes.set("/llms.txt", markdown(pagePaths.map((p) => `- [${p}](/${p}.md)\n`).join(""), { type: undefined }));
  const pull = (options: PullOptions = {}) => pullSpec(layout, { origin: site.origin, backoffMs: 0, ...options });
  const pageUrl = (pagePath: string) => `${site.origin}/de/${pagePath}.md`;

  it("fetches from sources.yaml's origin when no --origin is given", async () => {
    await writeSources(`origin: ${site.origin}\nlanguage: de\npages:\n  - api/get-secret\n`);
    serveIndex(["api/get-secret"]);
    site.routes.set("/de/api/get-secret.md", markdown(fictionalPage("get-secret")));
    const result = await pullSpec(layout, { backoffMs: 0 });
    expect(result).toMatchObject({ origin: site.origin, indexUrl: `${site.origin}/llms.txt`, written: true });
    expect(result.entries).toEqual([
      {
        change: "added",
        fragment: "spec/fragments/handle-get-secret.yaml",
        operation: "GET /v3/organizations/{org_id}/secrets/{secret_id}",
        url: pageUrl("api/get-secret"),
      },
    ]);
    expect(await readdir(layout.fragmentsDir)).toEqual(["handle-get-secret.yaml"]);
  });

  it("refuses an --origin that is no URL before any request, saying how to pass it", async () => {
    await writeSources("language: de\npages:\n  - api/get-secret\n");
    const error = await refusal(pull({ origin: "docs.corp.example" }));
    expect(error.message).toBe('the origin is not a URL: "docs.corp.example"');
    expect(error.hint).toBe("Pass the docs origin alone, e.g. https://docs.example.com");
    expect(error.locations).toEqual([]);
    expect(site.requests).toEqual([]);
  });

  it("fetches the followed pages in code-point order of their paths, whatever the index's order", async () => {
    await writeSources("language: de\npatterns:\n  - api/*\n");
    const names = ["list-secrets", "delete-secret", "get-secret"];
    serveIndex(names.map((n) => `api/${n}`));
    for (const n of names) site.routes.set(`/de/api/${n}.md`, markdown(fictionalPage(n)));
    const started: string[] = [];
    await pull({ concurrency: 1, onProgress: (p) => started.push(p.url) });
    expect(started).toEqual([
      `${site.origin}/llms.txt`,
      pageUrl("api/delete-secret"),
      pageUrl("api/get-secret"),
      pageUrl("api/list-secrets"),
    ]);
  });

  it("names the URL of each failed page among the failure's locations", async () => {
    await writeSources("language: de\npages:\n  - api/a\n  - api/b\n");
    serveIndex(["api/a", "api/b"]);
    const error = await refusal(pull({ attempts: 1 }));
    expect(error.message).toBe("spec:pull failed: 2 problems; nothing was written");
    expect(error.locations).toEqual([{ file: pageUrl("api/a") }, { file: pageUrl("api/b") }]);
  });

  describe("the cap on followed pages", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `api/p${String(i).padStart(3, "0")}`);
    const capProblem = async (options: PullOptions) => {
      const error = await refusal(pull(options));
      expect(error.message).toBe("spec:pull failed: 1 problem; nothing was written");
      return error.details?.[0];
    };

    it("follows 500 pages by default", async () => {
      await writeSources("language: de\npatterns:\n  - api/*\n");
      serveIndex(many(500));
      // Every page is missing: the pull got past the cap and requested each of them.
      const error = await refusal(pull({ attempts: 1, concurrency: 8 }));
      expect(error.message).toBe("spec:pull failed: 500 problems; nothing was written");
      expect(site.requests).toHaveLength(501);
    });

    it("refuses a 501st page before fetching any, naming the pattern and its count", async () => {
      await writeSources("language: de\npatterns:\n  - api/*\n");
      serveIndex(many(501));
      expect(await capProblem({})).toMatchObject({
        locations: [{ file: "spec/sources.yaml", line: 3 }],
        message: '501 pages would be followed, more than the limit of 500 (pattern "api/*" matches 501)',
      });
      expect(site.requests.map((r) => r.path)).toEqual(["/llms.txt"]);
    });

    it("names only the patterns that match a page", async () => {
      await writeSources("language: de\npatterns:\n  - none/*\n  - api/*\n");
      serveIndex(["api/a", "api/b"]);
      expect(await capProblem({ maxPages: 1 })).toMatchObject({
        locations: [{ file: "spec/sources.yaml", line: 4 }],
        message: '2 pages would be followed, more than the limit of 1 (pattern "api/*" matches 2)',
      });
    });

    it("pages over the limit that no pattern matched: names sources.yaml itself", async () => {
      await writeSources("language: de\npages:\n  - api/a\n  - api/b\n");
      serveIndex(["api/a", "api/b"]);
      expect(await capProblem({ maxPages: 1 })).toEqual({
        locations: [{ file: "spec/sources.yaml" }],
        message: "2 pages would be followed, more than the limit of 1",
        hint: expect.stringContaining("Narrow the patterns in spec/sources.yaml to the folders you need"),
      });
      expect(site.requests.map((r) => r.path)).toEqual(["/llms.txt"]);
    });
  });
});

describe("the docs index (llms.txt): which links are pages", () => {
  const at: DocsLocation = { origin: "http://127.0.0.1:4000", defaultOrigin: DOCS_ORIGIN, language: "de" };
  const INDEX = "http://127.0.0.1:4000/llms.txt";
  const page = (p: string) => [p, `http://127.0.0.1:4000/de/${p}.md`];

  it.each<[string, string, string[] | undefined]>([
    ["a relative link without a leading /", "- [T](a/b.md)", page("a/b")],
    ["a trailing /", `- [T](${DOCS_ORIGIN}/a/b/)`, page("a/b")],
    ["trailing slashes", `- [T](${DOCS_ORIGIN}/a/b//)`, page("a/b")],
    ["leading slashes in the path", `- [T](${DOCS_ORIGIN}//a/b.md)`, page("a/b")],
    ["a capital .MD", `- [T](${DOCS_ORIGIN}/a/b.MD)`, page("a/b")],
    [".md inside the path, kept", `- [T](${DOCS_ORIGIN}/notes.md/b.md)`, page("notes.md/b")],
    ["the language's root", `- [Deutsch](${DOCS_ORIGIN}/de/)`, undefined],
    ["the language's root as a page", `- [Deutsch](${DOCS_ORIGIN}/de.md)`, undefined],
    ["the default origin over http, another origin", "- [T](http://docs.devin.ai/a/b.md)", undefined],
    ["another port of the override's host", "- [T](http://127.0.0.1:4001/a/b.md)", undefined],
    ["a link that is no URL", "- [T](http://[kaputt/a.md)", undefined],
  ])("%s", (_, line, expected) => {
    const pages = parseDocsIndex(`# Docs\n\n${line}\n`, INDEX, at);
    expect([...pages.entries()]).toEqual(expected ? [expected] : []);
  });

  it("lists a page linked several ways once, in the order of its first link", () => {
    const text = [
      `- [B](${DOCS_ORIGIN}/b.md)`,
      `- [A](${DOCS_ORIGIN}/de/a.md)`,
      "- [A again](/a.md)",
      "- [B again](http://127.0.0.1:4000/de/b)",
      "- [Elsewhere](https://elsewhere.example/c.md)",
    ].join("\r\n");
    expect([...parseDocsIndex(text, INDEX, at).entries()]).toEqual([page("b"), page("a")]);
  });
});

describe("the fragment plan and its write", () => {
  const op = (method: OperationRef["method"], p: string): OperationRef => ({ method, path: p, operationId: undefined });
  const pulled = (name: string, text: string, operation = op("get", `/${name}`)): PulledFragment => ({
    page: `http://docs.test/de/${name}.md`,
    url: `http://docs.test/de/${name}.md`,
    op: operation,
    text,
    name: `${name}.yaml`,
  });
  const existing = (name: string, text: string, operation: OperationRef | undefined): ExistingFragment => ({
    name: `${name}.yaml`,
    file: `/proj/spec/fragments/${name}.yaml`,
    text,
    op: operation,
  });

  it("decides added, changed, removed and unchanged by file name and text (CRLF is unchanged)", () => {
    const entries = compareFragments(
      [pulled("e-new", "e\n"), pulled("b-same", "b\n"), pulled("c-edited", "c2\n"), pulled("a-crlf", "a\nb\n")],
      [
        existing("b-same", "b\n", op("get", "/b-same")),
        existing("c-edited", "c1\n", op("get", "/c-edited")),
        existing("a-crlf", "a\r\nb\r\n", op("get", "/a-crlf")),
        existing("d-gone", "d\n", op("delete", "/d-gone")),
        existing("f-broken", ": :\n", undefined),
      ],
      projectLayout("/proj"),
    );
    expect(entries.map((e) => [e.change, e.fragment, e.operation, e.url])).toEqual([
      ["unchanged", "spec/fragments/a-crlf.yaml", "GET /a-crlf", "http://docs.test/de/a-crlf.md"],
      ["unchanged", "spec/fragments/b-same.yaml", "GET /b-same", "http://docs.test/de/b-same.md"],
      ["changed", "spec/fragments/c-edited.yaml", "GET /c-edited", "http://docs.test/de/c-edited.md"],
      ["removed", "spec/fragments/d-gone.yaml", "DELETE /d-gone", undefined],
      ["added", "spec/fragments/e-new.yaml", "GET /e-new", "http://docs.test/de/e-new.md"],
      ["removed", "spec/fragments/f-broken.yaml", undefined, undefined],
    ]);
  });

  describe("writeFragments", () => {
    let root: string;
    let layout: ProjectLayout;
    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), "devin-pull-units-"));
      layout = projectLayout(root);
      await mkdir(path.join(root, "spec"));
    });
    afterEach(() => rm(root, { recursive: true, force: true }));

    const entry = (change: FragmentEntry["change"], name: string): FragmentEntry => ({
      change,
      fragment: `spec/fragments/${name}.yaml`,
      operation: undefined,
      url: undefined,
    });

    it("creates spec/fragments in a project that has none", async () => {
      await writeFragments(layout, [pulled("a", "a: 1\n")], [entry("added", "a")]);
      expect(await readdir(layout.fragmentsDir)).toEqual(["a.yaml"]);
      expect(await readFile(path.join(layout.fragmentsDir, "a.yaml"), "utf8")).toBe("a: 1\n");
    });

    it.skipIf(process.platform === "win32")(
      "writes the changes and carries everything else over as it was: bytes, times, symlinks",
      async () => {
        const dir = layout.fragmentsDir;
        const file = (name: string) => path.join(dir, name);
        await mkdir(dir);
        await writeFile(file("keep.yaml"), "k: 1\r\n");
        await writeFile(file("edit.yaml"), "e: 1\n");
        await writeFile(file("gone.yaml"), "g: 1\n");
        await writeFile(file("shared.yaml"), "Teil:\n  type: string\n");
        await symlink("shared.yaml", file("link.yaml"));
        const past = new Date("2001-02-03T04:05:06Z");
        await utimes(file("keep.yaml"), past, past);
        await utimes(file("shared.yaml"), past, past);

        await writeFragments(
          layout,
          [pulled("keep", "k: 1\n"), pulled("edit", "e: 2\n"), pulled("new", "n: 1\n")],
          [entry("unchanged", "keep"), entry("changed", "edit"), entry("removed", "gone"), entry("added", "new")],
        );

        expect((await readdir(dir)).sort()).toEqual(["edit.yaml", "keep.yaml", "link.yaml", "new.yaml", "shared.yaml"]);
        expect(await readFile(file("edit.yaml"), "utf8")).toBe("e: 2\n");
        expect(await readFile(file("new.yaml"), "utf8")).toBe("n: 1\n");
        // An unchanged fragment keeps its CRLF bytes and its time: it is not rewritten.
        expect(await readFile(file("keep.yaml"), "utf8")).toBe("k: 1\r\n");
        expect((await lstat(file("keep.yaml"))).mtime).toEqual(past);
        expect((await lstat(file("shared.yaml"))).mtime).toEqual(past);
        expect(await readlink(file("link.yaml"))).toBe("shared.yaml");
      },
    );
  });
});

describe("the report of a pull", () => {
  const ORIGIN = "http://docs.test";
  const line = (change: FragmentEntry["change"], name: string, operation?: string): FragmentEntry => ({
    change,
    fragment: `spec/fragments/${name}.yaml`,
    operation,
    url: change === "removed" ? undefined : `${ORIGIN}/de/${name}.md`,
  });
  const report = (dryRun: boolean, entries: FragmentEntry[]) =>
    formatPullReport({
      origin: ORIGIN,
      language: "de",
      indexUrl: `${ORIGIN}/llms.txt`,
      entries,
      warnings: [],
      dryRun,
      written: false,
    } satisfies PullResult);

  it("one line per fragment and kind of change, pages counted without the removed ones", () => {
    expect(
      report(false, [
        line("added", "a", "GET /a"),
        line("changed", "b", "PUT /b"),
        line("removed", "c"),
        line("unchanged", "d", "DELETE /d"),
      ]),
    ).toEqual([
      `added      spec/fragments/a.yaml  GET /a  ${ORIGIN}/de/a.md`,
      `changed    spec/fragments/b.yaml  PUT /b  ${ORIGIN}/de/b.md`,
      "removed    spec/fragments/c.yaml  (not a readable fragment)  (no followed page)",
      `unchanged  spec/fragments/d.yaml  DELETE /d  ${ORIGIN}/de/d.md`,
      `spec:pull: 3 pages from ${ORIGIN} (de): 1 added, 1 changed, 1 removed, 1 unchanged`,
      "next: npm run generate",
    ]);
  });

  it.each<[string, boolean, FragmentEntry[], string[]]>([
    [
      "nothing changed, one page",
      false,
      [line("unchanged", "d", "GET /d")],
      [
        `unchanged  spec/fragments/d.yaml  GET /d  ${ORIGIN}/de/d.md`,
        `spec:pull: 1 page from ${ORIGIN} (de): 0 added, 0 changed, 0 removed, 1 unchanged`,
      ],
    ],
    [
      "a dry run with one change among unchanged",
      true,
      [line("changed", "b", "GET /b"), line("unchanged", "d", "GET /d")],
      [
        "dry run: the plan below is not written",
        `changed    spec/fragments/b.yaml  GET /b  ${ORIGIN}/de/b.md`,
        `unchanged  spec/fragments/d.yaml  GET /d  ${ORIGIN}/de/d.md`,
        `dry run: 2 pages from ${ORIGIN} (de): 0 added, 1 changed, 0 removed, 1 unchanged; nothing was written`,
        "next: npm run spec:pull (without --dry-run), then npm run generate",
      ],
    ],
    [
      "a dry run with nothing changed",
      true,
      [line("unchanged", "d", "GET /d")],
      [
        "dry run: the plan below is not written",
        `unchanged  spec/fragments/d.yaml  GET /d  ${ORIGIN}/de/d.md`,
        `dry run: 1 page from ${ORIGIN} (de): 0 added, 0 changed, 0 removed, 1 unchanged; nothing was written`,
      ],
    ],
    [
      "a dry run that only removes",
      true,
      [line("removed", "c", "GET /c")],
      [
        "dry run: the plan below is not written",
        "removed    spec/fragments/c.yaml  GET /c  (no followed page)",
        `dry run: 0 pages from ${ORIGIN} (de): 0 added, 0 changed, 1 removed, 0 unchanged; nothing was written`,
        "next: npm run spec:pull (without --dry-run), then npm run generate",
      ],
    ],
  ])("%s", (_, dryRun, entries, expected) => {
    expect(report(dryRun, entries)).toEqual(expected);
  });
});
