/**
 * Throw-away project roots in the layout scripts/shared/project.ts expects (spec/fragments,
 * spec/overlays, redocly.yaml, generated/), so the real pipeline runs on copies and the
 * repository is never touched.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO } from "./paths.ts";

export interface TempRoot {
  root: string;
  fragmentsDir: string;
  overlaysDir: string;
  cleanup(): Promise<void>;
}

export async function tempRoot(prefix: string): Promise<TempRoot> {
  const root = await mkdtemp(path.join(tmpdir(), `bench-${prefix}-`));
  const fragmentsDir = path.join(root, "spec", "fragments");
  const overlaysDir = path.join(root, "spec", "overlays");
  await mkdir(fragmentsDir, { recursive: true });
  await mkdir(overlaysDir, { recursive: true });
  return { root, fragmentsDir, overlaysDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A copy of this repository's spec/, redocly.yaml (with its plugin folder, if any) and generated/. */
export async function copyOfProject(): Promise<TempRoot> {
  const temp = await tempRoot("project");
  for (const entry of ["spec", "redocly.yaml", "generated", "scripts/redocly"]) {
    await cp(path.join(REPO, entry), path.join(temp.root, entry), { recursive: true }).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    });
  }
  return temp;
}

/**
 * The lint configuration for specs that are not the Devin API: this repository's
 * redocly.yaml minus what is Devin-specific. Kept: `extends: recommended`, the two rules
 * it turns off (no-empty-servers, info-license), and the bundle-lint settings of
 * `apis.devin` (example validation runs on the fragments, not again on the bundle). Left out:
 * the devin plugin's rules, which judge Devin's prose and pagination and would fail any other spec.
 */
export const GENERIC_REDOCLY_YAML = `extends:
  - recommended
rules:
  no-empty-servers: off
  info-license: off
apis:
  devin:
    root: generated/devin-api.yaml
    rules:
      no-invalid-media-type-examples: off
      no-invalid-schema-examples: off
      no-invalid-parameter-examples: off
`;

export async function writeGenericConfig(temp: TempRoot): Promise<void> {
  await writeFile(path.join(temp.root, "redocly.yaml"), GENERIC_REDOCLY_YAML);
}
