import { PipelineError } from "../shared/pipeline-error.ts";

/** package.json's `version`; an error naming the file when it has none. */
export function readVersion(packageJson: string, file = "package.json"): string {
  const { version } = JSON.parse(packageJson) as { version?: unknown };
  if (typeof version !== "string") {
    throw new PipelineError(`${file} has no version`, { file, pointer: "/version" }, 'Add `"version": "0.1.0"`.');
  }
  return version;
}

/**
 * package.json or package-lock.json with `version` set, as `npm version --no-git-tag-version`
 * writes it: the lockfile holds the version twice (at its top and for the root package,
 * `packages[""]`). Key order, indentation and the final newline stay as they were, so the
 * commit shows only the version lines.
 */
export function withVersion(jsonText: string, version: string): string {
  const json = JSON.parse(jsonText) as { version?: string; packages?: Record<string, { version?: string }> };
  json.version = version;
  const root = json.packages?.[""];
  if (root) root.version = version;
  const indent = /^([ \t]+)"/m.exec(jsonText)?.[1] ?? "  ";
  return `${JSON.stringify(json, null, indent)}${jsonText.endsWith("\n") ? "\n" : ""}`;
}
