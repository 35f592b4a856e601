import { bundle, type Config, type NormalizedProblem } from "@redocly/openapi-core";
import { paths as selectPaths } from "jsonpath-rfc9535";
import { pointerKeys } from "../shared/json-pointer.ts";
import { isRecord } from "../shared/openapi.ts";
import { type ErrorLocation, PipelineError } from "../shared/pipeline-error.ts";
import type { ProjectLayout } from "../shared/project.ts";
import type { SourceFile } from "../shared/source-file.ts";
import { inMemoryDocument } from "./bundle.ts";
import { problemMessage } from "./problems.ts";
import type { Provenance } from "./provenance.ts";
import { SpecResolver } from "./spec-resolver.ts";

type Json = Record<string, unknown>;

/**
 * Stage 5: applies Overlay 1.x documents in file-name order with Redocly (RFC 9535 JSONPath).
 * Redocly applies overlays only inside its bundler (`applyOverlay` is not exported), so each
 * overlay file is one bundle pass: what an overlay adds is resolved as it is applied.
 *
 * The Overlay spec lets an action whose target selects nothing pass silently; here it is an
 * error, because a stale overlay would otherwise drop a documented fact without a word. Each
 * target must select something in the document as it stands before its overlay file is
 * applied (an action that builds on another's result belongs in a later file).
 */
export async function applyOverlays(
  joined: Json,
  overlays: readonly SourceFile[],
  config: Config,
  layout: ProjectLayout,
  provenance: Provenance,
): Promise<Json> {
  let current = joined;
  for (const overlay of overlays) {
    checkTargets(current, overlay);
    const result = await bundle({
      doc: inMemoryDocument(current, layout.bundleFile),
      config,
      externalRefResolver: new SpecResolver(layout, config.resolve),
      overlays: [overlay.path],
    });
    const errors = result.problems.filter((p) => p.severity === "error");
    if (errors.length > 0) {
      // A problem in the document points into it as overlaid; its source text is from before.
      const describe = (p: NormalizedProblem) =>
        problemMessage(p, p.location[0]?.source.absoluteRef === overlay.path ? undefined : result.bundle.parsed);
      const locations: ErrorLocation[] = errors.map((p) => {
        const loc = p.location[0];
        const pointer = loc?.pointer ?? "#/";
        return loc?.source.absoluteRef === overlay.path
          ? { file: overlay.display, ...overlay.locate(pointerKeys(pointer)), pointer }
          : { file: provenance.describe(pointer), pointer };
      });
      throw new PipelineError(
        `applying ${overlay.display} failed:\n    ${errors.map(describe).join("\n    ")}`,
        locations,
        "Fix the overlay: an update must be of the same kind as each node its target selects (a mapping onto a " +
          "mapping, a list onto a list), and every $ref it adds must point at something the document or the " +
          "overlay itself defines.",
      );
    }
    current = result.bundle.parsed as Json;
  }
  return current;
}

function checkTargets(document: unknown, overlay: SourceFile): void {
  const actions = isRecord(overlay.data) && Array.isArray(overlay.data.actions) ? overlay.data.actions : [];
  const misses: ErrorLocation[] = [];
  const messages: string[] = [];
  actions.forEach((action, index) => {
    if (!isRecord(action) || typeof action.target !== "string") return; // Redocly reports the shape.
    let matches: unknown[];
    try {
      matches = selectPaths(document as never, action.target);
    } catch (error) {
      throw new PipelineError(
        `invalid JSONPath in action ${index + 1}: ${(error as Error).message}`,
        { file: overlay.display, ...overlay.locate(["actions", index, "target"]) },
        "Write the target as an RFC 9535 JSONPath expression, e.g. $.paths['/v3/items'].get.",
      );
    }
    if (matches.length === 0) {
      misses.push({ file: overlay.display, ...overlay.locate(["actions", index, "target"]) });
      messages.push(`action ${index + 1}: target ${action.target} matches nothing`);
    }
  });
  if (misses.length > 0) {
    throw new PipelineError(
      `stale overlay: ${messages.join("; ")} (in the document as it stands before this overlay)`,
      misses,
      "Fix the target, or delete the action if the fragments now declare what it added.",
    );
  }
}
