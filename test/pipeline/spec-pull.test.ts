import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDocsIndex } from "../../scripts/pull/docs-index.ts";
import { type PullOptions, pullSpec } from "../../scripts/pull/pull.ts";
import { formatPullReport } from "../../scripts/pull/report.ts";
import { indexUrlOf, originOverride, parseSources } from "../../scripts/pull/sources.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/shared/pipeline-error.ts";
import { MAX_PAGE_BYTES } from "../../scripts/shared/untrusted-input.ts";
import {
  DOCS_ORIGIN,
  DOCUMENTED_PAGES,
  type DocsSite,
  fictionalPage,
  llmsTxt,
  pageRoute,
  startDocsSite,
} from "../support/docs-site.ts";
import { copyDocumentedProject, FIXTURE_PROJECT, REPO, runScript, snapshotDir, type TempProject } from "./helpers.ts";

const LIST = DOCUMENTED_PAGES.list;
const REVOKE = DOCUMENTED_PAGES.revoke;
const SECRETS = "api-reference/v3/secrets";
/** The line of the committed spec/sources.yaml that follows the revoke page. */
const REVOKE_LINE =
  readFileSync(path.join(REPO, "spec", "sources.yaml"), "utf8")
    .split("\n")
    .findIndex((line) => line.endsWith(`- ${REVOKE.path}`)) + 1;

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPipelineError(error)) throw new Error(`expected a PipelineError, got ${String(error)}`);
  return formatPipelineError(error);
}

/** What `ls -l` would show of every file and folder under `dir`: to prove nothing was written. */
async function fileTimes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const note = async (file: string) => {
    const s = await stat(file, { bigint: true });
    out.set(path.relative(dir, file), `${s.ino}:${s.mtimeNs}`);
  };
  await note(dir);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    await note(path.join(entry.parentPath, entry.name));
  }
  return out;
}

describe("spec:pull", () => {
  let project: TempProject;
  let site: DocsSite;
  let specDir: string;
  beforeEach(async () => {
    project = await copyDocumentedProject();
    specDir = path.join(project.root, "spec");
    site = await startDocsSite();
  });
  afterEach(async () => {
    await site.close();
    await project.cleanup();
  });

  // Retries without waiting: the tests check how often, not how long.
  const pull = (options: PullOptions = {}) => pullSpec(project, { origin: site.origin, backoffMs: 0, ...options });
  const url = (pagePath: string) => `${site.origin}${pageRoute(pagePath)}`;
  const summary = (entries: { change: string; fragment: string }[]) =>
    entries.map((e) => `${e.change} ${path.basename(e.fragment)}`);
  const emptyFragments = async () => {
    for (const name of await readdir(project.fragmentsDir)) await rm(path.join(project.fragmentsDir, name));
  };
  const writeSources = (text: string) => writeFile(path.join(specDir, "sources.yaml"), text);
  const followPatterns = (...patterns: string[]) =>
    writeSources(`language: de\npatterns:\n${patterns.map((p) => `  - ${p}\n`).join("")}`);

  it("documented endpoints: restores the committed fragments byte for byte into an empty spec/fragments", async () => {
    const committed = await snapshotDir(specDir);
    await emptyFragments();
    const result = await pull();
    expect(result.entries).toEqual([
      {
        change: "added",
        fragment: `spec/fragments/${LIST.fragment}`,
        operation: "GET /v3beta1/enterprise/service-users/{service_user_id}/api-keys",
        url: url(LIST.path),
      },
      {
        change: "added",
        fragment: `spec/fragments/${REVOKE.fragment}`,
        operation: "DELETE /v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}",
        url: url(REVOKE.path),
      },
    ]);
    expect(result.written).toBe(true);
    expect(await snapshotDir(specDir)).toEqual(committed);
    expect(formatPullReport(result)).toEqual([
      `added      spec/fragments/${LIST.fragment}  GET /v3beta1/enterprise/service-users/{service_user_id}/api-keys  ${url(LIST.path)}`,
      `added      spec/fragments/${REVOKE.fragment}  DELETE /v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}  ${url(REVOKE.path)}`,
      `spec:pull: 2 pages from ${site.origin} (de): 2 added, 0 changed, 0 removed, 0 unchanged`,
      "next: npm run generate",
    ]);
  });

  it("writes nothing when nothing changed: every fragment unchanged, no file or folder touched", async () => {
    const before = await fileTimes(specDir);
    const result = await pull();
    expect(summary(result.entries)).toEqual([`unchanged ${LIST.fragment}`, `unchanged ${REVOKE.fragment}`]);
    expect(result.written).toBe(false);
    expect(await fileTimes(specDir)).toEqual(before);
    expect(formatPullReport(result).at(-1)).toBe(
      `spec:pull: 2 pages from ${site.origin} (de): 0 added, 0 changed, 0 removed, 2 unchanged`,
    );
  });

  it("rewrites the fragment of a changed page and reports it as changed", async () => {
    site.files.set(pageRoute(LIST.path), LIST.text.replaceAll("optional nach Status", "wahlweise nach Status"));
    const result = await pull();
    expect(summary(result.entries)).toEqual([`changed ${LIST.fragment}`, `unchanged ${REVOKE.fragment}`]);
    const fragment = await readFile(path.join(project.fragmentsDir, LIST.fragment), "utf8");
    expect(fragment).toContain("wahlweise nach Status");
    expect(fragment).not.toContain("optional nach Status");
  });

  it("adds the fragment of a new page a pattern matches, then removes it when the page leaves the index", async () => {
    // The list page is followed by name and by pattern: it is fetched once.
    await writeSources(
      `language: de\npages:\n  - ${LIST.path}\npatterns:\n  - api-reference/v3/service-users/*\n  - ${SECRETS}/*\n`,
    );
    site.files.set("/llms.txt", llmsTxt([LIST.path, REVOKE.path, `${SECRETS}/list-secrets`]));
    site.files.set(pageRoute(`${SECRETS}/list-secrets`), fictionalPage("list-secrets"));
    // A part that fragments $ref, and a file that is no YAML: not fragments, so not the pull's.
    await writeFile(path.join(project.fragmentsDir, "shared.yaml"), "Geteilt:\n  type: string\n");
    await writeFile(path.join(project.fragmentsDir, "NOTES.txt"), "notes\n");

    const added = await pull();
    expect(summary(added.entries)).toEqual([
      "added handle-list-secrets.yaml",
      `unchanged ${LIST.fragment}`,
      `unchanged ${REVOKE.fragment}`,
    ]);
    expect(added.entries[0]?.url).toBe(url(`${SECRETS}/list-secrets`));
    expect(site.requests.filter((r) => r === pageRoute(LIST.path))).toHaveLength(1);
    expect(await readFile(path.join(project.fragmentsDir, "handle-list-secrets.yaml"), "utf8")).toContain(
      "/v3/organizations/{org_id}/secrets:",
    );

    // The page is still served, but the docs no longer list it: it is no longer followed.
    site.files.set("/llms.txt", llmsTxt([LIST.path, REVOKE.path]));
    const removed = await pull();
    expect(removed.entries).toContainEqual({
      change: "removed",
      fragment: "spec/fragments/handle-list-secrets.yaml",
      operation: "GET /v3/organizations/{org_id}/secrets",
      url: undefined,
    });
    expect(removed.warnings).toEqual([
      {
        file: "spec/sources.yaml",
        line: 6,
        message: `pattern "${SECRETS}/*" matches no page of ${site.origin}/llms.txt`,
      },
    ]);
    expect((await readdir(project.fragmentsDir)).sort()).toEqual(
      ["NOTES.txt", LIST.fragment, REVOKE.fragment, "shared.yaml"].sort(),
    );
    expect(formatPullReport(removed)).toContain(
      "removed    spec/fragments/handle-list-secrets.yaml  GET /v3/organizations/{org_id}/secrets  (no followed page)",
    );
  });

  it("removes a fragment that no followed page declares", async () => {
    await cp(
      path.join(FIXTURE_PROJECT, "spec", "fragments", "handle-get-secret.yaml"),
      path.join(project.fragmentsDir, "handle-get-secret.yaml"),
    );
    const result = await pull();
    expect(summary(result.entries)).toEqual([
      "removed handle-get-secret.yaml",
      `unchanged ${LIST.fragment}`,
      `unchanged ${REVOKE.fragment}`,
    ]);
    expect(await readdir(project.fragmentsDir)).not.toContain("handle-get-secret.yaml");
  });

  it("a dry run reports the plan and writes nothing", async () => {
    await emptyFragments();
    const before = await fileTimes(specDir);
    const result = await pull({ dryRun: true });
    expect(summary(result.entries)).toEqual([`added ${LIST.fragment}`, `added ${REVOKE.fragment}`]);
    expect(result.written).toBe(false);
    expect(await fileTimes(specDir)).toEqual(before);
    const report = formatPullReport(result);
    expect(report[0]).toBe("dry run: the plan below is not written");
    expect(report).toContain(
      `dry run: 2 pages from ${site.origin} (de): 2 added, 0 changed, 0 removed, 0 unchanged; nothing was written`,
    );
  });

  it("reads index links to the default origin as links to --origin, keeps links under /de/, ignores other hosts", async () => {
    await followPatterns(`${SECRETS}/*`);
    site.files.set(
      "/llms.txt",
      [
        `- [Get](${DOCS_ORIGIN}/de/${SECRETS}/get-secret.md): already German`,
        `- [Delete](${site.origin}/${SECRETS}/delete-secret): on the override itself, without .md`,
        `- [List](https://elsewhere.example/${SECRETS}/list-secrets.md): another host`,
      ].join("\n"),
    );
    for (const name of ["get-secret", "delete-secret", "list-secrets"]) {
      site.files.set(pageRoute(`${SECRETS}/${name}`), fictionalPage(name));
    }
    const result = await pull();
    expect(summary(result.entries)).toEqual([
      "added handle-delete-secret.yaml",
      "added handle-get-secret.yaml",
      `removed ${LIST.fragment}`,
      `removed ${REVOKE.fragment}`,
    ]);
    expect([...site.requests].sort()).toEqual(
      ["/llms.txt", pageRoute(`${SECRETS}/get-secret`), pageRoute(`${SECRETS}/delete-secret`)].sort(),
    );
  });

  it("reports progress as each request starts: the index, then every page", async () => {
    const seen: string[] = [];
    await pull({ concurrency: 1, onProgress: (p) => seen.push(`${p.started}/${p.total} ${p.url}`) });
    // The index comes first, when how many pages it lists is not known yet.
    expect(seen).toEqual([`1/1 ${site.origin}/llms.txt`, `2/3 ${url(LIST.path)}`, `3/3 ${url(REVOKE.path)}`]);
  });

  it("retries a 5xx: a page that fails once, then answers, is pulled", async () => {
    site.faults.set(pageRoute(LIST.path), { kind: "status", status: 503, times: 1 });
    const result = await pull();
    expect(summary(result.entries)).toEqual([`unchanged ${LIST.fragment}`, `unchanged ${REVOKE.fragment}`]);
    expect(site.requests.filter((r) => r === pageRoute(LIST.path))).toHaveLength(2);
  });

  it("does not retry a 4xx", async () => {
    site.files.delete(pageRoute(LIST.path));
    await failure(pull());
    expect(site.requests.filter((r) => r === pageRoute(LIST.path))).toHaveLength(1);
  });

  it("follows a redirect within the origin", async () => {
    site.files.set("/de/moved.md", LIST.text);
    site.faults.set(pageRoute(LIST.path), { kind: "redirect", location: "/de/moved.md" });
    const result = await pull();
    expect(summary(result.entries)).toEqual([`unchanged ${LIST.fragment}`, `unchanged ${REVOKE.fragment}`]);
    expect(site.requests).toContain("/de/moved.md");
  });

  describe("follows at most maxPages pages (an index could list thousands under a pattern)", () => {
    const secretPages = ["list-secrets", "get-secret", "delete-secret"];
    beforeEach(() => {
      site.files.set("/llms.txt", llmsTxt([LIST.path, REVOKE.path, ...secretPages.map((p) => `${SECRETS}/${p}`)]));
    });

    it.each<[string, string[], number, string]>([
      [
        "one pattern",
        ["api-reference/v3/service-users/*"],
        1,
        'spec/sources.yaml:3\n    2 pages would be followed, more than the limit of 1 (pattern "api-reference/v3/service-users/*" matches 2)\n    Narrow the pattern in spec/sources.yaml',
      ],
      [
        "two patterns, the larger first",
        ["api-reference/v3/service-users/*", `${SECRETS}/*`],
        4,
        `spec/sources.yaml:4\nspec/sources.yaml:3\n    5 pages would be followed, more than the limit of 4 (patterns "${SECRETS}/*" matches 3, "api-reference/v3/service-users/*" matches 2)\n    Narrow the patterns in spec/sources.yaml`,
      ],
    ])(
      "%s: fails before fetching a page, naming the patterns and the count",
      async (_, patterns, maxPages, expected) => {
        await followPatterns(...patterns);
        const before = await snapshotDir(specDir);
        const message = await failure(pull({ maxPages }));
        expect(message).toMatch(/^spec:pull failed: 1 problem; nothing was written\n/);
        expect(message).toContain(expected);
        expect(message).toContain(
          `an index that lists this many at ${site.origin}/llms.txt may be broken or tampered with`,
        );
        expect(site.requests).toEqual(["/llms.txt"]);
        expect(await snapshotDir(specDir)).toEqual(before);
      },
    );

    it("pulls when the followed pages are within the limit", async () => {
      await followPatterns("api-reference/v3/service-users/*");
      const result = await pull({ maxPages: 2 });
      expect(summary(result.entries)).toEqual([`unchanged ${LIST.fragment}`, `unchanged ${REVOKE.fragment}`]);
    });
  });

  describe("spec/fragments/ that an earlier write left in a bad state", () => {
    it("stops before fetching when a write was cut off between its renames, naming the folder and the command that restores it", async () => {
      await writeFile(path.join(project.fragmentsDir, "shared.yaml"), "Geteilt:\n  type: string\n");
      await rename(project.fragmentsDir, path.join(specDir, ".fragments-old-0123abcd"));
      const before = await snapshotDir(specDir);
      const message = await failure(pull());
      expect(message).toBe(
        [
          "spec/.fragments-old-0123abcd",
          "  spec/fragments/ is missing: an earlier write was interrupted between its two renames; spec/.fragments-old-0123abcd/ holds the folder as it was",
          "  Put it back with `mv spec/.fragments-old-0123abcd spec/fragments`, then run the command again.",
        ].join("\n"),
      );
      expect(site.requests).toEqual([]);
      expect(await snapshotDir(specDir)).toEqual(before);
    });

    it("refuses a spec/fragments that is a file, rather than reading it as empty", async () => {
      await rm(project.fragmentsDir, { recursive: true });
      await writeFile(project.fragmentsDir, "not a folder\n");
      const before = await snapshotDir(specDir);
      const error = await pull().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        name: "PipelineError",
        message: "could not read spec/fragments/: ENOTDIR",
        locations: [{ file: "spec/fragments" }],
      });
      expect(await snapshotDir(specDir)).toEqual(before);
    });

    // A named pipe is what `fs.cp` refuses to copy: a genuine failure of the write, no injection.
    it.skipIf(process.platform === "win32")(
      "a write that fails (a named pipe in spec/fragments) names the folder and its code, and leaves spec/ as it was",
      async () => {
        site.files.set(pageRoute(LIST.path), LIST.text.replaceAll("optional nach Status", "wahlweise nach Status"));
        await promisify(execFile)("mkfifo", [path.join(project.fragmentsDir, "pipe")]);
        const before = await snapshotDir(specDir);
        const message = await failure(pull());
        expect(message).toMatch(/^spec\/fragments\n {2}could not write spec\/fragments\/: ERR_FS_CP_FIFO_PIPE \(/);
        expect(message).toContain("\n  spec/fragments/ is unchanged. Close programs that hold files in it open");
        expect(await snapshotDir(specDir)).toEqual(before);
        expect((await readdir(specDir)).filter((name) => name.startsWith(".fragments-"))).toEqual([]);
      },
    );
  });

  describe("fails, naming the URL, what was wrong and what to do, and leaves spec/ byte for byte as it was", () => {
    type Case = [
      name: string,
      setup: (site: DocsSite) => void,
      expected: (origin: string) => string[],
      options?: PullOptions,
    ];
    const listUrl = (o: string) => `${o}${pageRoute(LIST.path)}`;
    const revokeUrl = (o: string) => `${o}${pageRoute(REVOKE.path)}`;
    const cases: Case[] = [
      [
        "HTTP 404 on a page",
        (s) => s.files.delete(pageRoute(LIST.path)),
        (o) => [`${listUrl(o)}\n    HTTP 404 Not Found\n`, "open the URL in a browser"],
      ],
      [
        "HTTP 500 on every attempt",
        (s) => s.faults.set(pageRoute(REVOKE.path), { kind: "status", status: 500 }),
        (o) => [`${revokeUrl(o)}\n    HTTP 500 Internal Server Error (gave up after 3 attempts)\n`, "try again later"],
      ],
      [
        "a page that never answers",
        (s) => s.faults.set(pageRoute(LIST.path), { kind: "hang" }),
        (o) => [`${listUrl(o)}\n    timed out: no answer within 300 ms (gave up after 2 attempts)\n`, "--timeout <ms>"],
        { timeoutMs: 300, attempts: 2 },
      ],
      [
        "HTML served as text/html",
        (s) => s.faults.set(pageRoute(LIST.path), { kind: "html" }),
        (o) => [
          `${listUrl(o)}\n    HTML where Markdown was expected (content-type text/html; charset=utf-8)\n`,
          "a docs mirror must serve the .md pages too",
        ],
      ],
      [
        "HTML served as Markdown",
        (s) => s.files.set(pageRoute(LIST.path), "\n<!DOCTYPE html>\n<html><body>Seite</body></html>\n"),
        (o) => [`${listUrl(o)}\n    HTML where Markdown was expected (the body starts with <!DOCTYPE html>)\n`],
      ],
      [
        "a page with no OpenAPI block",
        (s) => s.files.set(pageRoute(LIST.path), "# API keys\n\nNur Prosa.\n"),
        (o) => [`${listUrl(o)}\n    no OpenAPI block found`, "Pass the docs page as delivered"],
      ],
      [
        "a page with two OpenAPI blocks",
        (s) => s.files.set(pageRoute(LIST.path), `${LIST.text}\n${LIST.text}`),
        (o) => [`${listUrl(o)}:18\n`, "2 OpenAPI blocks found; a docs page must embed exactly one"],
      ],
      [
        "a page whose fence announces another operation",
        (s) =>
          s.files.set(pageRoute(REVOKE.path), REVOKE.text.replace("v3-openapi.yaml DELETE", "v3-openapi.yaml GET")),
        (o) => [`${revokeUrl(o)}:`, "the fence announces GET"],
      ],
      [
        "two pages that declare the same operation",
        (s) => s.files.set(pageRoute(REVOKE.path), LIST.text),
        (o) => [`${listUrl(o)}\n${revokeUrl(o)}\n    two pages declare the same operation`, "follow only one of them"],
      ],
      [
        "a followed page missing from the index",
        (s) => s.files.set("/llms.txt", llmsTxt([LIST.path])),
        (o) => [
          `${revokeUrl(o)}\nspec/sources.yaml:${REVOKE_LINE}\n    a followed page is missing from the docs index ${o}/llms.txt\n`,
          "remove it from `pages:` in spec/sources.yaml",
        ],
      ],
      [
        `a page over ${MAX_PAGE_BYTES} bytes`,
        (s) => s.files.set(pageRoute(LIST.path), `${LIST.text}\n${"x".repeat(MAX_PAGE_BYTES)}\n`),
        (o) => [`${listUrl(o)}\n    the page is larger than 5 MiB (5242880 bytes)`, "check that this is the page"],
      ],
      [
        "a redirect to another origin",
        (s) => s.faults.set(pageRoute(LIST.path), { kind: "redirect", location: "https://elsewhere.example/p.md" }),
        (o) => [`${listUrl(o)}\n    HTTP 302 redirects to another origin: https://elsewhere.example/p.md\n`],
      ],
      [
        "no index at the origin",
        (s) => s.files.delete("/llms.txt"),
        (o) => [`${o}/llms.txt\n    HTTP 404 Not Found\n`, "the docs publish their page index at /llms.txt"],
      ],
    ];

    it.each(cases)("%s", async (_, setup, expected, options) => {
      const before = await snapshotDir(specDir);
      const times = await fileTimes(specDir);
      setup(site);
      const message = await failure(pull(options));
      expect(message).toMatch(/^spec:pull failed: 1 problem; nothing was written\n/);
      for (const part of expected(site.origin)) expect(message).toContain(part);
      expect(message).toMatch(/\n {2}spec\/ is unchanged\. Fix each problem above/);
      expect(await snapshotDir(specDir)).toEqual(before);
      expect(await fileTimes(specDir)).toEqual(times);
    });

    it("a refused connection, after 3 attempts", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const origin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise((resolve) => closed.close(resolve));
      const before = await snapshotDir(specDir);
      const message = await failure(pull({ origin }));
      expect(message).toContain(
        `${origin}/llms.txt\n    connection refused: ECONNREFUSED (gave up after 3 attempts)\n`,
      );
      expect(await snapshotDir(specDir)).toEqual(before);
    });

    it("every problem at once, not just the first", async () => {
      site.files.delete(pageRoute(LIST.path));
      site.faults.set(pageRoute(REVOKE.path), { kind: "status", status: 502 });
      const before = await snapshotDir(specDir);
      const message = await failure(pull());
      expect(message).toMatch(/^spec:pull failed: 2 problems; nothing was written\n/);
      expect(message).toContain(`${url(LIST.path)}\n    HTTP 404 Not Found`);
      expect(message).toContain(`${url(REVOKE.path)}\n    HTTP 502 Bad Gateway (gave up after 3 attempts)`);
      expect(await snapshotDir(specDir)).toEqual(before);
    });

    it.each([
      ["`..` past spec/", "../../../outside.yaml#/secret", "climbs out of spec/ with `..`"],
      ["a URL", "SITE/secret.yaml#/x", "is a URL"],
      ["an absolute path", "/etc/hostname", "is an absolute path"],
    ])("a page whose $ref is %s, reading nothing it points at", async (_, ref, reason) => {
      const target = ref.replace("SITE", site.origin);
      site.files.set("/secret.yaml", "x: geheim\n");
      site.files.set(
        pageRoute(REVOKE.path),
        REVOKE.text.replace("'#/components/schemas/ApiKeyResponse'", `'${target}'`),
      );
      const before = await snapshotDir(specDir);
      const message = await failure(pull());
      expect(message).toContain(`${url(REVOKE.path)}:63:`);
      expect(message).toContain(`\`$ref: ${target}\` ${reason}`);
      expect(message).toContain("`$ref`s may only point inside spec/");
      expect(site.requests).not.toContain("/secret.yaml");
      expect(await snapshotDir(specDir)).toEqual(before);
    });
  });

  describe("spec/sources.yaml", () => {
    it.each([
      ["an unknown key", "language: de\npages: [a/b]\nfollow: [c]\n", "spec/sources.yaml:3\n  unknown key `follow`"],
      [
        "pages that are no list",
        "language: de\npages: a/b\n",
        "spec/sources.yaml:2\n  `pages` must be a list, got string",
      ],
      [
        "a page that is no string",
        "language: de\npages:\n  - a/b\n  - 42\n",
        "spec/sources.yaml:4\n  `pages` item 2 must be a string",
      ],
      [
        "a page with the language prefix",
        "language: de\npages:\n  - de/a/b\n",
        'spec/sources.yaml:3\n  page "de/a/b" starts with the language prefix de/',
      ],
      ["a page with .md", "language: de\npages:\n  - a/b.md\n", 'spec/sources.yaml:3\n  page "a/b.md" ends with .md'],
      [
        "a page given as a URL",
        "language: de\npages:\n  - https://docs.devin.ai/de/a\n",
        'spec/sources.yaml:3\n  page "https://docs.devin.ai/de/a" is a URL',
      ],
      [
        "a page that climbs",
        "language: de\npages:\n  - a/../b\n",
        'spec/sources.yaml:3\n  page "a/../b" is not a page path',
      ],
      [
        "a page listed twice",
        "language: de\npages:\n  - a/b\n  - a/b\n",
        'spec/sources.yaml:4\n  `pages` lists "a/b" twice (first on line 3)',
      ],
      [
        "a glob that does not compile",
        "language: de\npatterns:\n  - 'a/[bc'\n",
        'spec/sources.yaml:3\n  pattern "a/[bc" is not a valid glob: Missing closing: "]"',
      ],
      [
        "an origin with a path",
        "origin: https://docs.example.com/devin\nlanguage: de\npages: [a]\n",
        "spec/sources.yaml:1\n  `origin` must be an origin (scheme, host and port) with no path",
      ],
      [
        "an origin that is no URL",
        "origin: docs.example.com\nlanguage: de\npages: [a]\n",
        "spec/sources.yaml:1\n  `origin` is not a URL",
      ],
      ["a missing language", "pages: [a]\n", "spec/sources.yaml:1\n  `language` is missing"],
      [
        "an index that is no path",
        "language: de\nindex: llms.txt\npages: [a]\n",
        "spec/sources.yaml:2\n  `index` must be a path on the origin",
      ],
      [
        "an index with a backslash (URLs read /\\evil.com as //evil.com, another host)",
        "language: de\nindex: /\\evil.com/llms.txt\npages: [a]\n",
        'spec/sources.yaml:2\n  `index` must not hold a backslash (URLs read it as /): "/\\\\evil.com/llms.txt"',
      ],
      [
        "an index that leads to another host once URL parsing drops a tab",
        'language: de\nindex: "/\\t/evil.com/llms.txt"\npages: [a]\n',
        "spec/sources.yaml:2\n  `index` must stay on the docs origin https://docs.devin.ai, but leads to https://evil.com",
      ],
      [
        "an index that starts with //",
        "language: de\nindex: //evil.com/llms.txt\npages: [a]\n",
        "spec/sources.yaml:2\n  `index` must be a path on the origin, starting with a single /",
      ],
      ["no page followed at all", "language: de\npages: []\npatterns:\n", "spec/sources.yaml:2\n  follows no page"],
      ["invalid YAML", "language: de\npages: [a\n", "spec/sources.yaml:3:1\n  invalid YAML"],
    ])("refuses %s, naming the line", async (_, text, expected) => {
      await writeSources(text);
      const before = await snapshotDir(specDir);
      const message = await failure(pull());
      expect(message).toContain(expected);
      expect(message.split("\n").at(-1)).toMatch(/^ {2}\S/);
      expect(site.requests).toEqual([]);
      expect(await snapshotDir(specDir)).toEqual(before);
    });

    it("reports every problem at once", async () => {
      await writeSources("language: de\npages: [de/a, b.md]\nextra: 1\n");
      const message = await failure(pull());
      expect(message.split("\n").slice(0, 8)).toEqual([
        "3 problems in spec/sources.yaml",
        "spec/sources.yaml:3",
        "    unknown key `extra`",
        "    The keys are origin, language, index, pages, patterns (see docs/following-the-docs.md).",
        "spec/sources.yaml:2",
        '    page "de/a" starts with the language prefix de/',
        "    Write it without de/: `language: de` adds it (e.g. - api-reference/v3/service-users/get-enterprise-service-user-api-keys).",
        "spec/sources.yaml:2",
      ]);
      expect(message).toContain('    page "b.md" ends with .md');
    });

    it("is required, and the error says how to write it", async () => {
      await rm(path.join(specDir, "sources.yaml"));
      const message = await failure(pull());
      expect(message).toMatch(/^spec\/sources\.yaml\n {2}not found: .*\n {2}Create it: docs\/following-the-docs\.md/);
    });

    it("documented endpoints: the committed file follows the two documented pages at docs.devin.ai", async () => {
      // Every other test here pulls with the committed file; this one pins what it says.
      const sources = parseSources(await readFile(path.join(specDir, "sources.yaml"), "utf8"), "spec/sources.yaml");
      expect(sources).toMatchObject({ origin: DOCS_ORIGIN, language: "de", index: "/llms.txt", patterns: [] });
      expect(sources.pages.map((p) => p.path)).toEqual([LIST.path, REVOKE.path]);
    });
  });
});

describe("the docs index (llms.txt)", () => {
  const at = { origin: "http://127.0.0.1:4000", defaultOrigin: DOCS_ORIGIN, language: "de" };
  it.each([
    ["a default-language link with .md", `- [T](${DOCS_ORIGIN}/a/b.md): d`, ["a/b", "http://127.0.0.1:4000/de/a/b.md"]],
    ["one without .md", `- [T](${DOCS_ORIGIN}/a/b)`, ["a/b", "http://127.0.0.1:4000/de/a/b.md"]],
    ["one already under the language", `* [T](${DOCS_ORIGIN}/de/a/b.md)`, ["a/b", "http://127.0.0.1:4000/de/a/b.md"]],
    ["one on the override origin", `- [T](http://127.0.0.1:4000/a/b.md)`, ["a/b", "http://127.0.0.1:4000/de/a/b.md"]],
    [
      "a title with brackets, a query and an anchor",
      `- [T [beta]](${DOCS_ORIGIN}/a/b.md?x=1#y)`,
      ["a/b", "http://127.0.0.1:4000/de/a/b.md"],
    ],
    ["a relative link", "- [T](/a/b.md)", ["a/b", "http://127.0.0.1:4000/de/a/b.md"]],
    ["a link to another host", "- [T](https://elsewhere.example/a/b.md)", undefined],
    ["a link outside a list item", `See [T](${DOCS_ORIGIN}/a/b.md).`, undefined],
    ["the site's root", `- [Home](${DOCS_ORIGIN}/)`, undefined],
  ])("%s", (_, line, expected) => {
    const pages = parseDocsIndex(`# Docs\n\n${line}\n`, "http://127.0.0.1:4000/llms.txt", at);
    expect([...pages.entries()]).toEqual(expected ? [expected] : []);
  });
});

describe("the origin override", () => {
  it.each([
    [
      "--origin wins over the variable",
      "http://127.0.0.1:1/",
      { DEVIN_DOCS_ORIGIN: "http://127.0.0.1:2" },
      "http://127.0.0.1:1",
    ],
    ["the variable alone", undefined, { DEVIN_DOCS_ORIGIN: "https://docs.corp.example" }, "https://docs.corp.example"],
    ["an empty variable is unset", undefined, { DEVIN_DOCS_ORIGIN: "" }, undefined],
    ["neither", undefined, {}, undefined],
  ])("%s", (_, flag, env, expected) => {
    expect(originOverride(flag, env)).toBe(expected);
  });

  it.each([
    ["--origin", "docs.corp.example", {}],
    ["DEVIN_DOCS_ORIGIN", undefined, { DEVIN_DOCS_ORIGIN: "ftp://docs.corp.example" }],
  ])("a bad value names %s", (from, flag, env) => {
    expect(() => originOverride(flag, env)).toThrow(new RegExp(`^${from} `));
  });
});

describe("the index URL on the origin fetched from (sources.yaml's, or --origin)", () => {
  const sources = { file: "spec/sources.yaml", indexLine: 3 };
  it.each([
    ["a path", "/llms.txt", "http://127.0.0.1:4000", "http://127.0.0.1:4000/llms.txt"],
    ["a nested path", "/de/llms.txt", "https://docs.corp.example", "https://docs.corp.example/de/llms.txt"],
  ])("resolves %s", (_, index, origin, expected) => {
    expect(indexUrlOf({ ...sources, index }, origin)).toBe(expected);
  });

  it.each([
    ["a backslash", "/\\evil.com/llms.txt", "must not hold a backslash"],
    [
      "a tab that URL parsing drops",
      "/\t/evil.com/llms.txt",
      "must stay on the docs origin http://127.0.0.1:4000, but leads to http://evil.com",
    ],
    ["a protocol-relative URL", "//evil.com/llms.txt", "must be a path on the origin, starting with a single /"],
  ])("refuses %s after an --origin override, naming the line of index:", (_, index, expected) => {
    expect(() => indexUrlOf({ ...sources, index }, "http://127.0.0.1:4000")).toThrow(
      expect.objectContaining({
        name: "PipelineError",
        message: expect.stringContaining(`\`index\` ${expected}`),
        locations: [{ file: "spec/sources.yaml", line: 3 }],
      }),
    );
  });
});

describe("npm run spec:pull (the command)", () => {
  let project: TempProject;
  let site: DocsSite;
  beforeEach(async () => {
    project = await copyDocumentedProject();
    site = await startDocsSite();
  });
  afterEach(async () => {
    await site.close();
    await project.cleanup();
  });

  it("with --origin, restores an emptied spec/fragments exactly, then exits 0; no progress line off a terminal", async () => {
    const specDir = path.join(project.root, "spec");
    const committed = await snapshotDir(specDir);
    for (const name of await readdir(project.fragmentsDir)) await rm(path.join(project.fragmentsDir, name));
    const run = await runScript("spec-pull.ts", ["--root", project.root, "--origin", site.origin]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain(`added      spec/fragments/${LIST.fragment}  GET `);
    expect(run.stdout).toMatch(/2 added, 0 changed, 0 removed, 0 unchanged\nnext: npm run generate\n$/);
    expect(await snapshotDir(specDir)).toEqual(committed);
  });

  it("from DEVIN_DOCS_ORIGIN, exits 1 on a 500, naming the URL and the status; spec/ untouched", async () => {
    const specDir = path.join(project.root, "spec");
    site.faults.set(pageRoute(REVOKE.path), { kind: "status", status: 500 });
    const before = await snapshotDir(specDir);
    const run = await runScript("spec-pull.ts", ["--root", project.root], { DEVIN_DOCS_ORIGIN: site.origin });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `error: spec:pull failed: 1 problem; nothing was written\n${site.origin}${pageRoute(REVOKE.path)}\n    HTTP 500 Internal Server Error (gave up after 3 attempts)\n`,
    );
    expect(await snapshotDir(specDir)).toEqual(before);
  });
});
