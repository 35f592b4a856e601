import { realpath } from "node:fs/promises";
import path from "node:path";
import { BaseResolver, type Source } from "@redocly/openapi-core";
import { type ProjectLayout, specDirOf } from "../shared/project.ts";
import { isInside, SPEC_REF_HINT } from "../shared/untrusted-input.ts";

type ResolveConfig = ConstructorParameters<typeof BaseResolver>[0];

/**
 * Not a stage: the resolver every Redocly call of the pipeline uses. It reads only files inside
 * spec/ (also after following symbolic links) and never a URL. `checkRefsStayInSpec` refuses
 * such a `$ref` before Redocly runs; this is the second line, for a `$ref` the check does not
 * see: one inside a file under spec/ that is not a fragment, part or overlay (a subfolder), or
 * one in a place Redocly follows that the check takes for data. Redocly reports the refusal as
 * an unresolved `$ref` with the file and line it sits at.
 */
export class SpecResolver extends BaseResolver {
  readonly #layout: ProjectLayout;

  constructor(layout: ProjectLayout, config?: ResolveConfig) {
    super(config);
    this.#layout = layout;
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const { root } = this.#layout;
    const specDir = specDirOf(this.#layout);
    const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(absoluteRef) && !path.isAbsolute(absoluteRef);
    const inside =
      !isUrl &&
      isInside(absoluteRef, specDir) &&
      isInside(await realpath(absoluteRef).catch(() => absoluteRef), await realpath(specDir).catch(() => specDir));
    if (!inside) {
      const shown = isUrl ? absoluteRef : path.relative(root, absoluteRef).split(path.sep).join("/");
      throw new Error(`refused to read ${shown}: it is outside spec/. ${SPEC_REF_HINT}`);
    }
    return super.loadExternalRef(absoluteRef);
  }
}
