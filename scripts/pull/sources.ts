import { readFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { isRecord } from "../shared/openapi.ts";
import { type ErrorDetail, isPipelineError, PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout, specDirOf } from "../shared/project.ts";
import { parseSourceFile } from "../shared/source-file.ts";

/** Where the Devin docs are published; `origin:` in spec/sources.yaml defaults to it. */
export const DEFAULT_ORIGIN = "https://docs.devin.ai";
/** The page index of the llms.txt convention (https://llmstxt.org), at the root of the origin. */
export const DEFAULT_INDEX = "/llms.txt";
/** The environment variable that overrides the origin (`--origin` wins over it). */
export const ORIGIN_ENV = "DEVIN_DOCS_ORIGIN";

const GUIDE = "docs/following-the-docs.md";

/** A page followed by its path, with the line of sources.yaml that names it. */
export interface FollowedPath {
  path: string;
  line: number;
}

/** A glob of `patterns:`, with its line and its compiled matcher. */
export interface FollowedPattern {
  glob: string;
  line: number;
  matches(pagePath: string): boolean;
}

/** spec/sources.yaml, checked: which pages of the docs `spec:pull` follows. */
export interface Sources {
  /** `spec/sources.yaml`, as messages name it. */
  file: string;
  /** Scheme, host and port, e.g. `https://docs.devin.ai`. @default DEFAULT_ORIGIN */
  origin: string;
  /** The prefix the pages are fetched under, e.g. `de` for `/de/<page>.md`. */
  language: string;
  /** Path of the page index on the origin. @default DEFAULT_INDEX */
  index: string;
  /** The line of `index:` (1 when the file has none). */
  indexLine: number;
  pages: FollowedPath[];
  patterns: FollowedPattern[];
}

const KEYS = ["origin", "language", "index", "pages", "patterns"] as const;
// A page path as the docs' URLs spell it: folders and a name of URL-safe characters.
const PAGE_PATH = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function sourcesFileOf(layout: ProjectLayout): string {
  return path.join(specDirOf(layout), "sources.yaml");
}

/**
 * Reads and checks spec/sources.yaml. Every problem is reported at once, each naming the line
 * and what to write instead: an unknown key, a value of the wrong type, a page path with the
 * language prefix or `.md`, a glob that does not compile, a page or glob listed twice, or a file
 * that follows nothing (a pull would then remove every fragment).
 */
export async function readSources(layout: ProjectLayout): Promise<Sources> {
  const file = sourcesFileOf(layout);
  const display = displayPath(layout, file);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    throw new PipelineError(
      "not found: spec:pull reads which docs pages to follow from this file",
      { file: display },
      `Create it: ${GUIDE} explains its keys (origin, language, index, pages, patterns).`,
    );
  });
  return parseSources(text, display);
}

/** The checks of `readSources`, on the file's text. */
export function parseSources(text: string, display: string): Sources {
  // parseSourceFile reports invalid YAML and alias bombs with their line; the second parse
  // keeps the node positions, to name the line of a key as well as of its value.
  const { data } = parseYaml(text, display);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lineOf = (node: Node | null | undefined, fallback = 1) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  const pairs = isMap(doc.contents) ? doc.contents.items : [];
  // A key as it becomes an object key in the data: YAML reads `1:`, `true:` and `:` as a number,
  // a boolean and null, which the data holds as "1", "true" and "".
  const keyText = (node: unknown) => {
    const value = isScalar(node) ? node.value : node;
    return value === null || value === undefined ? "" : typeof value === "object" ? undefined : String(value);
  };
  const pairOf = (key: string) => pairs.find((p) => keyText(p.key) === key);
  const keyLine = (key: string) => lineOf(pairOf(key)?.key as Node | undefined);
  const valueLine = (key: string) => lineOf(pairOf(key)?.value as Node | undefined, keyLine(key));
  const itemLine = (key: string, i: number) => {
    const value = pairOf(key)?.value;
    return isSeq(value) ? lineOf(value.items[i] as Node | undefined, valueLine(key)) : valueLine(key);
  };

  const problems: ErrorDetail[] = [];
  const problem = (line: number, message: string, hint: string) =>
    problems.push({ locations: [{ file: display, line }], message, hint });

  if (!isRecord(data)) {
    throw new PipelineError(
      "expected a mapping of origin, language, index, pages and patterns",
      { file: display, line: 1 },
      `Write the keys as ${GUIDE} shows.`,
    );
  }
  for (const key of Object.keys(data)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      problem(keyLine(key), `unknown key \`${key}\``, `The keys are ${KEYS.join(", ")} (see ${GUIDE}).`);
    }
  }

  const stringAt = (key: string, what: string): string | undefined => {
    const value = data[key];
    if (value === undefined) return undefined;
    if (typeof value === "string" && value !== "") return value;
    problem(valueLine(key), `\`${key}\` must be ${what}, got ${describe(value)}`, `Write ${key}: ${EXAMPLES[key]}`);
    return undefined;
  };

  let origin = DEFAULT_ORIGIN;
  const originText = stringAt("origin", "a URL");
  if (originText !== undefined) {
    const parsed = parseOrigin(originText);
    if (typeof parsed === "string") origin = parsed;
    else problem(valueLine("origin"), `\`origin\` ${parsed.problem}`, `Write origin: ${EXAMPLES.origin}`);
  }

  const language = stringAt("language", "a language code") ?? "";
  if (data.language === undefined) {
    problem(1, "`language` is missing", `Add language: ${EXAMPLES.language} (pages are fetched from /<language>/).`);
  } else if (language && !LANGUAGE.test(language)) {
    problem(
      valueLine("language"),
      `\`language\` is not a language code: ${JSON.stringify(language)}`,
      "Write language: de",
    );
  }

  const index = stringAt("index", "a path on the origin") ?? DEFAULT_INDEX;
  const indexLine = valueLine("index");
  const wrongIndex = indexProblem(index, origin);
  if (wrongIndex !== undefined) problem(indexLine, `\`index\` ${wrongIndex}`, `Write index: ${DEFAULT_INDEX}`);

  const listAt = (key: "pages" | "patterns"): { text: string; line: number }[] => {
    const value = data[key];
    // `pages:` with every item commented out is null: as good as an empty list.
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problem(
        valueLine(key),
        `\`${key}\` must be a list, got ${describe(value)}`,
        `Write ${key}: as a list, one \`- item\` a line.`,
      );
      return [];
    }
    const items: { text: string; line: number }[] = [];
    const seen = new Map<string, number>();
    value.forEach((item: unknown, i) => {
      const line = itemLine(key, i);
      if (typeof item !== "string" || item === "") {
        problem(line, `\`${key}\` item ${i + 1} must be a string, got ${describe(item)}`, `Write - ${EXAMPLES[key]}`);
        return;
      }
      const first = seen.get(item);
      if (first !== undefined) {
        problem(line, `\`${key}\` lists ${JSON.stringify(item)} twice (first on line ${first})`, "Delete one of them.");
        return;
      }
      seen.set(item, line);
      items.push({ text: item, line });
    });
    return items;
  };

  const pages: FollowedPath[] = [];
  for (const { text: page, line } of listAt("pages")) {
    const wrong = pathProblem(page, language, "page path");
    if (wrong) problem(line, `page ${JSON.stringify(page)} ${wrong.problem}`, wrong.hint);
    else if (!PAGE_PATH.test(page) || page.split("/").some((s) => s === "." || s === "..")) {
      problem(
        line,
        `page ${JSON.stringify(page)} is not a page path`,
        `Write it as in the docs URL, e.g. - ${EXAMPLES.pages}`,
      );
    } else pages.push({ path: page, line });
  }

  const patterns: FollowedPattern[] = [];
  for (const { text: glob, line } of listAt("patterns")) {
    const wrong = pathProblem(glob, language, "pattern");
    if (wrong) {
      problem(line, `pattern ${JSON.stringify(glob)} ${wrong.problem}`, wrong.hint);
      continue;
    }
    try {
      // strictBrackets: an unclosed `[`, `{` or `(` is a mistake, not a literal character.
      const matches = picomatch(glob, { strictBrackets: true });
      patterns.push({ glob, line, matches: (p) => matches(p) });
    } catch (error) {
      problem(
        line,
        `pattern ${JSON.stringify(glob)} is not a valid glob: ${(error as Error).message}`,
        `Write a glob such as - ${EXAMPLES.patterns}`,
      );
    }
  }

  if (problems.length === 0 && pages.length === 0 && patterns.length === 0) {
    problem(
      data.pages !== undefined ? valueLine("pages") : 1,
      "follows no page: `pages` and `patterns` are both empty, so a pull would remove every fragment",
      `List the pages to follow under \`pages:\` or \`patterns:\` (see ${GUIDE}).`,
    );
  }
  if (problems.length === 1) {
    const [only] = problems as [ErrorDetail];
    throw new PipelineError(only.message, only.locations, only.hint);
  }
  if (problems.length > 1) {
    throw new PipelineError(
      `${problems.length} problems in ${display}`,
      problems.flatMap((p) => p.locations),
      `Fix each, as ${GUIDE} describes the file.`,
      problems,
    );
  }
  return { file: display, origin, language, index, indexLine, pages, patterns };
}

/**
 * What is wrong with `index` as a path on `origin`, if anything. URL parsing reads `\` as `/`
 * and drops tabs and line breaks (WHATWG URL), so `/\evil.com/llms.txt` or `/<tab>/evil.com`
 * would resolve to another host: besides the spelling, the resolved URL must keep the origin.
 */
function indexProblem(index: string, origin: string): string | undefined {
  const shown = JSON.stringify(index);
  if (!index.startsWith("/") || index.startsWith("//")) {
    return `must be a path on the origin, starting with a single /: ${shown}`;
  }
  if (index.includes("\\")) return `must not hold a backslash (URLs read it as /): ${shown}`;
  let resolved: string;
  try {
    resolved = new URL(index, origin).origin;
  } catch {
    return `is not a path on the origin: ${shown}`;
  }
  if (resolved !== origin) return `must stay on the docs origin ${origin}, but leads to ${resolved}: ${shown}`;
  return undefined;
}

/**
 * The index's URL on `origin` (sources.yaml's, or the `--origin` override): an error naming the
 * line of `index:` unless it stays on that origin. parseSources checks it against sources.yaml's
 * origin; the pull checks it again against the origin it actually fetches from.
 */
export function indexUrlOf(sources: Pick<Sources, "file" | "index" | "indexLine">, origin: string): string {
  const wrong = indexProblem(sources.index, origin);
  if (wrong !== undefined) {
    throw new PipelineError(
      `\`index\` ${wrong}`,
      { file: sources.file, line: sources.indexLine },
      `Write index: ${DEFAULT_INDEX} (a path on the docs origin).`,
    );
  }
  return new URL(sources.index, origin).href;
}

/** The parsed file; invalid YAML gets a hint for this file (the shared one speaks of fragments). */
function parseYaml(text: string, display: string): ReturnType<typeof parseSourceFile> {
  try {
    return parseSourceFile(display, display, text);
  } catch (error) {
    if (!isPipelineError(error) || !error.message.startsWith("invalid YAML")) throw error;
    throw new PipelineError(
      error.message,
      error.locations,
      `Fix the YAML at that line; ${GUIDE} shows the file's shape.`,
    );
  }
}

/**
 * An origin as `origin:`, `--origin` and DEVIN_DOCS_ORIGIN take it: an http(s) URL with nothing
 * after the host and port. Returns the origin (`https://host:port`), or what is wrong with it.
 */
export function parseOrigin(text: string): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `is not a URL: ${JSON.stringify(text)}` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { problem: `must be an http or https URL: ${JSON.stringify(text)}` };
  }
  if (url.username || url.password) return { problem: "must not hold a user name or password" };
  if (url.pathname !== "/" || url.search || url.hash) {
    return {
      problem: `must be an origin (scheme, host and port) with no path: ${JSON.stringify(text)} (pages are fetched from <origin>/<language>/<page>.md)`,
    };
  }
  return url.origin;
}

/**
 * The origin override, if any: `--origin` wins over DEVIN_DOCS_ORIGIN; an empty variable counts
 * as unset (as CI systems pass unset variables). A bad value names where it came from.
 */
export function originOverride(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const [from, value] = flag !== undefined ? ["--origin", flag] : [ORIGIN_ENV, env[ORIGIN_ENV] || undefined];
  if (value === undefined) return undefined;
  const parsed = parseOrigin(value);
  if (typeof parsed === "string") return parsed;
  throw new PipelineError(
    `${from} ${parsed.problem}`,
    [],
    `Pass the docs origin alone, e.g. ${from === "--origin" ? "--origin " : `${ORIGIN_ENV}=`}https://docs.example.com`,
  );
}

const EXAMPLES: Record<string, string> = {
  origin: DEFAULT_ORIGIN,
  language: "de",
  index: DEFAULT_INDEX,
  pages: "api-reference/v3/service-users/get-enterprise-service-user-api-keys",
  patterns: "api-reference/v3/service-users/*",
};

/** What is wrong with a page path or glob that a person wrote as a URL or a file, if anything. */
function pathProblem(text: string, language: string, what: string): { problem: string; hint: string } | undefined {
  const example = what === "pattern" ? EXAMPLES.patterns : EXAMPLES.pages;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    return { problem: `is a URL; write the ${what} without the origin`, hint: `Write - ${example}` };
  }
  if (text.startsWith("/"))
    return { problem: "starts with /", hint: `Write the ${what} without the leading /, e.g. - ${example}` };
  if (language && (text === language || text.startsWith(`${language}/`))) {
    return {
      problem: `starts with the language prefix ${language}/`,
      hint: `Write it without ${language}/: \`language: ${language}\` adds it (e.g. - ${example}).`,
    };
  }
  if (/\.md$/i.test(text)) {
    return { problem: "ends with .md", hint: `Write the ${what} without .md: the pull adds it (e.g. - ${example}).` };
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
