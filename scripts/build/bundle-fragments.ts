import path from "node:path";
import { type BaseResolver, bundle, type Config, makeDocumentFromString } from "@redocly/openapi-core";
import { PipelineError } from "../shared/pipeline-error.ts";
import type { SourceFile } from "../shared/source-file.ts";
import { refuseNested } from "./load-inputs.ts";
import { problemMessage } from "./problems.ts";

/**
 * Stage 3: bundles each fragment on its own, because an external `$ref` resolves against the
 * fragment's own file. Then every other YAML file beside the fragments (a part) must have been
 * referenced by one of them, and a YAML file in a subfolder that none referenced must not be a
 * fragment (it would be left out). Returns the fragments with self-contained `data`.
 */
export async function bundleFragments(
  fragments: readonly SourceFile[],
  parts: readonly SourceFile[],
  config: Config,
  resolver: BaseResolver,
  { nested, root }: { nested: readonly string[]; root: string } = { nested: [], root: "." },
): Promise<SourceFile[]> {
  const selfContained = await Promise.all(fragments.map((file) => bundleFragment(file, config, resolver)));
  const referenced = resolver.getFiles();
  await refuseNested(
    nested.filter((file) => !referenced.has(file)),
    "openapi",
    (file) => path.relative(root, file).split(path.sep).join("/"),
  );
  const orphans = parts.filter((part) => !referenced.has(part.path));
  if (orphans.length > 0) {
    throw new PipelineError(
      "not a fragment (no top-level `openapi` key) and not referenced by any fragment",
      orphans.map((o) => ({ file: o.display, line: 1 })),
      "Add `openapi: 3.1.0` if it is a fragment (import docs pages with `npm run spec:import`), or delete it.",
    );
  }
  return selfContained;
}

async function bundleFragment(file: SourceFile, config: Config, resolver: BaseResolver): Promise<SourceFile> {
  const result = await bundle({
    doc: makeDocumentFromString(file.text, file.path),
    config,
    externalRefResolver: resolver,
  });
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new PipelineError(
      `bundling failed:\n    ${errors.map((p) => problemMessage(p)).join("\n    ")}`,
      errors.map((p) => ({ file: file.display, pointer: p.location[0]?.pointer ?? "#/" })),
      "Fix each $ref so that it names a file and a node that exist, then run `npm run generate` again.",
    );
  }
  return { ...file, data: result.bundle.parsed };
}
