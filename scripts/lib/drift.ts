import { createTwoFilesPatch } from "diff";

export type DriftKind = "missing" | "differs" | "stray";

export interface Drift {
  kind: DriftKind;
  file: string;
  /** A short unified diff (committed → regenerated) for `differs`. */
  diff?: string;
}

const MAX_DIFF_LINES = 40;

/** Compares what generated/ holds with what the pipeline produces now. */
export function findDrift(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string | undefined>,
  dirName: string,
): Drift[] {
  const drift: Drift[] = [];
  for (const [name, want] of expected) {
    const file = `${dirName}/${name}`;
    const have = actual.get(name);
    if (!actual.has(name) || have === undefined) drift.push({ kind: "missing", file });
    else if (have !== want) drift.push({ kind: "differs", file, diff: shortDiff(file, have, want) });
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) drift.push({ kind: "stray", file: `${dirName}/${name}` });
  }
  return drift;
}

function shortDiff(file: string, committed: string, regenerated: string): string {
  const patch = createTwoFilesPatch(`${file} (committed)`, `${file} (from spec/)`, committed, regenerated, "", "", {
    context: 2,
  });
  const lines = patch
    .split("\n")
    .slice(1) // drop the "====" rule
    .map((l) => (l.startsWith("---") || l.startsWith("+++") ? l.trimEnd() : l));
  const cut = lines.length > MAX_DIFF_LINES;
  return [...lines.slice(0, MAX_DIFF_LINES), ...(cut ? [`... ${lines.length - MAX_DIFF_LINES} more diff lines`] : [])]
    .join("\n")
    .trimEnd();
}

export function formatDrift(drift: readonly Drift[]): string {
  const describe: Record<DriftKind, string> = {
    missing: "missing (the pipeline writes it, generated/ lacks it)",
    differs: "differs from what spec/ generates (hand-edited, or spec/ changed without regenerating)",
    stray: "stray (not written by the pipeline; generated/ holds only pipeline output)",
  };
  return drift.map((d) => `${d.file}: ${describe[d.kind]}${d.diff ? `\n${indent(d.diff)}` : ""}`).join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
