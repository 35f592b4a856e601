import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { toLf } from "../shared/line-endings.ts";

/**
 * Reads what git holds for a file: the gate compares generated/ with it.
 * A file's content at a git revision, or undefined when there is no repository or no such file.
 */
export async function readAtRevision(file: string, revision: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("git", ["show", `${revision}:./${path.basename(file)}`], {
      cwd: path.dirname(file),
      maxBuffer: 256 * 1024 * 1024,
      encoding: "utf8",
    });
    // Line endings as the pipeline writes them, should a commit hold CRLF (see toLf).
    return toLf(stdout);
  } catch {
    return undefined;
  }
}
