import { mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Stage 12: replaces `dir` with exactly `files`: written into a sibling temp folder first, then
 * swapped in with renames, so a failure while writing leaves the old folder as it was.
 */
export async function replaceGeneratedDir(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  await replaceDir(dir, async (staging) => {
    for (const [name, text] of files) await writeFile(path.join(staging, name), text);
  });
}

/**
 * Replaces `dir` with what `fill` puts into an empty sibling temp folder, swapped in with
 * renames: a failure while filling removes the temp folder and leaves `dir` as it was. Used for
 * generated/ (stage 12) and by `spec:pull` for spec/fragments/.
 */
export async function replaceDir(dir: string, fill: (staging: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(dir);
  const staging = await mkdtemp(path.join(parent, `.${path.basename(dir)}-new-`));
  try {
    await fill(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  // From the base name only: a "-new-" in a parent folder's name must not be what is replaced.
  const retired = path.join(parent, path.basename(staging).replace("-new-", "-old-"));
  const existed = await stat(dir).then(
    () => true,
    () => false,
  );
  if (existed) await rename(dir, retired);
  try {
    await rename(staging, dir);
  } catch (error) {
    if (existed) await rename(retired, dir);
    throw error;
  }
  if (existed) await rm(retired, { recursive: true, force: true });
}
