/**
 * The folder swap of scripts/build/write.ts (`replaceDir`), which writes generated/ and, for
 * `spec:pull`, spec/fragments/. Failures are injected through its `fs` option (a rename refused
 * as on Windows when a program holds a file open, a full disk), or made by the OS itself (a file
 * where a folder is expected); no global is patched.
 */
import * as fsp from "node:fs/promises";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replaceDir, replaceGeneratedDir, type SwapFs } from "../../scripts/build/write.ts";
import { formatPipelineError, PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { pipelineRejectionOf, snapshotDir } from "./helpers.ts";

/** A system error as Node.js makes them: the code in front of the message, and the call. */
const systemError = (code: string, syscall: string) =>
  Object.assign(new Error(`${code}: injected, ${syscall} 'a' -> 'b'`), { code, errno: -1, syscall });

/** The real `rename`, except that the calls numbered in `failing` (1-based) throw `code`. */
function failingRename(code: string, failing: readonly number[]): Pick<SwapFs, "rename"> {
  let calls = 0;
  return {
    rename: async (from, to) => {
      calls += 1;
      if (failing.includes(calls)) throw systemError(code, "rename");
      return fsp.rename(from, to);
    },
  };
}

describe("replaceDir", () => {
  let root: string;
  let specDir: string;
  let fragments: string;
  /** The swap's own folders beside spec/fragments: `.fragments-new-*`, `.fragments-old-*`. */
  const swapFolders = async () => (await readdir(specDir)).filter((name) => name.startsWith(".fragments-")).sort();
  const writeNew = async (staging: string) => {
    await writeFile(path.join(staging, "a.yaml"), "neu: 1\n");
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "devin-replace-dir-"));
    specDir = path.join(root, "spec");
    fragments = path.join(specDir, "fragments");
    await mkdir(path.join(fragments, "parts"), { recursive: true });
    await writeFile(path.join(fragments, "a.yaml"), "alt: 1\n");
    await writeFile(path.join(fragments, "parts", "shared.yaml"), "Geteilt:\n  type: string\n");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it.each<[string, Partial<SwapFs>, string]>([
    ["the old folder cannot be moved aside (EPERM, a file held open on Windows)", failingRename("EPERM", [1]), "EPERM"],
    ["the new folder cannot be moved in (EXDEV), and the old one is put back", failingRename("EXDEV", [2]), "EXDEV"],
    [
      "the new folder cannot take the old one's mode (EACCES)",
      {
        chmod: async () => {
          throw systemError("EACCES", "chmod");
        },
      },
      "EACCES",
    ],
  ])(
    "when %s: the folder is unchanged, no swap folder is left, the error names the folder and the code",
    async (_, fs, code) => {
      const before = await snapshotDir(fragments);
      const error = await pipelineRejectionOf(replaceDir(fragments, writeNew, { root, fs }));
      expect(error).toHaveProperty("code", code);
      expect(error.locations).toEqual([{ file: "spec/fragments" }]);
      expect(formatPipelineError(error)).toMatch(
        new RegExp(`^spec/fragments\\n {2}could not write spec/fragments/: ${code} \\(injected, `),
      );
      expect(error.hint).toMatch(/^spec\/fragments\/ is unchanged\. Close programs that hold files in it open/);
      expect(error.hint).toContain("run the command again");
      expect(await snapshotDir(fragments)).toEqual(before);
      expect(await swapFolders()).toEqual([]);
    },
  );

  it("when a file cannot be written (ENOSPC): generated/ is unchanged and no swap folder is left", async () => {
    const generated = path.join(root, "generated");
    await mkdir(generated);
    await writeFile(path.join(generated, "schema.ts"), "export type paths = {};\n");
    const before = await snapshotDir(generated);
    const fs: Partial<SwapFs> = {
      writeFile: async () => {
        throw systemError("ENOSPC", "write");
      },
    };
    const error = await pipelineRejectionOf(
      replaceGeneratedDir(generated, new Map([["schema.ts", "neu\n"]]), { root, fs }),
    );
    expect(error).toMatchObject({ code: "ENOSPC", locations: [{ file: "generated" }] });
    expect(error.message).toMatch(/^could not write generated\/: ENOSPC/);
    expect(await snapshotDir(generated)).toEqual(before);
    expect((await readdir(root)).sort()).toEqual(["generated", "spec"]);
  });

  it("when the OS refuses (a file where the parent folder should be): a PipelineError with the OS's code", async () => {
    await writeFile(path.join(root, "not-a-folder"), "x\n");
    const error = await pipelineRejectionOf(
      replaceDir(path.join(root, "not-a-folder", "generated"), writeNew, { root }),
    );
    expect(error).toMatchObject({ code: "ENOTDIR", locations: [{ file: "not-a-folder/generated" }] });
    expect(error.hint).toContain("not-a-folder/generated/ is unchanged");
  });

  it.each([
    ["a PipelineError (a problem in the project)", new PipelineError("kaputt", { file: "spec/x.yaml" }, "Fix it.")],
    ["any other error (a bug in scripts/)", new TypeError("x is not a function")],
  ])("passes %s from `fill` on as it is, and removes the new folder", async (_, thrown) => {
    const before = await snapshotDir(fragments);
    await expect(
      replaceDir(fragments, async (staging) => {
        await writeNew(staging);
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    expect(await snapshotDir(fragments)).toEqual(before);
    expect(await swapFolders()).toEqual([]);
  });

  describe("a swap cut off between its two renames", () => {
    /** The second rename fails, and so does putting the old folder back: spec/fragments is gone. */
    const interrupt = () =>
      pipelineRejectionOf(replaceDir(fragments, writeNew, { root, fs: failingRename("EPERM", [2, 3]) }));

    it("says where the folder is and the exact command that puts it back; the new folder is removed", async () => {
      const before = await snapshotDir(fragments);
      const error = await interrupt();
      const [old] = await swapFolders();
      expect(old).toMatch(/^\.fragments-old-[0-9a-f]{8}$/);
      expect(await swapFolders()).toEqual([old]);
      expect(error.message).toBe(
        `spec/fragments/ is missing: the write failed (EPERM) and the folder could not be put back; spec/${old}/ holds the folder as it was`,
      );
      expect(error.hint).toBe(`Put it back with \`mv spec/${old} spec/fragments\`, then run the command again.`);
      // The command, run from the root, restores the folder byte for byte.
      const [, from, to] = /`mv (\S+) (\S+)`/.exec(error.hint ?? "") as unknown as [string, string, string];
      await fsp.rename(path.join(root, from), path.join(root, to));
      expect(await snapshotDir(fragments)).toEqual(before);
    });

    it("stops the next write before it changes anything, naming the leftover and the command", async () => {
      await interrupt();
      const [old] = await swapFolders();
      let filled = false;
      const error = await pipelineRejectionOf(
        replaceDir(
          fragments,
          async () => {
            filled = true;
          },
          { root },
        ),
      );
      expect(filled).toBe(false);
      expect(error.locations).toEqual([{ file: `spec/${old}` }]);
      expect(formatPipelineError(error)).toBe(
        [
          `spec/${old}`,
          `  spec/fragments/ is missing: an earlier write was interrupted between its two renames; spec/${old}/ holds the folder as it was`,
          `  Put it back with \`mv spec/${old} spec/fragments\`, then run the command again.`,
        ].join("\n"),
      );
      expect(await swapFolders()).toEqual([old]);
    });
  });

  it("leaves another run's `-new-` folder and a stale `-old-` folder beside an existing one alone", async () => {
    // A `-new-` folder may be what a second run (two `generate`s at once) is filling right now.
    await mkdir(path.join(specDir, ".fragments-new-0123abcd"));
    await mkdir(path.join(specDir, ".fragments-old-4567abcd"));
    await replaceDir(fragments, writeNew, { root });
    expect(await readdir(fragments)).toEqual(["a.yaml"]);
    expect(await swapFolders()).toEqual([".fragments-new-0123abcd", ".fragments-old-4567abcd"]);
  });

  // Modes are POSIX permissions; Windows has none to keep.
  describe.skipIf(process.platform === "win32")("the folder's mode", () => {
    it.each([0o755, 0o750, 0o775])("keeps the old folder's mode %o (mkdtemp would give 0700)", async (mode) => {
      await fsp.chmod(fragments, mode);
      await replaceDir(fragments, writeNew, { root });
      expect((await stat(fragments)).mode & 0o7777).toBe(mode);
    });

    it("gives a folder that did not exist the mode mkdir gives under the umask", async () => {
      await mkdir(path.join(root, "probe"));
      const generated = path.join(root, "generated");
      await replaceGeneratedDir(generated, new Map([["a.ts", "export {};\n"]]), { root });
      expect((await stat(generated)).mode & 0o7777).toBe((await stat(path.join(root, "probe"))).mode & 0o7777);
    });
  });
});
