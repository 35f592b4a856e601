import { BUNDLE_FILE } from "../shared/project.ts";

/**
 * Not a stage: which fragment each path item, operation and component of the joined document
 * came from. The join records it; the stages after it (overlays, bundle, lint) use it to say
 * where a problem in the in-memory bundle can be fixed.
 */
export class Provenance {
  readonly #files = new Map<string, string>();

  /** Records the first file that declares the node at `pointer`; later ones do not replace it. */
  record(pointer: string, file: string): void {
    if (!this.#files.has(pointer)) this.#files.set(pointer, file);
  }

  /** The fragment the node at `pointer` of the bundle came from: the longest recorded prefix. */
  fileOf(pointer: string): string | undefined {
    for (let p = pointer; p.length > 1; p = p.slice(0, Math.max(1, p.lastIndexOf("/")))) {
      const file = this.#files.get(p);
      if (file) return file;
    }
    return undefined;
  }

  /** How a message names a node of the bundle: `devin-api.yaml (bundle; from spec/fragments/x.yaml)`. */
  describe(pointer: string): string {
    const file = this.fileOf(pointer);
    return file ? `${BUNDLE_FILE} (bundle; from ${file})` : `${BUNDLE_FILE} (bundle)`;
  }
}
