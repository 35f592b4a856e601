import pLimit from "p-limit";
import { refuseInterruptedSwap } from "../build/write.ts";
import { readExistingFragments } from "../import/existing-fragments.ts";
import { duplicatePages, planFragment } from "../import/plan-fragment.ts";
import { type ErrorDetail, isPipelineError, PipelineError } from "../shared/pipeline-error.ts";
import type { ProjectLayout } from "../shared/project.ts";
import { byCodePoint } from "../shared/sort.ts";
import { type DocsLocation, pageUrl, parseDocsIndex } from "./docs-index.ts";
import { FETCH_DEFAULTS, type FetchSettings, fetchMarkdown } from "./fetch-page.ts";
import { compareFragments, type FragmentEntry, type PulledFragment, writeFragments } from "./fragment-changes.ts";
import { indexUrlOf, parseOrigin, readSources } from "./sources.ts";

/**
 * How many pages a pull follows at most. The docs have tens of API pages; an index that makes a
 * pattern match hundreds is broken or tampered with, and every fragment is held in memory.
 */
export const MAX_FOLLOWED_PAGES = 500;

export interface PullProgress {
  /** Requests started so far, this one included (the index counts as one). */
  started: number;
  total: number;
  url: string;
}

export interface PullOptions extends Partial<FetchSettings> {
  /** Where to fetch from instead of sources.yaml's origin (`--origin`, DEVIN_DOCS_ORIGIN). @default sources.yaml's `origin` */
  origin?: string | undefined;
  /** Plan and report, write nothing. @default false */
  dryRun?: boolean | undefined;
  /** Requests at a time. @default 4 */
  concurrency?: number;
  /** Called as each request starts; the CLI shows it on a terminal. @default none */
  onProgress?: ((progress: PullProgress) => void) | undefined;
  /** Pages followed at most; more is an error before any page is fetched. @default MAX_FOLLOWED_PAGES */
  maxPages?: number;
}

/** A finding that does not stop the pull: a pattern that matches no page of the index. */
export interface PullWarning {
  file: string;
  line: number;
  message: string;
}

export interface PullResult {
  /** Where pages were fetched from. */
  origin: string;
  language: string;
  indexUrl: string;
  /** One per fragment, sorted by file name. */
  entries: FragmentEntry[];
  warnings: PullWarning[];
  dryRun: boolean;
  /** Whether spec/fragments/ was written (something changed, and not a dry run). */
  written: boolean;
}

/** A page the pull follows: its path in the index, and the URL of its Markdown in the language. */
interface Followed {
  path: string;
  url: string;
}

/**
 * `npm run spec:pull`: fetches the docs pages spec/sources.yaml follows and makes spec/fragments/
 * hold exactly their fragments. All or nothing: the index and every page are fetched and checked
 * (one OpenAPI block, one operation, the fence, `$ref`s that stay in spec/, no two pages with one
 * operation) before anything is written, and every problem is reported at once; on any failure
 * spec/ is byte for byte as it was. With nothing changed, nothing is written.
 */
export async function pullSpec(layout: ProjectLayout, options: PullOptions = {}): Promise<PullResult> {
  const settings: FetchSettings = {
    timeoutMs: options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs,
    attempts: options.attempts ?? FETCH_DEFAULTS.attempts,
    backoffMs: options.backoffMs ?? FETCH_DEFAULTS.backoffMs,
  };
  // Before planning: with spec/fragments/ set aside by an interrupted write, the plan would see
  // no fragments and call every page added.
  await refuseInterruptedSwap(layout.fragmentsDir, { root: layout.root });
  const sources = await readSources(layout);
  const at: DocsLocation = {
    origin: options.origin === undefined ? sources.origin : checkedOrigin(options.origin),
    defaultOrigin: sources.origin,
    language: sources.language,
  };
  // Checked against the origin fetched from, which `--origin` may have changed.
  const indexUrl = indexUrlOf(sources, at.origin);
  const result = { origin: at.origin, language: at.language, indexUrl, dryRun: options.dryRun === true };

  let started = 0;
  let total = 1;
  const progress = (url: string) => options.onProgress?.({ started: ++started, total, url });

  // The index says which pages exist: patterns match against it, and an explicit page missing
  // from it is one the docs no longer list.
  progress(indexUrl);
  let index: Map<string, string>;
  try {
    index = parseDocsIndex(await fetchMarkdown(indexUrl, "index", settings), indexUrl, at);
  } catch (error) {
    throw failed(detailsOf(error));
  }

  const problems: ErrorDetail[] = [];
  const warnings: PullWarning[] = [];
  const followed = new Map<string, Followed>();
  for (const page of sources.pages) {
    const url = index.get(page.path);
    if (url !== undefined) {
      followed.set(page.path, { path: page.path, url });
      continue;
    }
    problems.push({
      locations: [{ file: pageUrl(at, page.path) }, { file: sources.file, line: page.line }],
      message: `a followed page is missing from the docs index ${indexUrl}`,
      hint: `If the docs removed or moved the page, remove it from \`pages:\` in ${sources.file} (or follow its new path); if the docs still show it, check the index and pull again.`,
    });
  }
  const indexed = [...index.keys()].sort(byCodePoint);
  const matchedBy: { pattern: (typeof sources.patterns)[number]; count: number }[] = [];
  for (const pattern of sources.patterns) {
    const matched = indexed.filter((p) => pattern.matches(p));
    matchedBy.push({ pattern, count: matched.length });
    if (matched.length === 0) {
      warnings.push({
        file: sources.file,
        line: pattern.line,
        message: `pattern ${JSON.stringify(pattern.glob)} matches no page of ${indexUrl}`,
      });
    }
    for (const p of matched) if (!followed.has(p)) followed.set(p, { path: p, url: index.get(p) as string });
  }

  const pages = [...followed.values()];
  const maxPages = options.maxPages ?? MAX_FOLLOWED_PAGES;
  if (pages.length > maxPages) throw failed([tooMany(pages.length, maxPages, matchedBy, sources.file, indexUrl)]);
  total += pages.length;
  const limit = pLimit(options.concurrency ?? 4);
  const outcomes = await Promise.all(
    pages.map((page) =>
      limit(async (): Promise<PulledFragment | ErrorDetail[]> => {
        progress(page.url);
        try {
          const text = await fetchMarkdown(page.url, "page", settings);
          return { ...planFragment(text, page.url, layout), url: page.url };
        } catch (error) {
          return detailsOf(error);
        }
      }),
    ),
  );
  const pulled = outcomes.filter((o): o is PulledFragment => !Array.isArray(o));
  problems.push(...outcomes.filter((o) => Array.isArray(o)).flat());
  problems.push(
    ...duplicatePages(
      pulled,
      `Two followed pages publish one operation: follow only one of them in ${sources.file}, and report the duplicate to the docs.`,
    ),
  );
  if (problems.length > 0) throw failed(problems);

  const entries = compareFragments(pulled, await readExistingFragments(layout), layout);
  const changed = entries.some((e) => e.change !== "unchanged");
  if (changed && !result.dryRun) await writeFragments(layout, pulled, entries);
  return { ...result, entries, warnings, written: changed && !result.dryRun };
}

/** The problem of following more than `max` pages, naming each pattern that matched with its count. */
function tooMany(
  count: number,
  max: number,
  matchedBy: readonly { pattern: { glob: string; line: number }; count: number }[],
  file: string,
  indexUrl: string,
): ErrorDetail {
  const matching = matchedBy.filter((m) => m.count > 0).sort((a, b) => b.count - a.count);
  const named = matching.map((m) => `${JSON.stringify(m.pattern.glob)} matches ${m.count}`).join(", ");
  return {
    locations: matching.length > 0 ? matching.map((m) => ({ file, line: m.pattern.line })) : [{ file }],
    message: `${count} pages would be followed, more than the limit of ${max}${named ? ` (pattern${matching.length === 1 ? "" : "s"} ${named})` : ""}`,
    hint:
      `Narrow the pattern${matching.length === 1 ? "" : "s"} in ${file} to the folders you need ` +
      `(the docs have tens of API pages: an index that lists this many at ${indexUrl} may be broken or tampered with).`,
  };
}

function checkedOrigin(origin: string): string {
  const parsed = parseOrigin(origin);
  if (typeof parsed === "string") return parsed;
  throw new PipelineError(
    `the origin ${parsed.problem}`,
    [],
    "Pass the docs origin alone, e.g. https://docs.example.com",
  );
}

/** A PipelineError as the problems it holds, each with its own hint (the error's, if none). */
function detailsOf(error: unknown): ErrorDetail[] {
  if (!isPipelineError(error)) throw error;
  if (error.details) {
    return error.details.map((d) => {
      const hint = d.hint ?? error.hint;
      return hint === undefined ? d : { ...d, hint };
    });
  }
  return [{ locations: error.locations, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }];
}

function failed(problems: readonly ErrorDetail[]): PipelineError {
  const n = problems.length;
  return new PipelineError(
    `spec:pull failed: ${n} problem${n === 1 ? "" : "s"}; nothing was written`,
    problems.flatMap((p) => p.locations),
    "spec/ is unchanged. Fix each problem above (or wait for the docs site), then pull again.",
    problems,
  );
}
