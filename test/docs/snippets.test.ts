/**
 * Every TypeScript and JavaScript block of README.md and docs/ compiles under the project's
 * strict settings and runs against a sandbox, so a snippet that rots fails `npm test` (issue 11).
 * Each runnable snippet gets a sandbox of its own (fresh keys: one snippet's revocation is not the
 * next one's 409) through DEVIN_API_BASE_URL and DEVIN_API_KEY, as a reader would connect one.
 * Markers: see extract-snippets.ts. A fixture page proves the test can fail.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox/server.ts";
import { extractSnippets, type Snippet } from "./extract-snippets.ts";
import { runSnippets } from "./run-snippets.ts";
import { typecheckSnippets } from "./typecheck-snippets.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const FIXTURE = "test/docs/fixtures/failing.md";

/** README.md and every Markdown file under docs/, if there is one. */
async function documentation(): Promise<string[]> {
  const docs = await readdir(path.join(REPO, "docs"), { recursive: true }).catch(() => []);
  const pages = docs.filter((name) => name.endsWith(".md")).map((name) => `docs/${name.split(path.sep).join("/")}`);
  return ["README.md", ...pages.sort()];
}

async function snippetsOf(file: string): Promise<Snippet[]> {
  return extractSnippets(file, await readFile(path.join(REPO, file), "utf8"));
}

const documented = (await Promise.all((await documentation()).map(snippetsOf))).flat();
const fixture = await snippetsOf(FIXTURE);
const all = [...documented, ...fixture];

// One program and one process for all snippets, the fixture's included: each costs seconds.
let compiled = new Map<string, string[]>();
let ran = new Map<string, string | undefined>();
const sandboxes = new Map<string, Sandbox>();
beforeAll(async () => {
  const runnable = all.filter((s) => s.mode === "run");
  for (const snippet of runnable) sandboxes.set(snippet.id, await startSandbox());
  const running = runSnippets(runnable, (snippet) => {
    const sandbox = sandboxes.get(snippet.id) as Sandbox;
    return { DEVIN_API_BASE_URL: sandbox.url, DEVIN_API_KEY: sandbox.token };
  });
  // While the child process starts (tsx, src/), this one type-checks; the sandboxes answer after.
  compiled = typecheckSnippets(all.filter((s) => s.mode !== "skip"));
  ran = await running;
}, 120_000);
afterAll(() => Promise.all([...sandboxes.values()].map((s) => s.close())));

/** What is wrong with a snippet, each problem naming the file and line. */
function problems(snippet: Snippet): string[] {
  const thrown = ran.get(snippet.id);
  return [
    ...(compiled.get(snippet.id) ?? []).map((d) => `${snippet.id}: does not compile: ${d}`),
    ...(thrown === undefined ? [] : [`${snippet.id}: throws when run: ${thrown}`]),
  ];
}

describe("the snippets of README.md and docs/", () => {
  test("there are runnable ones (the extraction found the blocks)", () => {
    expect(documented.filter((s) => s.mode === "run").length).toBeGreaterThan(0);
  });

  const checked = documented.filter((s) => s.mode !== "skip");
  test.each(checked.map((s) => [`${s.id} (${s.language}, ${s.mode})`, s] as const))("%s", (_name, snippet) => {
    expect(problems(snippet)).toEqual([]);
  });
});

describe("the snippet test itself", () => {
  const [wrongType, throws, late, typecheckOnly, skipped, js] = fixture;

  test("finds the ts and js blocks of a page, with their markers, and ignores the others", () => {
    expect(fixture.map((s) => [s.line, s.language, s.mode])).toEqual([
      [6, "ts", "run"],
      [11, "ts", "run"],
      [18, "ts", "run"],
      [29, "ts", "typecheck-only"],
      [34, "ts", "skip"],
      [42, "mjs", "run"],
    ]);
  });

  test("reports a snippet that does not compile, at its file, line and column", () => {
    expect(problems(wrongType as Snippet)).toEqual([
      `${FIXTURE}:6: does not compile: ${FIXTURE}:7:7 TS2322: Type 'string' is not assignable to type 'number'.`,
    ]);
  });

  test("reports a snippet that throws, with its stack in the page's lines", () => {
    expect(problems(throws as Snippet)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${FIXTURE}:11: throws when run: Error: boom from a snippet \\(function\\)\\n\\s+at .*${FIXTURE}:15:`,
        ),
      ),
    ]);
  });

  test("reports a failure that comes after its snippet ended, against that snippet, not the next", () => {
    expect(problems(late as Snippet)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${FIXTURE}:18: throws when run: failed after it ended \\(a promise it did not await\\): Error: late failure \\(conflict\\)\\n\\s+at .*${FIXTURE}:24:`,
        ),
      ),
    ]);
    expect(problems(js as Snippet)).toEqual([]);
  });

  test("runs neither a type-check-only nor a skipped snippet, and does not compile a skipped one", () => {
    expect([typecheckOnly, skipped].map((s) => [ran.has(s?.id ?? ""), compiled.has(s?.id ?? "")])).toEqual([
      [false, true],
      [false, false],
    ]);
    expect(problems(typecheckOnly as Snippet)).toEqual([]);
  });

  test("runs a JavaScript snippet against its sandbox", () => {
    expect(problems(js as Snippet)).toEqual([]);
    expect(ran.has(js?.id ?? "")).toBe(true);
  });

  test.each([
    [
      "an unknown marker",
      "<!-- snippet: typecheck -->\n```ts\nx;\n```\n",
      'page.md:1: unknown snippet marker "typecheck"',
    ],
    ["a fence that is never closed", "text\n```ts\nx;\n", "page.md:2: a code fence that is never closed"],
  ])("refuses %s, naming the line", (_name, text, message) => {
    expect(() => extractSnippets("page.md", text)).toThrow(message);
  });
});
