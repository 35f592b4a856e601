/**
 * spec/sources.yaml read and checked in process (scripts/pull/sources.ts): the defaults, every
 * refusal with its exact message, line and hint, the limits of language codes and page paths,
 * how several problems are reported at once, the origin override (`--origin` over
 * DEVIN_DOCS_ORIGIN over `origin:`) and the index URL on the origin fetched from.
 * spec-pull.test.ts runs the same checks through a whole pull; this file pins each decision.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_INDEX,
  DEFAULT_ORIGIN,
  indexUrlOf,
  ORIGIN_ENV,
  originOverride,
  parseOrigin,
  parseSources,
  readSources,
  sourcesFileOf,
} from "../../scripts/pull/sources.ts";
import { isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { pipelineErrorOf } from "./helpers.ts";

const FILE = "spec/sources.yaml";
const GUIDE = "docs/following-the-docs.md";
const PAGE_EXAMPLE = "api-reference/v3/service-users/get-enterprise-service-user-api-keys";
const PATTERN_EXAMPLE = "api-reference/v3/service-users/*";

/** The hints, written out once: a changed word in any of them must fail a test. */
const HINT = {
  keys: `The keys are origin, language, index, pages, patterns (see ${GUIDE}).`,
  origin: "Write origin: https://docs.devin.ai",
  language: "Write language: de",
  addLanguage: "Add language: de (pages are fetched from /<language>/).",
  index: "Write index: /llms.txt",
  list: (key: string) => `Write ${key}: as a list, one \`- item\` a line.`,
  pageItem: `Write - ${PAGE_EXAMPLE}`,
  patternItem: `Write - ${PATTERN_EXAMPLE}`,
  duplicate: "Delete one of them.",
  pagePath: `Write it as in the docs URL, e.g. - ${PAGE_EXAMPLE}`,
  glob: `Write a glob such as - ${PATTERN_EXAMPLE}`,
  followNothing: `List the pages to follow under \`pages:\` or \`patterns:\` (see ${GUIDE}).`,
  yaml: `Fix the YAML at that line; ${GUIDE} shows the file's shape.`,
  mapping: `Write the keys as ${GUIDE} shows.`,
  several: `Fix each, as ${GUIDE} describes the file.`,
};
const FOLLOWS_NOTHING = "follows no page: `pages` and `patterns` are both empty, so a pull would remove every fragment";

/** One problem of a refusal: its line in spec/sources.yaml, its message and its hint. */
type Problem = [line: number, message: string, hint: string];

/** What a PipelineError says, as plain data to compare whole. */
const shape = (error: PipelineError) => ({
  message: error.message,
  locations: error.locations,
  hint: error.hint,
  details: error.details,
});

/** The refusal of `text`. */
const refusal = (text: string, display = FILE) => shape(pipelineErrorOf(() => parseSources(text, display)));

/** A refusal with a single problem: thrown as the error itself, without details. */
const one = ([line, message, hint]: Problem) => ({
  message,
  locations: [{ file: FILE, line }],
  hint,
  details: undefined,
});

/** A refusal with several problems, in the order the file is checked. */
const several = (...problems: Problem[]) => ({
  message: `${problems.length} problems in ${FILE}`,
  locations: problems.map(([line]) => ({ file: FILE, line })),
  hint: HINT.several,
  details: problems.map(([line, message, hint]) => ({ locations: [{ file: FILE, line }], message, hint })),
});

describe("spec/sources.yaml: where it is and what it defaults to", () => {
  it("defaults to the Devin docs, the llms.txt index, and names DEVIN_DOCS_ORIGIN as the override", () => {
    expect([DEFAULT_ORIGIN, DEFAULT_INDEX, ORIGIN_ENV]).toEqual([
      "https://docs.devin.ai",
      "/llms.txt",
      "DEVIN_DOCS_ORIGIN",
    ]);
  });

  it("lives in spec/, beside spec/fragments", () => {
    const root = path.join(tmpdir(), "a-project");
    expect(sourcesFileOf(projectLayout(root))).toBe(path.join(root, "spec", "sources.yaml"));
  });

  it("fills origin and index with their defaults; indexLine is 1 without an index:", () => {
    expect(parseSources("language: de\npages: [a]\n", FILE)).toEqual({
      file: FILE,
      origin: "https://docs.devin.ai",
      language: "de",
      index: "/llms.txt",
      indexLine: 1,
      pages: [{ path: "a", line: 2 }],
      patterns: [],
    });
  });

  it("reads every key, the origin reduced to scheme, host and port, each entry with the line of its value", () => {
    const text = [
      "# which pages to follow",
      "origin: HTTP://127.0.0.1:4000/",
      "language: zh-Hant",
      "index:",
      "  /docs/llms.txt",
      "pages:",
      "  - a/b",
      "  - c",
      "patterns:",
      "  - api/*",
      "",
    ].join("\n");
    expect(parseSources(text, FILE)).toEqual({
      file: FILE,
      origin: "http://127.0.0.1:4000",
      language: "zh-Hant",
      index: "/docs/llms.txt",
      indexLine: 5,
      pages: [
        { path: "a/b", line: 7 },
        { path: "c", line: 8 },
      ],
      patterns: [{ glob: "api/*", line: 10, matches: expect.any(Function) }],
    });
  });

  it("counts lines the same with CRLF line ends", () => {
    expect(parseSources("language: de\r\n\r\npages:\r\n  - a\r\n  - b\r\n", FILE).pages).toEqual([
      { path: "a", line: 4 },
      { path: "b", line: 5 },
    ]);
  });

  it("names the file as the caller displays it, in the result and in every location", () => {
    expect(parseSources("language: de\npages: [a]\n", "elsewhere/s.yaml").file).toBe("elsewhere/s.yaml");
    expect(refusal("language: de\npages: [a]\nextra: 1\n", "elsewhere/s.yaml").locations).toEqual([
      { file: "elsewhere/s.yaml", line: 3 },
    ]);
  });

  it.each<[string, string, { pages: { path: string; line: number }[]; patterns: string[] }]>([
    [
      "`pages:` with every item commented out",
      "language: de\npages:\n  # - x\npatterns: [a/*]\n",
      { pages: [], patterns: ["a/*"] },
    ],
    [
      "`patterns:` with nothing under it",
      "language: de\npages: [a]\npatterns:\n",
      { pages: [{ path: "a", line: 2 }], patterns: [] },
    ],
    ["patterns alone", "language: de\npages: []\npatterns: [a/*, b/**]\n", { pages: [], patterns: ["a/*", "b/**"] }],
    [
      "a page and a pattern of the same text (duplicates count per list)",
      "language: de\npages: [a]\npatterns: [a]\n",
      { pages: [{ path: "a", line: 2 }], patterns: ["a"] },
    ],
  ])("takes %s", (_, text, expected) => {
    const sources = parseSources(text, FILE);
    expect({ pages: sources.pages, patterns: sources.patterns.map((p) => p.glob) }).toEqual(expected);
  });
});

describe("readSources: the file on disk", () => {
  let root: string;
  let layout: ProjectLayout;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "devin-sources-config-"));
    layout = projectLayout(root);
    await mkdir(path.join(root, "spec"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("reads spec/sources.yaml under the project's root and names it relative to the root", async () => {
    await writeFile(path.join(root, "spec", "sources.yaml"), "language: fr\npatterns:\n  - guides/*\n");
    const sources = await readSources(layout);
    expect({ ...sources, patterns: sources.patterns.map(({ glob, line }) => ({ glob, line })) }).toEqual({
      file: FILE,
      origin: DEFAULT_ORIGIN,
      language: "fr",
      index: DEFAULT_INDEX,
      indexLine: 1,
      pages: [],
      patterns: [{ glob: "guides/*", line: 3 }],
    });
  });

  it("refuses a missing file, saying where its keys are explained", async () => {
    const error = await readSources(layout).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
    expect(shape(error as PipelineError)).toEqual({
      message: "not found: spec:pull reads which docs pages to follow from this file",
      locations: [{ file: FILE }],
      hint: `Create it: ${GUIDE} explains its keys (origin, language, index, pages, patterns).`,
      details: undefined,
    });
  });

  it("passes on any other read failure as it is (a folder where the file should be is no typo to report)", async () => {
    await mkdir(path.join(root, "spec", "sources.yaml"));
    await expect(readSources(layout)).rejects.toMatchObject({ name: "Error", code: "EISDIR" });
  });
});

describe("spec/sources.yaml: the file's shape", () => {
  it.each<[string, string]>([
    ["an empty file", ""],
    ["a file of comments only", "# language: de\n"],
    ["a null document", "~\n"],
    ["a list", "- language: de\n"],
    ["a plain string", "language de\n"],
  ])("refuses %s: the keys must form a mapping (line 1)", (_, text) => {
    expect(refusal(text)).toEqual(
      one([1, "expected a mapping of origin, language, index, pages and patterns", HINT.mapping]),
    );
  });

  it("refuses invalid YAML at its line and column, with a hint for this file", () => {
    expect(refusal("language: de\npages: [a]\nlanguage: en\n")).toEqual({
      message:
        "invalid YAML: Map keys must be unique\n    1 | language: de\n    2 | pages: [a]\n  > 3 | language: en\n      | ^",
      locations: [{ file: FILE, line: 3, column: 1 }],
      hint: HINT.yaml,
      details: undefined,
    });
  });

  it("passes on the refusal of an alias bomb with its own hint (it is not a typo in the YAML)", () => {
    const text = [
      "language: de",
      "pages: [a]",
      "x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
      "y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "z: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "",
    ].join("\n");
    expect(refusal(text)).toEqual({
      message: "YAML aliases (`*name`) expand to too much data (limit 100): refused as an alias bomb",
      locations: [{ file: FILE, line: 4, column: 8 }],
      hint: "Write the YAML without anchors and aliases (`&name`, `*name`), as the docs publish it.",
      details: undefined,
    });
  });

  it.each<[string, string, Problem]>([
    [
      "an unknown key, at the line of the key",
      "language: de\npages: [a]\n\nfollow:\n  - b\n",
      [4, "unknown key `follow`", HINT.keys],
    ],
    ["a quoted unknown key", 'language: de\npages: [a]\n"Language": de\n', [3, "unknown key `Language`", HINT.keys]],
    ["a merge key", "language: de\npages: [a]\n<<: {x: 1}\n", [3, "unknown key `<<`", HINT.keys]],
  ])("refuses %s", (_, text, problem) => {
    expect(refusal(text)).toEqual(one(problem));
  });

  // The data holds such a key as a string, its node as a number, boolean or null: still named at its line.
  it.each([
    ["a number", "1: x", "unknown key `1`"],
    ["a boolean", "true: x", "unknown key `true`"],
    ["null", "null: x", "unknown key ``"],
    ["no key at all", ": x", "unknown key ``"],
  ])("refuses a key YAML reads as %s, naming it at its line", (_, line, message) => {
    expect(refusal(`language: de\npages: [a]\n${line}\n`)).toEqual(one([3, message, HINT.keys]));
  });
});

describe("spec/sources.yaml: origin, language and index", () => {
  it.each<[string, string, Problem]>([
    [
      "an origin that is a number",
      "origin: 42\nlanguage: de\npages: [a]\n",
      [1, "`origin` must be a URL, got number 42", HINT.origin],
    ],
    [
      "an empty origin",
      "language: de\norigin: ''\npages: [a]\n",
      [2, '`origin` must be a URL, got string ""', HINT.origin],
    ],
    [
      "an origin that is a list",
      "language: de\npages: [a]\norigin: [https://docs.devin.ai]\n",
      [3, "`origin` must be a URL, got a list", HINT.origin],
    ],
    [
      "an origin with nothing after the key",
      "language: de\npages: [a]\norigin:\n",
      [3, "`origin` must be a URL, got nothing", HINT.origin],
    ],
    [
      "an origin with a path, at the line of the value",
      "language: de\norigin:\n  https://x.example/p\npages: [a]\n",
      [
        3,
        '`origin` must be an origin (scheme, host and port) with no path: "https://x.example/p" (pages are fetched from <origin>/<language>/<page>.md)',
        HINT.origin,
      ],
    ],
    [
      "an origin that is no URL",
      "language: de\norigin: docs.example.com\npages: [a]\n",
      [2, '`origin` is not a URL: "docs.example.com"', HINT.origin],
    ],
    [
      "an origin of another scheme",
      "language: de\norigin: ftp://docs.example.com\npages: [a]\n",
      [2, '`origin` must be an http or https URL: "ftp://docs.example.com"', HINT.origin],
    ],
    [
      "an origin with a password, without echoing it",
      "origin: https://u:secret@x.example\nlanguage: de\npages: [a]\n",
      [1, "`origin` must not hold a user name or password", HINT.origin],
    ],
    [
      "a missing language, on line 1 whatever the other keys",
      "pages: [a]\npatterns: [b/*]\n",
      [1, "`language` is missing", HINT.addLanguage],
    ],
    [
      "a language that is a number",
      "language: 42\npages: [a]\n",
      [1, "`language` must be a language code, got number 42", HINT.language],
    ],
    [
      "a language that is a boolean",
      "pages: [a]\nlanguage: true\n",
      [2, "`language` must be a language code, got boolean true", HINT.language],
    ],
    [
      "an empty language (not reported as missing)",
      "pages: [a]\nlanguage: ''\n",
      [2, '`language` must be a language code, got string ""', HINT.language],
    ],
    [
      "a language with nothing after the key (not reported as missing)",
      "pages: [a]\nlanguage:\n",
      [2, "`language` must be a language code, got nothing", HINT.language],
    ],
    [
      "a language that is no code, at the line of the value",
      "pages: [a]\nlanguage:\n  German\n",
      [3, '`language` is not a language code: "German"', HINT.language],
    ],
    [
      "an index that is a mapping",
      "language: de\nindex: {path: /llms.txt}\npages: [a]\n",
      [2, "`index` must be a path on the origin, got a mapping", HINT.index],
    ],
    [
      "an empty index",
      "language: de\nindex: ''\npages: [a]\n",
      [2, '`index` must be a path on the origin, got string ""', HINT.index],
    ],
    [
      "an index without a leading /, at the line of the value",
      "language: de\nindex:\n  llms.txt\npages: [a]\n",
      [3, '`index` must be a path on the origin, starting with a single /: "llms.txt"', HINT.index],
    ],
    [
      "an index that only ends with /",
      "language: de\nindex: llms/\npages: [a]\n",
      [2, '`index` must be a path on the origin, starting with a single /: "llms/"', HINT.index],
    ],
    [
      "an index on another host (//)",
      "language: de\nindex: //evil.com/llms.txt\npages: [a]\n",
      [2, '`index` must be a path on the origin, starting with a single /: "//evil.com/llms.txt"', HINT.index],
    ],
    [
      "an index with a backslash, even one that stays on the origin",
      "language: de\nindex: /a\\b.txt\npages: [a]\n",
      [2, '`index` must not hold a backslash (URLs read it as /): "/a\\\\b.txt"', HINT.index],
    ],
    [
      "an index that leaves the origin once URL parsing reads \\ as /",
      "language: de\nindex: /\\evil.com/llms.txt\npages: [a]\n",
      [2, '`index` must not hold a backslash (URLs read it as /): "/\\\\evil.com/llms.txt"', HINT.index],
    ],
    [
      "an index that leaves sources.yaml's own origin once URL parsing drops a tab",
      'origin: http://127.0.0.1:4000\nlanguage: de\nindex: "/\\t/evil.com/llms.txt"\npages: [a]\n',
      [
        3,
        '`index` must stay on the docs origin http://127.0.0.1:4000, but leads to http://evil.com: "/\\t/evil.com/llms.txt"',
        HINT.index,
      ],
    ],
  ])("refuses %s", (_, text, problem) => {
    expect(refusal(text)).toEqual(one(problem));
  });

  it("checks the index against the default origin when origin: is refused", () => {
    expect(refusal('origin: ftp://x\nlanguage: de\nindex: "/\\t/evil.com/x"\npages: [a]\n')).toEqual(
      several(
        [1, '`origin` must be an http or https URL: "ftp://x"', HINT.origin],
        [
          3,
          '`index` must stay on the docs origin https://docs.devin.ai, but leads to https://evil.com: "/\\t/evil.com/x"',
          HINT.index,
        ],
      ),
    );
  });

  it.each([
    ["2 letters (the lower limit)", "de"],
    ["3 letters (the upper limit)", "deu"],
    ["a region of 2", "de-CH"],
    ["a lowercase region", "de-ch"],
    ["a script of 4", "zh-Hant"],
    ["a subtag of 8 (the upper limit)", "de-12345678"],
    ["several subtags", "sr-Latn-RS"],
  ])("takes a language code of %s", (_, code) => {
    expect(parseSources(`language: ${code}\npages: [a]\n`, FILE).language).toBe(code);
  });

  it.each([
    ["1 letter (below the limit)", "d"],
    ["4 letters (above the limit)", "deut"],
    ["capitals", "DE"],
    ["a capital first", "De"],
    ["a letter outside a-z", "dé"],
    ["a subtag of 1 (below the limit)", "de-C"],
    ["a subtag of 9 (above the limit)", "de-123456789"],
    ["an underscore", "de_CH"],
    ["a trailing -", "de-CH-"],
    ["a sign before", "!de"],
    ["a sign after", "de!"],
  ])("refuses a language code of %s", (_, code) => {
    expect(refusal(`language: "${code}"\npages: [a]\n`)).toEqual(
      one([1, `\`language\` is not a language code: ${JSON.stringify(code)}`, HINT.language]),
    );
  });
});

describe("spec/sources.yaml: pages and patterns", () => {
  it.each<[string, string, Problem]>([
    [
      "pages that are a string, at the line of the value",
      "language: de\npages:\n  a/b\n",
      [3, '`pages` must be a list, got string "a/b"', HINT.list("pages")],
    ],
    [
      "patterns that are a mapping",
      "language: de\npages: [a]\npatterns: {a: 1}\n",
      [3, "`patterns` must be a list, got a mapping", HINT.list("patterns")],
    ],
    [
      "a page that is a number, at its own line",
      "language: de\npages:\n  - a\n  - 42\n",
      [4, "`pages` item 2 must be a string, got number 42", HINT.pageItem],
    ],
    [
      "an empty page",
      "language: de\npages:\n  - a\n  - ''\n",
      [4, '`pages` item 2 must be a string, got string ""', HINT.pageItem],
    ],
    [
      "an empty item",
      "language: de\npages:\n  - a\n  -\n",
      [4, "`pages` item 2 must be a string, got nothing", HINT.pageItem],
    ],
    [
      "a page that is a list",
      "language: de\npages:\n  - [a]\n",
      [3, "`pages` item 1 must be a string, got a list", HINT.pageItem],
    ],
    [
      "a pattern that is a mapping",
      "language: de\npatterns:\n  - a/*\n  - {a: 1}\n",
      [4, "`patterns` item 2 must be a string, got a mapping", HINT.patternItem],
    ],
    [
      "a page listed twice, at the second",
      "language: de\npages:\n  - a/b\n  - c\n  - a/b\n",
      [5, '`pages` lists "a/b" twice (first on line 3)', HINT.duplicate],
    ],
    [
      "a pattern listed twice",
      "language: de\npatterns:\n  - a/*\n  - a/*\n",
      [4, '`patterns` lists "a/*" twice (first on line 3)', HINT.duplicate],
    ],
    [
      "an alias of a list, at the line of the alias",
      "language: de\npatterns: &p [a/*]\npages:\n  *p\n",
      [4, 'page "a/*" is not a page path', HINT.pagePath],
    ],
  ])("refuses %s", (_, text, problem) => {
    expect(refusal(text)).toEqual(one(problem));
  });

  it("names the first line of a page listed three times, each time", () => {
    expect(refusal("language: de\npages:\n  - a\n  - a\n  - b\n  - a\n")).toEqual(
      several(
        [4, '`pages` lists "a" twice (first on line 3)', HINT.duplicate],
        [6, '`pages` lists "a" twice (first on line 3)', HINT.duplicate],
      ),
    );
  });

  const pageHints = {
    url: `Write - ${PAGE_EXAMPLE}`,
    slash: `Write the page path without the leading /, e.g. - ${PAGE_EXAMPLE}`,
    language: `Write it without de/: \`language: de\` adds it (e.g. - ${PAGE_EXAMPLE}).`,
    md: `Write the page path without .md: the pull adds it (e.g. - ${PAGE_EXAMPLE}).`,
  };
  it.each<[string, string, string, string]>([
    ["a URL", "https://docs.devin.ai/de/a", "is a URL; write the page path without the origin", pageHints.url],
    ["a URL in capitals", "HTTPS://docs.devin.ai/a", "is a URL; write the page path without the origin", pageHints.url],
    [
      "a URL of a scheme with + . -",
      "git+ssh.x-y://host/a",
      "is a URL; write the page path without the origin",
      pageHints.url,
    ],
    ["a leading /", "/a/b", "starts with /", pageHints.slash],
    ["a leading / before the language", "/de/a", "starts with /", pageHints.slash],
    ["the language prefix", "de/a/b", "starts with the language prefix de/", pageHints.language],
    ["the language alone", "de", "starts with the language prefix de/", pageHints.language],
    ["the language prefix and .md", "de/a.md", "starts with the language prefix de/", pageHints.language],
    [".md", "a/b.md", "ends with .md", pageHints.md],
    [".MD", "a/b.MD", "ends with .md", pageHints.md],
    ["a name that starts with a digit and holds a colon", "1a:b", "is not a page path", HINT.pagePath],
    ["a space", "a b", "is not a page path", HINT.pagePath],
    ["a hidden name", ".b", "is not a page path", HINT.pagePath],
    ["a hidden folder", "a/.b/c", "is not a page path", HINT.pagePath],
    ["a folder that climbs", "a/../b", "is not a page path", HINT.pagePath],
    ["a trailing /", "a/b/", "is not a page path", HINT.pagePath],
    ["an empty folder", "a//b", "is not a page path", HINT.pagePath],
    ["a query", "a/b?x=1", "is not a page path", HINT.pagePath],
    ["a glob", "a/*", "is not a page path", HINT.pagePath],
  ])("refuses a page path with %s", (_, page, problem, hint) => {
    expect(refusal(`language: de\npages:\n  - ${JSON.stringify(page)}\n`)).toEqual(
      one([3, `page ${JSON.stringify(page)} ${problem}`, hint]),
    );
  });

  it.each([
    ["every allowed character", "A9_~-.x/-_~Z.9"],
    ["a folder with .md inside", "a.md/b"],
    ["a name ending in .mdx", "a.mdx"],
    ["a name ending in md without a dot", "a/bmd"],
    ["a folder that starts like the language", "deutsch/x"],
    ["a name that starts like the language", "de-x"],
    ["the language further down", "a/de/b"],
    ["three levels", "a/b/c"],
    ["one character", "9"],
  ])("takes a page path with %s", (_, page) => {
    expect(parseSources(`language: de\npages:\n  - ${JSON.stringify(page)}\n`, FILE).pages).toEqual([
      { path: page, line: 3 },
    ]);
  });

  const patternHints = {
    url: `Write - ${PATTERN_EXAMPLE}`,
    slash: `Write the pattern without the leading /, e.g. - ${PATTERN_EXAMPLE}`,
    language: `Write it without de/: \`language: de\` adds it (e.g. - ${PATTERN_EXAMPLE}).`,
    md: `Write the pattern without .md: the pull adds it (e.g. - ${PATTERN_EXAMPLE}).`,
  };
  it.each<[string, string, string, string]>([
    ["a URL", "https://docs.devin.ai/a/*", "is a URL; write the pattern without the origin", patternHints.url],
    ["a leading /", "/a/*", "starts with /", patternHints.slash],
    ["a leading / and an unclosed bracket (one problem, not two)", "/a/[b", "starts with /", patternHints.slash],
    ["the language prefix", "de/*", "starts with the language prefix de/", patternHints.language],
    ["the language alone", "de", "starts with the language prefix de/", patternHints.language],
    [".md", "a/*.MD", "ends with .md", patternHints.md],
    [
      "an unclosed [",
      "a/[bc",
      'is not a valid glob: Missing closing: "]" - use "\\\\]" to match literal characters',
      HINT.glob,
    ],
    [
      "an unclosed {",
      "a/{b",
      'is not a valid glob: Missing closing: "}" - use "\\\\}" to match literal characters',
      HINT.glob,
    ],
    [
      "an unclosed (",
      "a/(b",
      'is not a valid glob: Missing closing: ")" - use "\\\\)" to match literal characters',
      HINT.glob,
    ],
  ])("refuses a pattern with %s", (_, glob, problem, hint) => {
    expect(refusal(`language: de\npatterns:\n  - ${JSON.stringify(glob)}\n`)).toEqual(
      one([3, `pattern ${JSON.stringify(glob)} ${problem}`, hint]),
    );
  });

  it.each<[string, string, string[], string[]]>([
    ["`*` within one folder", "api/*", ["api/a", "api/b-c"], ["api/a/b", "apix/a", "other/a", "api"]],
    ["`**` across folders", "api/**", ["api/a", "api/a/b/c"], ["other/a", "apix/a"]],
    ["a closed bracket", "api/[ab]", ["api/a", "api/b"], ["api/c", "api/ab"]],
    ["braces", "api/{get,list}-*", ["api/get-a", "api/list-b"], ["api/delete-a"]],
    ["a plain path, itself only", "api/a", ["api/a"], ["api/ab", "api/a/b"]],
  ])("matches page paths by a glob with %s", (_, glob, matching, other) => {
    const [pattern] = parseSources(`language: de\npatterns:\n  - ${JSON.stringify(glob)}\n`, FILE).patterns;
    expect({ glob: pattern?.glob, line: pattern?.line }).toEqual({ glob, line: 3 });
    expect([...matching, ...other].map((p) => pattern?.matches(p))).toEqual([
      ...matching.map(() => true),
      ...other.map(() => false),
    ]);
  });
});

describe("spec/sources.yaml: a file that follows nothing", () => {
  it.each<[string, string, number]>([
    ["empty lists, at the line of `pages:`'s value", "language: de\npages:\n  []\npatterns: []\n", 3],
    ["`pages:` with nothing under it", "language: de\n\npages:\n", 3],
    ["no `pages:`, only empty `patterns:` (line 1)", "language: de\n\npatterns: []\n", 1],
    ["neither key (line 1)", "language: de\n", 1],
  ])("refuses %s", (_, text, line) => {
    expect(refusal(text)).toEqual(one([line, FOLLOWS_NOTHING, HINT.followNothing]));
  });

  it("says so only when nothing else is wrong: a refused page is reported alone", () => {
    expect(refusal("language: de\npages: [a.md]\n")).toEqual(
      one([
        2,
        'page "a.md" ends with .md',
        `Write the page path without .md: the pull adds it (e.g. - ${PAGE_EXAMPLE}).`,
      ]),
    );
  });

  it("says so only when nothing else is wrong: an unknown key is reported alone", () => {
    expect(refusal("language: de\npages: []\nfollow: [a]\n")).toEqual(one([3, "unknown key `follow`", HINT.keys]));
  });
});

describe("spec/sources.yaml: several problems at once", () => {
  it("reports two as a list, each with its own line and hint (one more than a single error)", () => {
    expect(refusal("origin: 42\nlanguage: d\npages: [a]\n")).toEqual(
      several(
        [1, "`origin` must be a URL, got number 42", HINT.origin],
        [2, '`language` is not a language code: "d"', HINT.language],
      ),
    );
  });

  it("reports unknown keys first, then origin, language, index, pages (their types, then their paths), patterns", () => {
    const text = [
      "language: DE",
      "origin: ftp://x",
      "extra: 1",
      "index: llms.txt",
      "pages:",
      "  - /a",
      "  - 42",
      "patterns: a/*",
      "more: 2",
      "",
    ].join("\n");
    expect(refusal(text)).toEqual(
      several(
        [3, "unknown key `extra`", HINT.keys],
        [9, "unknown key `more`", HINT.keys],
        [2, '`origin` must be an http or https URL: "ftp://x"', HINT.origin],
        [1, '`language` is not a language code: "DE"', HINT.language],
        [4, '`index` must be a path on the origin, starting with a single /: "llms.txt"', HINT.index],
        [7, "`pages` item 2 must be a string, got number 42", HINT.pageItem],
        [6, 'page "/a" starts with /', `Write the page path without the leading /, e.g. - ${PAGE_EXAMPLE}`],
        [8, '`patterns` must be a list, got string "a/*"', HINT.list("patterns")],
      ),
    );
  });

  it("reports the items of an aliased list at the line of the alias, besides the list's own", () => {
    expect(refusal("language: de\npatterns: &p\n  - a/*\n  - 42\npages: *p\n")).toEqual(
      several(
        [5, "`pages` item 2 must be a string, got number 42", HINT.pageItem],
        [5, 'page "a/*" is not a page path', HINT.pagePath],
        [4, "`patterns` item 2 must be a string, got number 42", HINT.patternItem],
      ),
    );
  });
});

describe("the origin: parseOrigin", () => {
  it.each([
    ["https", "https://docs.example.com", "https://docs.example.com"],
    ["http", "http://127.0.0.1:4000", "http://127.0.0.1:4000"],
    ["a trailing /", "https://docs.example.com/", "https://docs.example.com"],
    ["capitals and the default port", "HTTP://Docs.Example.COM:80/", "http://docs.example.com"],
    ["the default https port", "https://docs.example.com:443", "https://docs.example.com"],
    ["an empty query and fragment", "https://docs.example.com/?#", "https://docs.example.com"],
  ])("takes %s, as scheme, host and port", (_, text, expected) => {
    expect(parseOrigin(text)).toBe(expected);
  });

  const noPath = (text: string) =>
    `must be an origin (scheme, host and port) with no path: ${JSON.stringify(text)} (pages are fetched from <origin>/<language>/<page>.md)`;
  it.each([
    ["an empty string", "", 'is not a URL: ""'],
    ["a host without a scheme", "docs.example.com", 'is not a URL: "docs.example.com"'],
    ["ftp", "ftp://docs.example.com", 'must be an http or https URL: "ftp://docs.example.com"'],
    ["a javascript: URL", "javascript:alert(1)", 'must be an http or https URL: "javascript:alert(1)"'],
    ["a user name", "https://user@docs.example.com", "must not hold a user name or password"],
    ["a password alone", "https://:secret@docs.example.com", "must not hold a user name or password"],
    ["a path", "https://docs.example.com/de", noPath("https://docs.example.com/de")],
    ["a query", "https://docs.example.com?x=1", noPath("https://docs.example.com?x=1")],
    ["a fragment", "https://docs.example.com#top", noPath("https://docs.example.com#top")],
  ])("refuses %s", (_, text, problem) => {
    expect(parseOrigin(text)).toEqual({ problem });
  });
});

describe("the origin override: --origin, then DEVIN_DOCS_ORIGIN", () => {
  it.each<[string, string | undefined, NodeJS.ProcessEnv, string | undefined]>([
    [
      "--origin, without reading a bad variable",
      "http://127.0.0.1:1",
      { DEVIN_DOCS_ORIGIN: "ftp://x" },
      "http://127.0.0.1:1",
    ],
    [
      "the variable, reduced to its origin",
      undefined,
      { DEVIN_DOCS_ORIGIN: "HTTPS://Docs.Corp.Example:443/" },
      "https://docs.corp.example",
    ],
    ["none, when only other variables are set", undefined, { DOCS_ORIGIN: "https://x.example" }, undefined],
  ])("takes %s", (_, flag, env, expected) => {
    expect(originOverride(flag, env)).toBe(expected);
  });

  const flagHint = "Pass the docs origin alone, e.g. --origin https://docs.example.com";
  const envHint = "Pass the docs origin alone, e.g. DEVIN_DOCS_ORIGIN=https://docs.example.com";
  it.each<[string, string | undefined, NodeJS.ProcessEnv, string, string]>([
    [
      "an empty --origin (it is given, so not unset)",
      "",
      { DEVIN_DOCS_ORIGIN: "https://x.example" },
      '--origin is not a URL: ""',
      flagHint,
    ],
    [
      "--origin with a password, without echoing it",
      "https://u:secret@x.example",
      {},
      "--origin must not hold a user name or password",
      flagHint,
    ],
    [
      "a bad --origin before a bad variable",
      "x.example",
      { DEVIN_DOCS_ORIGIN: "ftp://x" },
      '--origin is not a URL: "x.example"',
      flagHint,
    ],
    [
      "a variable with a path",
      undefined,
      { DEVIN_DOCS_ORIGIN: "https://docs.corp.example/de" },
      'DEVIN_DOCS_ORIGIN must be an origin (scheme, host and port) with no path: "https://docs.corp.example/de" (pages are fetched from <origin>/<language>/<page>.md)',
      envHint,
    ],
    [
      "a variable of another scheme",
      undefined,
      { DEVIN_DOCS_ORIGIN: "ftp://x" },
      'DEVIN_DOCS_ORIGIN must be an http or https URL: "ftp://x"',
      envHint,
    ],
  ])("refuses %s, naming where it came from and how to pass it", (_, flag, env, message, hint) => {
    expect(shape(pipelineErrorOf(() => originOverride(flag, env)))).toEqual({
      message,
      locations: [],
      hint,
      details: undefined,
    });
  });

  it("decides the origin a pull fetches the index from: --origin over DEVIN_DOCS_ORIGIN over origin:", () => {
    const sources = parseSources(
      "origin: https://docs.corp.example\nlanguage: de\nindex: /de/llms.txt\npages: [a]\n",
      FILE,
    );
    // As pullSpec combines them: the override if any, else sources.yaml's origin.
    const indexUrl = (flag: string | undefined, env: NodeJS.ProcessEnv) =>
      indexUrlOf(sources, originOverride(flag, env) ?? sources.origin);
    expect([
      indexUrl(undefined, {}),
      indexUrl(undefined, { DEVIN_DOCS_ORIGIN: "" }),
      indexUrl(undefined, { DEVIN_DOCS_ORIGIN: "http://127.0.0.1:4001" }),
      indexUrl("http://127.0.0.1:4002", { DEVIN_DOCS_ORIGIN: "http://127.0.0.1:4001" }),
    ]).toEqual([
      "https://docs.corp.example/de/llms.txt",
      "https://docs.corp.example/de/llms.txt",
      "http://127.0.0.1:4001/de/llms.txt",
      "http://127.0.0.1:4002/de/llms.txt",
    ]);
  });
});

describe("indexUrlOf: the index on the origin fetched from", () => {
  const sources = { file: "elsewhere/sources.yaml", indexLine: 7 };
  const hint = "Write index: /llms.txt (a path on the docs origin).";

  it.each([
    ["the root", "/", "http://127.0.0.1:4000/"],
    ["a query and a fragment, kept", "/a?b=1#c", "http://127.0.0.1:4000/a?b=1#c"],
  ])("resolves %s", (_, index, expected) => {
    expect(indexUrlOf({ ...sources, index }, "http://127.0.0.1:4000")).toBe(expected);
  });

  it.each([
    [
      "no leading /",
      "llms.txt",
      "http://127.0.0.1:4000",
      'must be a path on the origin, starting with a single /: "llms.txt"',
    ],
    [
      "a leading //",
      "//evil.com/llms.txt",
      "http://127.0.0.1:4000",
      'must be a path on the origin, starting with a single /: "//evil.com/llms.txt"',
    ],
    ["a backslash", "/a\\b", "http://127.0.0.1:4000", 'must not hold a backslash (URLs read it as /): "/a\\\\b"'],
    [
      "a tab that URL parsing drops",
      "/\t/evil.com/llms.txt",
      "https://docs.corp.example",
      'must stay on the docs origin https://docs.corp.example, but leads to https://evil.com: "/\\t/evil.com/llms.txt"',
    ],
    [
      "an origin it cannot be resolved on",
      "/llms.txt",
      "docs.corp.example",
      'is not a path on the origin: "/llms.txt"',
    ],
  ])("refuses %s at the line of index:", (_, index, origin, problem) => {
    expect(shape(pipelineErrorOf(() => indexUrlOf({ ...sources, index }, origin)))).toEqual({
      message: `\`index\` ${problem}`,
      locations: [{ file: "elsewhere/sources.yaml", line: 7 }],
      hint,
      details: undefined,
    });
  });
});
