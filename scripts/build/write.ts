import { randomBytes } from "node:crypto";
import * as realFs from "node:fs/promises";
import path from "node:path";
import { type ErrorLocation, isPipelineError, PipelineError } from "../shared/pipeline-error.ts";
import { isInside } from "../shared/untrusted-input.ts";

/** The file-system calls of the swap; a test passes one that fails, as Windows refuses a rename. */
export type SwapFs = Pick<typeof realFs, "chmod" | "mkdir" | "readdir" | "rename" | "rm" | "stat" | "writeFile">;

export interface ReplaceDirOptions {
  /**
   * The folder that messages show paths relative to, as `displayPath` does for the project root.
   * @default process.cwd()
   */
  root?: string;
  /** Replaces some of the file-system calls (tests make one fail). @default node:fs/promises */
  fs?: Partial<SwapFs>;
}

/** A failed write, with the error code of the file-system call that failed (`EPERM`, `EXDEV`, …). */
export class FolderWriteError extends PipelineError {
  readonly code: string;
  constructor(message: string, locations: readonly ErrorLocation[], hint: string, code: string, cause: unknown) {
    super(message, locations, hint);
    this.code = code;
    this.cause = cause;
  }
}

/**
 * Stage 12: replaces `dir` with exactly `files`: written into a sibling temp folder first, then
 * swapped in with renames, so a failure while writing leaves the old folder as it was.
 */
export async function replaceGeneratedDir(
  dir: string,
  files: ReadonlyMap<string, string>,
  options: ReplaceDirOptions = {},
): Promise<void> {
  const fs = { ...realFs, ...options.fs };
  await replaceDir(
    dir,
    async (staging) => {
      for (const [name, text] of files) await fs.writeFile(path.join(staging, name), text);
    },
    options,
  );
}

/**
 * Replaces `dir` with what `fill` puts into an empty sibling folder `.<name>-new-<random>`, then
 * swaps it in with two renames (`dir` → `.<name>-old-<random>`, the new one → `dir`) and removes
 * the old one. Used for generated/ (stage 12) and by `spec:pull` for spec/fragments/.
 *
 * On any failure `dir` is as it was and the new folder is removed; a file-system error (a rename
 * refused because a program holds a file open, as on Windows, a full disk, …) becomes a
 * PipelineError naming the folder and the error code. The new folder gets the old one's mode
 * (else what `mkdir` gives under the umask, 0755 for the usual 022), not mkdtemp's 0700.
 *
 * Leftovers of a run that was killed: a `.<name>-old-*` while `dir` is missing holds the folder as
 * it was, and the next run stops and says how to put it back (`refuseInterruptedSwap`). A
 * `.<name>-new-*` is never removed here: it may be the folder a second run is filling right now
 * (two `generate`s at once), it only holds a copy, and `dir` does not depend on it.
 */
export async function replaceDir(
  dir: string,
  fill: (staging: string) => Promise<void>,
  options: ReplaceDirOptions = {},
): Promise<void> {
  const fs = { ...realFs, ...options.fs };
  const show = shower(options.root);
  await refuseInterruptedSwap(dir, options);
  const parent = path.dirname(dir);
  // Both names from one suffix, so the old folder's name never depends on the base name's text.
  const suffix = randomBytes(4).toString("hex");
  const staging = path.join(parent, `.${path.basename(dir)}-new-${suffix}`);
  const retired = path.join(parent, `.${path.basename(dir)}-old-${suffix}`);
  const fail = (error: unknown, leftover?: string) => failure(error, show(dir), leftover && show(leftover));
  /** Removes the new folder; the error to throw, saying so when the folder could not be removed. */
  const discard = async (error: unknown) => {
    const removed = await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 }).then(
      () => true,
      () => false,
    );
    return fail(error, removed ? undefined : staging);
  };

  const before = await fs.stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw fail(error);
  });
  try {
    // Mode 0777 under the umask, as any new folder; recursive: false, a missing parent is an error.
    await fs.mkdir(staging, { mode: 0o777 });
  } catch (error) {
    throw fail(error);
  }
  try {
    await fill(staging);
    // After filling: a read-only old folder's mode would refuse the files.
    if (before) await fs.chmod(staging, before.mode & 0o7777);
  } catch (error) {
    throw await discard(error);
  }
  if (before) {
    try {
      await fs.rename(dir, retired);
    } catch (error) {
      throw await discard(error);
    }
  }
  try {
    await fs.rename(staging, dir);
  } catch (error) {
    if (before) {
      try {
        await fs.rename(retired, dir);
      } catch {
        await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
        throw interrupted(dir, [retired], show, error);
      }
    }
    throw await discard(error);
  }
  // The swap is done: an old copy that cannot be removed does not make it fail (the next run
  // ignores a `-old-` folder while `dir` exists; it can be deleted by hand).
  if (before) await fs.rm(retired, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}

/**
 * Fails when an earlier swap of `dir` stopped between its two renames (killed, the machine went
 * down, the rollback refused): `dir` is missing and a sibling `.<name>-old-*` holds its files.
 * Going on would treat the folder as empty (a pull would list every fragment as added and lose
 * the parts fragments `$ref`), so the error names the folder and the command that restores it.
 */
export async function refuseInterruptedSwap(
  dir: string,
  options: Pick<ReplaceDirOptions, "root" | "fs"> = {},
): Promise<void> {
  const fs = { ...realFs, ...options.fs };
  const missing = await fs.stat(dir).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === "ENOENT",
  );
  if (!missing) return;
  const parent = path.dirname(dir);
  const prefix = `.${path.basename(dir)}-old-`;
  const names = (await fs.readdir(parent).catch(() => [] as string[])).filter((name) => name.startsWith(prefix));
  if (names.length === 0) return;
  const found = await Promise.all(
    names.map(async (name) => {
      const folder = path.join(parent, name);
      const time = await fs.stat(folder).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      return { folder, time };
    }),
  );
  // Newest first: the copy the last interrupted run put aside.
  found.sort((a, b) => b.time - a.time || a.folder.localeCompare(b.folder));
  throw interrupted(
    dir,
    found.map((f) => f.folder),
    shower(options.root),
    undefined,
  );
}

function interrupted(dir: string, old: readonly string[], show: (p: string) => string, cause: unknown): PipelineError {
  const [newest] = old as [string, ...string[]];
  const why =
    cause === undefined
      ? "an earlier write was interrupted between its two renames"
      : `the write failed (${codeOf(cause) ?? "error"}) and the folder could not be put back`;
  const others =
    old.length > 1
      ? ` ${old.length} such folders exist; that one is the newest: check its contents, and delete the others once ${show(dir)}/ is back.`
      : "";
  return new PipelineError(
    `${show(dir)}/ is missing: ${why}; ${show(newest)}/ holds the folder as it was`,
    old.map((folder) => ({ file: show(folder) })),
    `Put it back with \`mv ${show(newest)} ${show(dir)}\`, then run the command again.${others}`,
  );
}

/** A file-system error as a PipelineError about `folder`; anything else (a bug, a PipelineError) as it is. */
function failure(error: unknown, folder: string, leftover: string | undefined): unknown {
  const code = codeOf(error);
  if (isPipelineError(error) || code === undefined) return error;
  // Node's message starts with the code: "EPERM: operation not permitted, rename 'a' -> 'b'".
  const detail = (error as Error).message.replace(new RegExp(`^${code}: `), "");
  return new FolderWriteError(
    `could not write ${folder}/: ${code} (${detail})`,
    [{ file: folder }],
    `${folder}/ is unchanged. Close programs that hold files in it open (an editor, a terminal, a virus scanner), ` +
      `check its permissions and the free disk space, then run the command again.` +
      (leftover === undefined ? "" : ` Delete ${leftover}/ as well: it could not be removed.`),
    code,
    error,
  );
}

/**
 * The code of a file-system error, if it is one: a system error (`ENOENT`, `EPERM`) or one of
 * `fs.cp`'s own (`ERR_FS_CP_FIFO_PIPE` for a named pipe in the folder it copies).
 */
function codeOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && /^(E[A-Z0-9]+|ERR_FS_[A-Z0-9_]+)$/.test(code) ? code : undefined;
}

/** Paths as messages show them: relative to `root` with forward slashes, or absolute outside it. */
function shower(root = process.cwd()): (p: string) => string {
  return (p) => {
    const relative = path.relative(root, p);
    if (relative === "" || !isInside(p, root)) return p;
    return relative.split(path.sep).join("/");
  };
}
