import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/** A file's content at a git revision, or undefined when there is no repository or no such file. */
export async function readAtRevision(file: string, revision: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("git", ["show", `${revision}:./${path.basename(file)}`], {
      cwd: path.dirname(file),
      maxBuffer: 256 * 1024 * 1024,
      encoding: "utf8",
    });
    return stdout;
  } catch {
    return undefined;
  }
}

/** Whether `revision` names a commit of the repository at `dir`. */
export async function isRevision(dir: string, revision: string): Promise<boolean> {
  return promisify(execFile)("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], { cwd: dir }).then(
    () => true,
    () => false,
  );
}
