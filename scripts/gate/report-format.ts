import { usageError } from "../shared/cli.ts";
import { byCodePoint } from "../shared/sort.ts";
import type { BundleChanges } from "./bundle-changes.ts";
import { type Change, type ChangeReport, formatChangeReport, type Impact, reportOf } from "./change-report.ts";

/**
 * How `generate`, `check` and `spec:diff` print the change report (`--format`):
 * - `text`: the terminal report of `formatChangeReport` (the default).
 * - `markdown`: GitHub Markdown, for a pull request's body and for CHANGELOG.md.
 * - `summary`: one line, for a pull request's title (`MINOR, 1 operation added`).
 */
export type ReportFormat = "text" | "markdown" | "summary";

export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "markdown", "summary"];

/** The `--format` value of a command line; `undefined` (not given) is `text`. */
export function parseReportFormat(value: string | undefined, command: { usage: string }): ReportFormat {
  if (value === undefined) return "text";
  if ((REPORT_FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw usageError(`command line: --format takes ${REPORT_FORMATS.join(", ")}, not ${JSON.stringify(value)}`, command);
}

/** One change set in the format asked for. */
export function formatBundleChanges(changes: BundleChanges, format: ReportFormat, options: MarkdownOptions = {}) {
  const { report, base, revision } = changes;
  if (format === "markdown") return formatChangeReportMarkdown(report, base, revision, options);
  if (format === "summary") return formatChangeSummary(report);
  return formatChangeReport(report, base, revision);
}

/** A report with no changes, for a run that had nothing to rate (the bundle did not change). */
export function noChanges(base: string, revision: string): BundleChanges {
  return { base, revision, report: reportOf([]) };
}

const IMPACTS: readonly Impact[] = ["major", "minor", "patch"];

/** What each rating means, as the README's "When the docs change" states it. */
const SECTION: Record<Impact, string> = {
  major: "Major: code that compiled may stop compiling or break at run time",
  minor: "Minor: new things, existing code keeps working",
  patch: "Patch: documentation only",
};

export interface MarkdownOptions {
  /**
   * The level of the report's own heading; each impact's section is one level below. A
   * CHANGELOG.md entry passes 3, so that the report nests under its `## <version>` heading.
   * @default 2
   */
  headingLevel?: number;
}

/**
 * The report as GitHub Markdown: a heading with the rating, the counts, then one table per
 * impact (major, minor, patch) with each change's kind, subject, where and message. Nothing
 * from the spec can break a table or start Markdown of its own: subjects and places are code
 * spans, and so are the names a message quotes in backticks (Redocly's verdicts quote
 * properties from the docs pages: "Property `total` of `X` was removed."); the rest of a
 * message has `\`, `|`, stray backticks, emphasis, link and HTML characters and line breaks
 * escaped.
 */
export function formatChangeReportMarkdown(
  report: ChangeReport,
  base: string,
  revision: string,
  options: MarkdownOptions = {},
): string {
  const level = options.headingLevel ?? 2;
  const heading = (n: number, text: string) => `${"#".repeat(n)} ${text}`;
  const compared = `${escapeText(base)} → ${escapeText(revision)}`;
  if (report.changes.length === 0) {
    return [heading(level, "API changes: none"), "", `No changes for users of the typed client (${compared}).`].join(
      "\n",
    );
  }
  const { major, minor, patch } = report.counts;
  const lines = [
    heading(level, `API changes: ${report.bump.toUpperCase()} for users of the typed client`),
    "",
    `${major} major, ${minor} minor, ${patch} patch (${compared}).`,
  ];
  for (const impact of IMPACTS) {
    const changes = report.changes
      .filter((c) => c.impact === impact)
      .sort((a, b) => byCodePoint(a.subject, b.subject) || byCodePoint(a.where, b.where));
    if (changes.length === 0) continue;
    lines.push("", heading(level + 1, `${SECTION[impact]} (${changes.length})`), "");
    lines.push("| change | subject | where | what |", "| --- | --- | --- | --- |");
    for (const c of changes) {
      lines.push(
        `| ${c.kind} | ${codeSpan(c.subject)} | ${c.where ? codeSpan(c.where) : ""} | ${markdownMessage(c.message)} |`,
      );
    }
  }
  return lines.join("\n");
}

/**
 * One line for a pull request's title: the rating in capitals, then what changed, by kind, in a
 * fixed order (most severe first), each with its count:
 * `NONE`, `PATCH, 3 documentation changes`, `MINOR, 1 operation added`,
 * `MAJOR, 1 operation removed, 1 breaking change, 2 components added`.
 * Operations and components added or removed are counted by name; every other change is a
 * breaking change (major), a compatible change (minor) or a documentation change (patch).
 */
export function formatChangeSummary(report: ChangeReport): string {
  const counts = new Map<SummaryKind, number>();
  for (const c of report.changes) {
    const kind = summaryKind(c);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const parts = SUMMARY_KINDS.filter((k) => counts.has(k)).map((k) => {
    const n = counts.get(k) ?? 0;
    const [one, many] = SUMMARY_WORDS[k];
    return `${n} ${n === 1 ? one : many}`;
  });
  return [report.bump.toUpperCase(), ...parts].join(", ");
}

type SummaryKind =
  | "operation removed"
  | "component removed"
  | "breaking"
  | "operation added"
  | "component added"
  | "compatible"
  | "documentation";

const SUMMARY_KINDS: readonly SummaryKind[] = [
  "operation removed",
  "component removed",
  "breaking",
  "operation added",
  "component added",
  "compatible",
  "documentation",
];

const SUMMARY_WORDS: Record<SummaryKind, [one: string, many: string]> = {
  "operation removed": ["operation removed", "operations removed"],
  "component removed": ["component removed", "components removed"],
  breaking: ["breaking change", "breaking changes"],
  "operation added": ["operation added", "operations added"],
  "component added": ["component added", "components added"],
  compatible: ["compatible change", "compatible changes"],
  documentation: ["documentation change", "documentation changes"],
};

const OTHER: Record<Impact, SummaryKind> = { major: "breaking", minor: "compatible", patch: "documentation" };

/**
 * An operation or component added or removed as a whole: the report names it with no `where`
 * (change-report.ts decides these by name); anything inside one has a `where`.
 */
function summaryKind(c: Change): SummaryKind {
  if (c.where === "" && c.kind !== "modified") {
    const part = c.subject.startsWith("components/") ? "component" : /^[A-Z]+ \//.test(c.subject) ? "operation" : "";
    if (part) return `${part} ${c.kind}` as SummaryKind;
  }
  return OTHER[c.impact];
}

/** A message: what it quotes in a pair of backticks stays code, the rest is text. */
function markdownMessage(message: string): string {
  let out = "";
  let last = 0;
  for (const quoted of message.matchAll(/`([^`\r\n]+)`/g)) {
    out += escapeText(message.slice(last, quoted.index)) + codeSpan(quoted[1] ?? "");
    last = quoted.index + quoted[0].length;
  }
  return out + escapeText(message.slice(last));
}

/**
 * Text for a table cell: `\` first (so that an escape in the input cannot undo ours), then the
 * characters that would end the cell, open a code span or emphasis, or start an HTML tag.
 * A line break would end the table row: it becomes a space.
 */
function escapeText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ").replace(/[\\|`*_<>[\]]/g, (ch) => `\\${ch}`);
}

/**
 * A code span that holds any text: fenced with more backticks than the longest run inside it
 * (CommonMark), padded when it starts or ends with one. GitHub splits table rows at `|` before
 * it reads code spans, so a `|` is escaped there too (GFM: "include a pipe in a cell's content
 * by escaping it, including inside other inline spans").
 */
function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
