/**
 * A local stand-in for the docs site (https://docs.devin.ai), for the spec:pull tests: node:http
 * on 127.0.0.1, serving an index and Markdown pages from an in-memory map by URL path, with
 * faults injected per path (an HTTP status some times, a request that never gets an answer, an
 * HTML page, a redirect). It records every request, so a test can tell what was (not) fetched.
 */
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { FIXTURES } from "../pipeline/helpers.ts";

/** What the docs' own index links to: pages of the default language on the default origin. */
export const DOCS_ORIGIN = "https://docs.devin.ai";

/** The two documented pages, by page path (the URL without origin, language and `.md`). */
export const DOCUMENTED_PAGES = {
  list: {
    path: "api-reference/v3/service-users/get-enterprise-service-user-api-keys",
    fragment: "handle-list-service-user-api-keys.yaml",
    text: readFileSync(path.join(FIXTURES, "pages", "list-api-keys.md"), "utf8"),
  },
  revoke: {
    path: "api-reference/v3/service-users/delete-enterprise-service-user-api-key",
    fragment: "handle-revoke-service-user-api-key.yaml",
    text: readFileSync(path.join(FIXTURES, "pages", "revoke-api-key.md"), "utf8"),
  },
} as const;

/** The fixture index (test/fixtures/docs-site/llms.txt): the two documented pages and others. */
export const FIXTURE_INDEX = readFileSync(path.join(FIXTURES, "docs-site", "llms.txt"), "utf8");

/** A fictional page of test/fixtures/docs-v3 (e.g. `list-secrets`), as the docs would serve it. */
export function fictionalPage(name: string): string {
  return readFileSync(path.join(FIXTURES, "docs-v3", `${name}.md`), "utf8");
}

/** An index in the llms.txt format linking to these page paths on `origin`. */
export function llmsTxt(pagePaths: readonly string[], origin = DOCS_ORIGIN): string {
  const items = pagePaths.map((p) => `- [${path.basename(p)}](${origin}/${p}.md): ${p}`);
  return ["# Devin Docs", "", "## API Reference", "", ...items, ""].join("\n");
}

/** Where a page is served: `/de/<page path>.md`. */
export const pageRoute = (pagePath: string, language = "de") => `/${language}/${pagePath}.md`;

export type DocsFault =
  /** Answer with `status` (default: every time; else `times` times, then normally). */
  | { kind: "status"; status: number; times?: number }
  /** Accept the request and never answer. */
  | { kind: "hang" }
  /** Answer 200 with an HTML page as `text/html`, as a web page or a login wall would. */
  | { kind: "html" }
  /** Answer 302 to `location`. */
  | { kind: "redirect"; location: string };

export interface DocsSite {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** What is served, by URL path (`/llms.txt`, `/de/api-reference/….md`); change it between pulls. */
  files: Map<string, string>;
  /** Faults by URL path, applied before `files`. */
  faults: Map<string, DocsFault>;
  /** Every request's path, in the order they came. */
  requests: string[];
  close(): Promise<void>;
}

/** The docs as they are today: the fixture index and the two documented pages. */
export function documentedFiles(): Map<string, string> {
  return new Map([
    ["/llms.txt", FIXTURE_INDEX],
    [pageRoute(DOCUMENTED_PAGES.list.path), DOCUMENTED_PAGES.list.text],
    [pageRoute(DOCUMENTED_PAGES.revoke.path), DOCUMENTED_PAGES.revoke.text],
  ]);
}

export async function startDocsSite(files: Map<string, string> = documentedFiles()): Promise<DocsSite> {
  const faults = new Map<string, DocsFault>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const route = new URL(req.url ?? "/", "http://site").pathname;
    requests.push(route);
    const fault = faults.get(route);
    if (fault?.kind === "status" && fault.times !== undefined && --fault.times <= 0) faults.delete(route);
    switch (fault?.kind) {
      case "hang":
        return;
      case "status":
        return send(res, fault.status, "text/plain", `status ${fault.status}\n`);
      case "html":
        return send(res, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Anmelden</body></html>\n");
      case "redirect":
        res.writeHead(302, { location: fault.location }).end();
        return;
    }
    const body = files.get(route);
    if (body === undefined) return send(res, 404, "text/plain", "Not Found\n");
    send(res, 200, route.endsWith(".md") ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8", body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    files,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // A hung request keeps its socket open; close it so the server can stop.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type }).end(body);
}
