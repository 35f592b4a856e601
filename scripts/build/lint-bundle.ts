import { type Config, type Document, lintDocument } from "@redocly/openapi-core";
import type { ProjectLayout } from "../shared/project.ts";
import { failOnErrors, type LintFinding, toFinding } from "./problems.ts";
import type { Provenance } from "./provenance.ts";
import { SpecResolver } from "./spec-resolver.ts";

/** The entry of `apis` in redocly.yaml whose rules apply to the bundle. */
export const BUNDLE_API_ALIAS = "devin";

/**
 * Stage 7: lints the bundle with redocly.yaml's root rules plus those of `apis.devin` (the
 * prose rules). Lines of the in-memory bundle mean nothing to a reader, so each finding names
 * the pointer and the fragment the node came from. Throws on any error; returns the warnings.
 */
export async function lintBundle(
  bundled: Document,
  config: Config,
  layout: ProjectLayout,
  provenance: Provenance,
): Promise<LintFinding[]> {
  const bundleConfig = config.forAlias(BUNDLE_API_ALIAS);
  const problems = await lintDocument({
    document: bundled,
    config: bundleConfig,
    externalRefResolver: new SpecResolver(layout, bundleConfig.resolve),
  });
  const findings = problems.map((p) => toFinding(p, (pointer) => provenance.describe(pointer), false));
  return failOnErrors(findings, "lint of the bundle (after overlays)");
}
