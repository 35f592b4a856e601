import path from "node:path";

/** Where the pipeline reads and writes, relative to one root (the repo, or a test's temp copy). */
export interface ProjectLayout {
  root: string;
  fragmentsDir: string;
  overlaysDir: string;
  generatedDir: string;
  redoclyConfig: string;
}

export function projectLayout(root = process.cwd()): ProjectLayout {
  const abs = path.resolve(root);
  return {
    root: abs,
    fragmentsDir: path.join(abs, "spec", "fragments"),
    overlaysDir: path.join(abs, "spec", "overlays"),
    generatedDir: path.join(abs, "generated"),
    redoclyConfig: path.join(abs, "redocly.yaml"),
  };
}

/** A path as people read it in messages: relative to the root, with forward slashes. */
export function displayPath(layout: ProjectLayout, file: string): string {
  return path.relative(layout.root, file).split(path.sep).join("/") || file;
}
