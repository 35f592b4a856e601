/**
 * The messages and clean-up of the folder swap in scripts/build/write.ts, one error path at a
 * time: which leftover folder a hint names, which of several interrupted swaps is the newest,
 * which error codes count as file-system ones, how paths are shown, the new folder's mode.
 * replace-dir.test.ts covers the swap as a whole. Failures are injected through the `fs`
 * option, a wrapper over the real node:fs/promises in a temp folder; no global is patched.
 */
import * as fsp from "node:fs/promises";
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FolderWriteError, replaceDir, type SwapFs } from "../../scripts/build/write.ts";
import { isPipelineError } from "../../scripts/shared/pipeline-error.ts";

/** A system error as Node.js makes them: the code in front of the message. */
const systemError = (code: string, syscall: string) =>
  Object.assign(new Error(`${code}: injected, ${syscall}`), { code, errno: -1, syscall });

/** What a promise rejects with (undefined if it resolves). */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** The hint of every FolderWriteError about spec/fragments, before the leftover sentence. */
const UNCHANGED =
  "spec/fragments/ is unchanged. Close programs that hold files in it open (an editor, a terminal, a virus scanner), " +
  "check its permissions and the free disk space, then run the command again.";

describe("replaceDir, error path by error path", () => {
  let root: string;
  let specDir: string;
  let fragments: string;
  /** The swap's own folders beside spec/fragments: `.fragments-new-*`, `.fragments-old-*`. */
  const swapFolders = async () => (await readdir(specDir)).filter((name) => name.startsWith(".fragments-")).sort();
  /** A `fill` that writes nested content (a plain `rm` without `recursive` cannot remove it), then fails. */
  const fillThenThrow =
    (thrown: unknown) =>
    async (staging: string): Promise<void> => {
      await mkdir(path.join(staging, "parts"));
      await writeFile(path.join(staging, "parts", "shared.yaml"), "neu: 1\n");
      throw thrown;
    };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "devin-write-units-"));
    specDir = path.join(root, "spec");
    fragments = path.join(specDir, "fragments");
    await mkdir(path.join(fragments, "parts"), { recursive: true });
    await writeFile(path.join(fragments, "a.yaml"), "alt: 1\n");
    await writeFile(path.join(fragments, "parts", "shared.yaml"), "Geteilt:\n  type: string\n");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe("the new folder, after a failure", () => {
    it("is removed with its nested content, and the hint names no leftover", async () => {
      const error = await rejectionOf(replaceDir(fragments, fillThenThrow(systemError("ENOSPC", "write")), { root }));
      expect(error).toBeInstanceOf(FolderWriteError);
      expect(error).toMatchObject({
        code: "ENOSPC",
        message: "could not write spec/fragments/: ENOSPC (injected, write)",
        locations: [{ file: "spec/fragments" }],
        hint: UNCHANGED,
      });
      expect(await swapFolders()).toEqual([]);
    });

    it("is named, relative to the root, when it cannot be removed", async () => {
      const fs: Partial<SwapFs> = {
        rm: async (p, options) => {
          if (path.basename(String(p)).startsWith(".fragments-new-")) throw systemError("EBUSY", "rm");
          return fsp.rm(p, options);
        },
      };
      const error = await rejectionOf(
        replaceDir(fragments, fillThenThrow(systemError("ENOSPC", "write")), { root, fs }),
      );
      const [staging] = await swapFolders();
      expect(staging).toMatch(/^\.fragments-new-[0-9a-f]{8}$/);
      expect(await swapFolders()).toEqual([staging]);
      expect(error).toBeInstanceOf(FolderWriteError);
      expect(error).toMatchObject({
        code: "ENOSPC",
        hint: `${UNCHANGED} Delete spec/${staging}/ as well: it could not be removed.`,
      });
    });
  });

  it("when the new folder cannot be made: mkdir's error, and `fill` never runs", async () => {
    let filled = false;
    const fs: Partial<SwapFs> = {
      mkdir: async () => {
        throw systemError("EACCES", "mkdir");
      },
    };
    const fill = async () => {
      filled = true;
    };
    const error = await rejectionOf(replaceDir(fragments, fill, { root, fs }));
    expect(error).toBeInstanceOf(FolderWriteError);
    expect(error).toMatchObject({
      code: "EACCES",
      message: "could not write spec/fragments/: EACCES (injected, mkdir)",
      hint: UNCHANGED,
    });
    expect(filled).toBe(false);
    expect(await swapFolders()).toEqual([]);
  });

  it("when the folder cannot be looked at (EACCES, not ENOENT): that error, even beside an `-old-` folder", async () => {
    // Only a missing folder (ENOENT) counts as an interrupted swap; any other error of `stat` is the write's.
    await mkdir(path.join(specDir, ".fragments-old-0123abcd"));
    let filled = false;
    const fs = {
      stat: (async (p: string) => {
        if (p === fragments) throw systemError("EACCES", "stat");
        return fsp.stat(p);
      }) as SwapFs["stat"],
    };
    const fill = async () => {
      filled = true;
    };
    const error = await rejectionOf(replaceDir(fragments, fill, { root, fs }));
    expect(error).toBeInstanceOf(FolderWriteError);
    expect(error).toMatchObject({
      code: "EACCES",
      message: "could not write spec/fragments/: EACCES (injected, stat)",
      locations: [{ file: "spec/fragments" }],
      hint: UNCHANGED,
    });
    expect(filled).toBe(false);
    expect(await swapFolders()).toEqual([".fragments-old-0123abcd"]);
  });

  it("when a folder that did not exist cannot be moved in: the rename's error, and no rollback is tried", async () => {
    await rm(fragments, { recursive: true });
    const renames: string[] = [];
    const fs: Partial<SwapFs> = {
      rename: async (from) => {
        renames.push(path.basename(String(from)));
        throw systemError("EXDEV", "rename");
      },
    };
    const fill = async (staging: string) => writeFile(path.join(staging, "b.yaml"), "neu: 1\n");
    const error = await rejectionOf(replaceDir(fragments, fill, { root, fs }));
    expect(error).toBeInstanceOf(FolderWriteError);
    expect(error).toMatchObject({ code: "EXDEV", hint: UNCHANGED });
    expect(renames).toEqual([expect.stringMatching(/^\.fragments-new-[0-9a-f]{8}$/)]);
    expect(await readdir(specDir)).toEqual([]);
  });

  describe("a swap cut off between its two renames", () => {
    /** The real `rename`, except that the 2nd (new → folder) throws `cause` and the 3rd (old → folder) EPERM. */
    const cutOff = (cause: unknown): Partial<SwapFs> => {
      let calls = 0;
      return {
        rename: async (from, to) => {
          calls += 1;
          if (calls === 2) throw cause;
          if (calls === 3) throw systemError("EPERM", "rename");
          return fsp.rename(from, to);
        },
      };
    };
    const fillNested = async (staging: string) => {
      await mkdir(path.join(staging, "parts"));
      await writeFile(path.join(staging, "parts", "shared.yaml"), "neu: 1\n");
    };

    it("removes the new folder with its nested content: only the `-old-` one is left", async () => {
      const error = await rejectionOf(
        replaceDir(fragments, fillNested, { root, fs: cutOff(systemError("EXDEV", "rename")) }),
      );
      const [old] = await swapFolders();
      expect(old).toMatch(/^\.fragments-old-[0-9a-f]{8}$/);
      expect(await swapFolders()).toEqual([old]);
      expect(error).toMatchObject({
        message: `spec/fragments/ is missing: the write failed (EXDEV) and the folder could not be put back; spec/${old}/ holds the folder as it was`,
      });
    });

    it("says `error` for a cause without a file-system code", async () => {
      const error = await rejectionOf(
        replaceDir(fragments, fillNested, {
          root,
          fs: cutOff(Object.assign(new Error("kaputt"), { code: "ABORT_ERR" })),
        }),
      );
      const [old] = await swapFolders();
      expect(isPipelineError(error)).toBe(true);
      expect(error).toMatchObject({
        message: `spec/fragments/ is missing: the write failed (error) and the folder could not be put back; spec/${old}/ holds the folder as it was`,
        hint: `Put it back with \`mv spec/${old} spec/fragments\`, then run the command again.`,
      });
    });
  });

  it("after a swap, removes the old folder with its nested content", async () => {
    await replaceDir(fragments, async (staging) => writeFile(path.join(staging, "b.yaml"), "neu: 1\n"), { root });
    expect(await readdir(fragments)).toEqual(["b.yaml"]);
    expect(await swapFolders()).toEqual([]);
  });

  describe("several interrupted swaps", () => {
    // mtime in seconds; `null`: the folder cannot be looked at, so it counts as the oldest.
    const OLD: ReadonlyArray<[suffix: string, mtime: number | null]> = [
      ["3333cccc", 1000],
      ["0000ffff", null],
      ["1111aaaa", 1000],
      ["4444dddd", 2000],
      ["2222bbbb", 3000],
    ];
    /** The order `readdir` lists them in: none of name, time or its reverse. */
    const listed = OLD.map(([suffix]) => `.fragments-old-${suffix}`);
    const fs = {
      readdir: (async (p: string) => {
        const names = await fsp.readdir(p);
        return names.sort((a, b) => listed.indexOf(a) - listed.indexOf(b));
      }) as SwapFs["readdir"],
      stat: (async (p: string) => {
        if (path.basename(p) === ".fragments-old-0000ffff") throw systemError("EACCES", "stat");
        return fsp.stat(p);
      }) as SwapFs["stat"],
    };

    beforeEach(async () => {
      await rm(fragments, { recursive: true });
      for (const [suffix, mtime] of OLD) {
        const folder = path.join(specDir, `.fragments-old-${suffix}`);
        await mkdir(folder);
        if (mtime !== null) await utimes(folder, mtime, mtime);
      }
    });

    it("names the newest by mtime (then by name), lists all newest first and says how many there are", async () => {
      let filled = false;
      const fill = async () => {
        filled = true;
      };
      const error = await rejectionOf(replaceDir(fragments, fill, { root, fs }));
      // Newest first; 1111aaaa and 3333cccc have the same mtime; 0000ffff could not be looked at.
      const expected = ["2222bbbb", "4444dddd", "1111aaaa", "3333cccc", "0000ffff"].map(
        (suffix) => `spec/.fragments-old-${suffix}`,
      );
      expect(isPipelineError(error)).toBe(true);
      expect(error).toMatchObject({
        message:
          "spec/fragments/ is missing: an earlier write was interrupted between its two renames; " +
          "spec/.fragments-old-2222bbbb/ holds the folder as it was",
        locations: expected.map((file) => ({ file })),
        hint:
          "Put it back with `mv spec/.fragments-old-2222bbbb spec/fragments`, then run the command again. " +
          "5 such folders exist; that one is the newest: check its contents, and delete the others once spec/fragments/ is back.",
      });
      expect(filled).toBe(false);
    });

    it("goes on when the parent folder cannot be listed: no leftover is known", async () => {
      const refused = {
        readdir: (async () => {
          throw systemError("EACCES", "scandir");
        }) as SwapFs["readdir"],
      };
      await replaceDir(fragments, async (staging) => writeFile(path.join(staging, "b.yaml"), "neu: 1\n"), {
        root,
        fs: refused,
      });
      expect(await readdir(fragments)).toEqual(["b.yaml"]);
    });
  });

  describe("which errors are file-system errors (wrapped, with their code) and which are passed on", () => {
    it.each(["EPERM", "E2BIG", "ERR_FS_EISDIR", "ERR_FS_CP_FIFO_PIPE"])("%s is wrapped", async (code) => {
      const error = await rejectionOf(replaceDir(fragments, fillThenThrow(systemError(code, "x")), { root }));
      expect(error).toBeInstanceOf(FolderWriteError);
      expect(error).toMatchObject({ code, message: `could not write spec/fragments/: ${code} (injected, x)` });
      expect(await swapFolders()).toEqual([]);
    });

    it.each<[string, unknown]>([
      ["a code that only ends like one (ABORT_ERR)", "ABORT_ERR"],
      ["a code that only starts like one (ERR_INVALID_ARG_TYPE)", "ERR_INVALID_ARG_TYPE"],
      ["a code of another kind (MODULE_NOT_FOUND)", "MODULE_NOT_FOUND"],
      ["a code that is no string, even one that prints as EPERM", { toString: () => "EPERM" }],
    ])("an error with %s is passed on as it is", async (_, code) => {
      const thrown = Object.assign(new Error("not the file system's"), { code });
      const error = await rejectionOf(replaceDir(fragments, fillThenThrow(thrown), { root }));
      expect(error).toBe(thrown);
      expect(await swapFolders()).toEqual([]);
    });
  });

  describe("paths in messages", () => {
    const failing = () => fillThenThrow(systemError("ENOSPC", "write"));

    it("shows the root itself as its absolute path", async () => {
      const error = await rejectionOf(replaceDir(fragments, failing(), { root: fragments }));
      expect(error).toMatchObject({
        message: `could not write ${fragments}/: ENOSPC (injected, write)`,
        locations: [{ file: fragments }],
      });
    });

    it("shows a folder outside the root as its absolute path", async () => {
      const elsewhere = path.join(root, "elsewhere");
      const error = await rejectionOf(replaceDir(fragments, failing(), { root: elsewhere }));
      expect(error).toMatchObject({
        message: `could not write ${fragments}/: ENOSPC (injected, write)`,
        locations: [{ file: fragments }],
      });
    });

    it("shows a folder inside the root whose name starts with two dots relative to the root", async () => {
      const dotted = path.join(root, "..cache", "fragments");
      await mkdir(dotted, { recursive: true });
      const error = await rejectionOf(replaceDir(dotted, failing(), { root }));
      expect(error).toMatchObject({
        message: "could not write ..cache/fragments/: ENOSPC (injected, write)",
        locations: [{ file: "..cache/fragments" }],
      });
    });
  });

  // Modes are POSIX permissions; Windows has none.
  it.skipIf(process.platform === "win32")("gives a folder that did not exist mode 0777 under the umask", async () => {
    await rm(fragments, { recursive: true });
    await replaceDir(fragments, async () => undefined, { root });
    expect((await stat(fragments)).mode & 0o777).toBe(0o777 & ~process.umask());
  });
});
