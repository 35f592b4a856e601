import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type Document, LineCounter, parseDocument, visit } from "yaml";
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
    throw new PipelineError(
      `invalid YAML: ${first.message.split("\n")[0]}`,
      pos ? { file: display, line: pos.line + lineOffset, column: pos.col } : { file: display },
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

/**
 * How many nodes YAML aliases (`*name`) may expand to, in all. A file of spec/ comes from a docs
 * page, which is untrusted: a few nested aliases (an "alias bomb") would otherwise expand to
 * billions of nodes. The yaml library throws a bare ReferenceError; this names the file.
 */
const MAX_ALIAS_COUNT = 100;

function toData(doc: Document, display: string, lineCounter: LineCounter, lineOffset: number): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError && /alias/i.test(error.message))) throw error;
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = first === undefined ? undefined : lineCounter.linePos(first);
    throw new PipelineError(
      `YAML aliases (\`*name\`) expand to too much data (limit ${MAX_ALIAS_COUNT}): refused as an alias bomb`,
      pos ? { file: display, line: pos.line + lineOffset, column: pos.col } : { file: display },
      "Write the YAML without anchors and aliases (`&name`, `*name`), as the docs publish it.",
    );
  }
}

/**
 * Reads every *.yaml / *.yml file of a folder, sorted by name in code-point order (never by
 * locale or by the order the file system lists them), so runs are reproducible everywhere.
 */
export async function readSourceDir(dir: string, toDisplay: (file: string) => string): Promise<SourceFile[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /\.ya?ml$/.test(n));
  names.sort(byCodePoint);
  const files: SourceFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    files.push(parseSourceFile(file, toDisplay(file), await readFile(file, "utf8")));
  }
  return files;
}
