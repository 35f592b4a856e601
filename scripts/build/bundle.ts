import { type Document, Source } from "@redocly/openapi-core";
import { pointerKeys, toPointer, valueAt } from "../shared/json-pointer.ts";
import { type ErrorLocation, PipelineError } from "../shared/pipeline-error.ts";
import { forEachFollowedRef } from "../shared/untrusted-input.ts";
import type { Provenance } from "./provenance.ts";

type Json = Record<string, unknown>;

/** A parsed document as Redocly's in-memory Document, at `absoluteRef` (which need not exist). */
export function inMemoryDocument(parsed: unknown, absoluteRef: string): Document {
  return { source: new Source(absoluteRef, JSON.stringify(parsed, null, 2)), parsed };
}

/**
 * Stage 6: the bundle, as one in-memory document at generated/devin-api.yaml. Each fragment
 * was bundled before the join (stage 3) and each overlay pass bundles what it adds (stage 5),
 * so nothing is left to resolve: a further bundle pass would only repeat work (0.2-0.3 s on
 * DigitalOcean's spec). This stage checks that promise instead, with one walk over the `$ref`s
 * Redocly follows (forEachFollowedRef, which skips data such as `default` and `enum` but not a
 * property of that name): each must be internal and point at a node of the bundle. A miss
 * names the `$ref` and its target.
 */
export function bundleDocument(document: Json, virtualRef: string, provenance: Provenance): Document {
  const misses: { location: ErrorLocation; ref: string }[] = [];
  forEachFollowedRef(document, (ref, keys) => {
    if (!ref.startsWith("#") || valueAt(document, pointerKeys(ref)) === undefined) {
      const pointer = toPointer(keys);
      misses.push({ location: { file: provenance.describe(pointer), pointer }, ref });
    }
  });
  if (misses.length > 0) {
    throw new PipelineError(
      `the bundle has ${misses.length} unresolved $ref${misses.length === 1 ? "" : "s"}`,
      misses.map((m) => m.location),
      "Define each target (in a fragment, or in the overlay that adds the $ref), or fix the $ref.",
      misses.map((m) => ({
        locations: [m.location],
        message: m.ref.startsWith("#")
          ? `Can't resolve $ref \`${m.ref}\`: the bundle has no such node`
          : `$ref \`${m.ref}\` points outside the bundle`,
      })),
    );
  }
  return inMemoryDocument(document, virtualRef);
}
