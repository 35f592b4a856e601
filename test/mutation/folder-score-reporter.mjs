/**
 * A Stryker reporter (`folder-score` in stryker.config.mjs) that prints the mutation score per
 * folder once a run ends: src/ and scripts/, then each of their sub-folders. Plain JavaScript,
 * because Stryker loads plugins with Node's own `import()`.
 *
 * Score = detected / valid, as Stryker counts it: detected = killed + timeout; valid adds
 * survived and no coverage. Compile and runtime errors, and ignored mutants, are not counted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** The folders a file counts towards: `src/`, `src/core/` for `src/core/client.ts`. */
export function foldersOf(file) {
  const parts = file.split(/[\\/]/).slice(0, -1);
  return parts.map((_, i) => `${parts.slice(0, i + 1).join("/")}/`).slice(0, 2);
}

/** Per folder: detected, survived, no coverage, valid and the score (null when nothing is valid). */
export function folderScores(files, cwd = process.cwd()) {
  const rows = new Map();
  for (const [name, file] of Object.entries(files)) {
    const relative = path.isAbsolute(name) ? path.relative(cwd, name) : name;
    for (const folder of foldersOf(relative.split(path.sep).join("/"))) {
      const row = rows.get(folder) ?? { folder, detected: 0, survived: 0, noCoverage: 0, valid: 0, score: null };
      for (const mutant of file.mutants) {
        if (DETECTED.has(mutant.status)) row.detected++;
        if (mutant.status === "Survived") row.survived++;
        if (mutant.status === "NoCoverage") row.noCoverage++;
        if (DETECTED.has(mutant.status) || UNDETECTED.has(mutant.status)) row.valid++;
      }
      row.score = row.valid === 0 ? null : (100 * row.detected) / row.valid;
      rows.set(folder, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

export function formatFolderScores(rows) {
  const lines = ["Mutation score per folder (killed + timeout) / (killed + timeout + survived + no coverage):"];
  lines.push(
    `  ${"folder".padEnd(22)} ${"score".padStart(7)} ${"detected".padStart(9)} ${"survived".padStart(9)} ${"no cov".padStart(7)}`,
  );
  for (const r of rows) {
    const score = r.score === null ? "n/a" : `${r.score.toFixed(2)}%`;
    const indent = r.folder.split("/").length > 2 ? "  " : "";
    lines.push(
      `  ${(indent + r.folder).padEnd(22)} ${score.padStart(7)} ${String(r.detected).padStart(9)} ${String(r.survived).padStart(9)} ${String(r.noCoverage).padStart(7)}`,
    );
  }
  return lines.join("\n");
}

class FolderScoreReporter {
  onMutationTestReportReady(report) {
    const rows = folderScores(report.files);
    console.log(`\n${formatFolderScores(rows)}\n`);
    // Also on disk, beside the HTML and JSON reports, for docs/mutation-testing.md.
    mkdirSync("reports/mutation", { recursive: true });
    writeFileSync("reports/mutation/folder-scores.json", `${JSON.stringify(rows, null, 2)}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, "folder-score", FolderScoreReporter)];
