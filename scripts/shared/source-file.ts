import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type Alias, type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import { PipelineError } from "./pipeline-error.ts";
import { byCodePoint } from "./sort.ts";

/** A YAML file of spec/, parsed, that can say where a JSON pointer sits in it. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Relative path for messages. */
  display: string;
  text: string;
  data: unknown;
  /** 1-based line/column of the node at `keys`, or of the nearest ancestor that exists. */
  locate(keys: readonly (string | number)[]): { line: number; column: number };
}

/** `lineOffset` shifts reported lines when the YAML sits inside a larger file (a docs page). */
export function parseSourceFile(filePath: string, display: string, text: string, lineOffset = 0): SourceFile {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    // The yaml library ends its first line with "at line N, column M:" and a frame without line
    // numbers, counted in the block (not the page it sits in): said here once, with the real ones.
    const what = (first.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    const n = doc.errors.length - 1;
    const more = n > 0 ? ` (${n} more YAML error${n === 1 ? "" : "s"} after it)` : "";
    throw new PipelineError(
      `invalid YAML: ${what}${more}${pos ? `\n${codeFrame(text, pos.line, pos.col, lineOffset)}` : ""}`,
      pos ? { file: display, line: pos.line + lineOffset, column: pos.col } : { file: display },
      `Fix the YAML at the marked line (indent with spaces, close every bracket and quote, keep keys unique)${yamlAdvice(display, lineOffset)}`,
    );
  }
  const data = toData(doc, display, lineCounter, lineOffset);
  return {
    path: filePath,
    display,
    text,
    data,
    locate(keys) {
      for (let n = keys.length; n >= 0; n--) {
        const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return { line: pos.line + lineOffset, column: pos.col };
        }
      }
      return { line: 1 + lineOffset, column: 1 };
    },
  };
}

/** What to do about invalid YAML, by what the file is: a page's block, a fragment, an overlay, sources.yaml. */
function yamlAdvice(display: string, lineOffset: number): string {
  if (lineOffset > 0 || /^https?:/.test(display)) {
    return ": the docs page's OpenAPI block itself is broken. Save the page again from the docs; if it stays broken, report it to the docs.";
  }
  if (/(^|\/)spec\/fragments\//.test(display)) {
    return "; better, pull or re-import the fragment from its docs page (`npm run spec:pull` or `npm run spec:import`) than edit it.";
  }
  return ".";
}

/** Lines shown before the one in error. */
const FRAME_CONTEXT = 2;
/** Longest line shown in a frame: a docs page is untrusted, and one line can be megabytes. */
const FRAME_WIDTH = 160;
// Control characters of an untrusted page must not reach the terminal (ANSI escapes); tabs stay.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const FRAME_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * The lines up to the one in error, numbered as in the file (`lineOffset`: where the YAML starts
 * in a docs page), and a caret under the column:
 *
 *         2 | info: [unclosed
 *       > 3 | paths: {}
 *           | ^
 */
function codeFrame(text: string, line: number, column: number, lineOffset: number): string {
  const lines = text.split("\n");
  const from = Math.max(1, line - FRAME_CONTEXT);
  const width = String(line + lineOffset).length;
  const shown = (n: number) => {
    const raw = (lines[n - 1] ?? "").replace(/\r$/, "").replace(FRAME_CONTROL, "\uFFFD");
    return raw.length > FRAME_WIDTH ? `${raw.slice(0, FRAME_WIDTH)}…` : raw;
  };
  const out: string[] = [];
  for (let n = from; n <= line; n++) {
    out.push(`  ${n === line ? ">" : " "} ${String(n + lineOffset).padStart(width)} | ${shown(n)}`);
  }
  // Keep tabs before the caret, so it lines up under the character in a terminal.
  const lead = shown(line)
    .slice(0, Math.min(column - 1, FRAME_WIDTH))
    .replace(/[^\t]/g, " ");
  out.push(`    ${" ".repeat(width)} | ${lead}^`);
  return out.join("\n");
}

/**
 * How many nodes YAML aliases (`*name`) may expand to, in all. A file of spec/ comes from a docs
 * page, which is untrusted: a few nested aliases (an "alias bomb") would otherwise expand to
 * billions of nodes. The yaml library throws a bare ReferenceError; this names the file.
 */
const MAX_ALIAS_COUNT = 100;

const NO_ALIASES_HINT = "Write the YAML without anchors and aliases (`&name`, `*name`), as the docs publish it.";

/**
 * The document as plain data. What the yaml library refuses only while it builds the data (an
 * alias bomb, an alias without its anchor, a YAML 1.1 merge of something that is not a map) and
 * what it builds without complaint but no later stage can use (an alias inside the node it
 * names, which makes the data endless) are PipelineErrors naming the file and the line.
 */
function toData(doc: Document, display: string, lineCounter: LineCounter, lineOffset: number): unknown {
  const at = (offset: number | undefined) => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    return pos ? { file: display, line: pos.line + lineOffset, column: pos.col } : { file: display };
  };
  let aliased = false;
  let data: unknown;
  try {
    data = doc.toJS({
      maxAliasCount: MAX_ALIAS_COUNT,
      // `count` is 1 for the anchor itself plus 1 for each alias that uses it (yaml 2.9).
      onAnchor: (_, count) => {
        aliased ||= count > 1;
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ReferenceError && /^Unresolved alias/.test(message)) {
      const alias = firstAlias(doc, (_, target) => target === undefined);
      throw new PipelineError(
        `YAML alias \`*${alias?.source}\` has no anchor \`&${alias?.source}\` before it`,
        at(alias?.range?.[0]),
        NO_ALIASES_HINT,
      );
    }
    if (error instanceof ReferenceError && /alias/i.test(message)) {
      throw new PipelineError(
        `YAML aliases (\`*name\`) expand to too much data (limit ${MAX_ALIAS_COUNT}): refused as an alias bomb`,
        at(firstAlias(doc, () => true)?.range?.[0]),
        NO_ALIASES_HINT,
      );
    }
    if (/^Merge sources/.test(message)) {
      // An alias names the last node before it with its anchor, as the yaml library resolves it.
      const anchors = new Map<string, unknown>();
      const mergeable = (node: unknown) => isMap(node) || (isAlias(node) && isMap(anchors.get(node.source)));
      let merge: number | undefined;
      visit(doc, {
        Node(_, node) {
          if (node.anchor) anchors.set(node.anchor, node);
        },
        Pair(_, pair) {
          if (!(isScalar(pair.key) && pair.key.source === "<<")) return undefined;
          if (isSeq(pair.value) ? pair.value.items.every(mergeable) : mergeable(pair.value)) return undefined;
          merge = pair.key.range?.[0];
          return visit.BREAK;
        },
      });
      throw new PipelineError(
        `invalid YAML: ${message}`,
        at(merge),
        `Fix the YAML (a \`<<\` merge key takes a map or an alias of one)${yamlAdvice(display, lineOffset)}`,
      );
    }
    // Anything else the library refuses while it builds the data (a YAML 1.1 `!!omap` with a
    // repeated key, say) is about the file too; a TypeError is a bug, here or in the library.
    if (error instanceof TypeError || !(error instanceof Error)) throw error;
    throw new PipelineError(
      `invalid YAML: ${message}`,
      at(undefined),
      `Fix the YAML${yamlAdvice(display, lineOffset)}`,
    );
  }
  if (aliased) {
    const cycle = firstAlias(doc, (_, target, ancestors) => target !== undefined && ancestors.includes(target));
    if (cycle) {
      throw new PipelineError(
        `YAML alias \`*${cycle.source}\` sits inside the node it names: the data would be endless`,
        at(cycle.range?.[0]),
        NO_ALIASES_HINT,
      );
    }
  }
  return data;
}

/**
 * The first alias node (in document order) that `test` accepts, given the node it names (the
 * last node with its anchor before it, as the yaml library resolves it) and its ancestors. One
 * walk: `Alias.resolve` walks the whole document for each alias, too slow for an untrusted page
 * with thousands of them.
 */
function firstAlias(
  doc: Document,
  test: (alias: Alias, target: unknown, ancestors: readonly unknown[]) => boolean,
): Alias | undefined {
  const anchors = new Map<string, unknown>();
  let found: Alias | undefined;
  visit(doc, {
    Node(_, node, ancestors) {
      if (isAlias(node)) {
        if (!test(node, anchors.get(node.source), ancestors)) return undefined;
        found = node;
        return visit.BREAK;
      }
      if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  return found;
}

/**
 * The names of the *.yaml / *.yml files among a folder's entries, in code-point order (never by
 * locale or by the order the file system lists them), so runs are reproducible everywhere. A
 * folder named like a YAML file is a subfolder (of parts), and so is a link to a folder; a link
 * that leads nowhere is kept, for the read to name it; a FIFO or socket is refused, as a read
 * of it would wait forever.
 */
export async function yamlFileNames(
  dir: string,
  entries: readonly Dirent[],
  toDisplay: (file: string) => string,
): Promise<string[]> {
  const names: string[] = [];
  for (const entry of entries) {
    if (!/\.ya?ml$/.test(entry.name)) continue;
    const file = path.join(dir, entry.name);
    const kind = entry.isSymbolicLink()
      ? await stat(file).then(
          (s) => s,
          () => undefined,
        )
      : entry;
    if (kind?.isDirectory()) continue;
    if (kind && !kind.isFile()) {
      throw new PipelineError(
        `${toDisplay(file)} is not a regular file`,
        [{ file: toDisplay(file) }],
        "Replace it with a YAML file, or delete it.",
      );
    }
    names.push(entry.name);
  }
  return names.sort(byCodePoint);
}

/** Reads every *.yaml / *.yml file of a folder (yamlFileNames); a missing folder has none. */
export async function readSourceDir(dir: string, toDisplay: (file: string) => string): Promise<SourceFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw new PipelineError(
      `could not read ${toDisplay(dir)}/: ${error.code ?? error.message}`,
      [{ file: toDisplay(dir) }],
      "It must be a folder you can read.",
    );
  });
  const names = await yamlFileNames(dir, entries, toDisplay);
  const files: SourceFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const display = toDisplay(file);
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new PipelineError(
        `cannot read ${display}: ${error.code ?? error.message}`,
        [{ file: display }],
        "Make it a readable file (a symbolic link must lead to one), or delete it.",
      );
    });
    files.push(parseSourceFile(file, display, text));
  }
  return files;
}
