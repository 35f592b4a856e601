/**
 * The code blocks of a Markdown file that the snippet test checks: ```ts, ```typescript, ```js,
 * ```javascript, ```mjs and ```cjs. Other languages (sh, yaml, text, none) are not code to check.
 *
 * A block is type-checked and run unless an HTML comment on the line before its fence says
 * otherwise:
 *   <!-- snippet: typecheck-only -->  compile it, do not run it (it calls production, say)
 *   <!-- snippet: skip -->            neither (a fragment, a shell session)
 */

export type SnippetLanguage = "ts" | "mjs" | "cjs";
export type SnippetMode = "run" | "typecheck-only" | "skip";

export interface Snippet {
  /** The Markdown file, relative to the repository root (forward slashes). */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: SnippetLanguage;
  mode: SnippetMode;
  /** The block's text, its lines in order (the fence's indentation removed), ending with a newline. */
  code: string;
  /** `file:line`, what every failure of the snippet is reported as. */
  id: string;
}

const LANGUAGES: Record<string, SnippetLanguage> = {
  ts: "ts",
  typescript: "ts",
  js: "mjs",
  javascript: "mjs",
  mjs: "mjs",
  cjs: "cjs",
};

const MODES: readonly SnippetMode[] = ["typecheck-only", "skip"];
const MARKER = /^\s*<!--\s*snippet:\s*(\S+)\s*-->\s*$/;
// CommonMark: a fence is three or more backticks or tildes; the info string's first word is the language.
const OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

/**
 * Every checked block of `text`, in order. A marker with a value this test does not know is an
 * error (a typo must not turn a check off); so is a fence that is never closed.
 */
export function extractSnippets(file: string, text: string): Snippet[] {
  const lines = text.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] ?? "");
    if (!open) continue;
    const [, indent = "", fence = "", info = ""] = open;
    const close = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    const end = lines.findIndex((l, j) => j > i && close.test(l));
    if (end === -1) throw new Error(`${file}:${i + 1}: a code fence that is never closed`);
    const language = LANGUAGES[info.toLowerCase()];
    if (language !== undefined) {
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
      snippets.push({
        file,
        line: i + 1,
        language,
        mode: modeOf(lines, i, file),
        code: `${body.join("\n")}\n`,
        id: `${file}:${i + 1}`,
      });
    }
    i = end;
  }
  return snippets;
}

/** The marker on the line before the fence at `index`, if any. */
function modeOf(lines: readonly string[], index: number, file: string): SnippetMode {
  const marker = MARKER.exec(lines[index - 1] ?? "");
  if (!marker) return "run";
  const mode = MODES.find((m) => m === marker[1]);
  if (mode === undefined) {
    throw new Error(
      `${file}:${index}: unknown snippet marker ${JSON.stringify(marker[1])} (use <!-- snippet: typecheck-only --> or <!-- snippet: skip -->)`,
    );
  }
  return mode;
}
