/** The printed table and bench/results.json. */
import { writeFile } from "node:fs/promises";
import type { Row, SectionResult, TargetResult } from "./results.ts";

const fmt = (row: Row) => {
  if (row.unit === "B") return `${(row.median / 1000).toFixed(2)} kB`;
  if (row.unit === "MB") return `${row.median.toFixed(1)} MB`;
  return row.median >= 10_000 ? `${(row.median / 1000).toFixed(2)} s` : `${row.median.toFixed(1)} ms`;
};

function pad(cells: string[][]): string {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length))) ?? [];
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatTable(machine: string, sections: Map<string, SectionResult & { title: string }>): string {
  const out: string[] = [machine, ""];
  const targets: TargetResult[] = [];
  for (const [name, section] of sections) {
    out.push(`== ${name}: ${section.title}`);
    const cells = [["row", "median", "ratio", "n", "extra"]];
    for (const row of section.rows) {
      const extra = Object.entries(row.extra ?? {})
        .filter(([k]) => !k.endsWith(" ms"))
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      cells.push([
        row.label,
        fmt(row),
        row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}× ${row.ratioTo}`,
        String(row.samples.length),
        [extra, row.note ?? ""].filter(Boolean).join("; "),
      ]);
    }
    out.push(pad(cells));
    for (const note of section.notes) out.push(`  note: ${note}`);
    out.push("");
    targets.push(...section.targets);
  }
  out.push("== targets");
  out.push(pad(targets.map((t) => [t.met ? "ok  " : "MISS", `${t.section}: ${t.name}`, t.verdict])));
  return out.join("\n");
}

export async function writeResults(
  file: string,
  data: { machine: object; args: string[]; sections: Record<string, SectionResult & { title: string }> },
): Promise<void> {
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
