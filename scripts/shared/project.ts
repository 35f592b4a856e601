import path from "node:path";

/** The bundle's file name in generated/. */
export const BUNDLE_FILE = "devin-api.yaml";

/** Where the pipeline reads and writes, relative to one root (the repo, or a test's temp copy). */
export interface ProjectLayout {
  root: string;
  fragmentsDir: string;
  overlaysDir: string;
  generatedDir: string;
  /** generated/devin-api.yaml: what the change report compares. */
  bundleFile: string;
  redoclyConfig: string;
}

export function projectLayout(root = process.cwd()): ProjectLayout {
  const abs = path.resolve(root);
  const generatedDir = path.join(abs, "generated");
  return {
    root: abs,
    fragmentsDir: path.join(abs, "spec", "fragments"),
    overlaysDir: path.join(abs, "spec", "overlays"),
    generatedDir,
    bundleFile: path.join(generatedDir, BUNDLE_FILE),
    redoclyConfig: path.join(abs, "redocly.yaml"),
  };
}

/** A path as people read it in messages: relative to the root, with forward slashes. */
export function displayPath(layout: ProjectLayout, file: string): string {
  return path.relative(layout.root, file).split(path.sep).join("/") || file;
}

/** spec/, the folder of fragments and overlays: every `$ref` must stay inside it (shared/untrusted-input.ts). */
export function specDirOf(layout: Pick<ProjectLayout, "fragmentsDir">): string {
  return path.dirname(layout.fragmentsDir);
}
