/**
 * scripts/shared/untrusted-input.ts one function at a time, in process: the page cap of
 * `readPage` and `checkPageSize` at its exact boundary, why a page cannot be read, each way a
 * `$ref` can leave spec/ (and the look-alikes that stay inside), where the walk over a parsed
 * file looks and where it does not, and the error that names every escaping `$ref`.
 * untrusted-input.test.ts runs generate and spec:import end to end against the same limits.
 */
import { mkdir, mkdtemp, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { parseSourceFile, type SourceFile } from "../../scripts/shared/source-file.ts";
import {
  checkPageSize,
  checkRefsStayInSpec,
  isInside,
  MAX_PAGE_BYTES,
  pageTooLarge,
  readPage,
  refLeavingSpec,
  refsLeavingSpec,
} from "../../scripts/shared/untrusted-input.ts";

const TOO_LARGE = {
  message: "the page is larger than 5 MiB (5242880 bytes), the limit for a docs page",
  hint: "A docs page is tens of kB: check that this is the page as the docs deliver it.",
};
const UNREADABLE_HINT =
  "Pass the path of a docs page saved as Markdown (the page's URL plus `.md`); paths are relative to the folder you run the command in.";
const REF_HINT = "`$ref`s may only point inside spec/: inline the schema, or put the file under spec/fragments/.";
const CLIMBS = "climbs out of spec/ with `..`";

/** The parts of a PipelineError a person sees, as one value to compare whole. */
function shown(error: unknown) {
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  const { name, message, locations, hint, details } = error as PipelineError;
  return { name, message, locations, hint, details };
}

function thrown(run: () => unknown): unknown {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeDefined();
  return error;
}

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.unreachable("expected the promise to reject"),
    (e: unknown) => e,
  );

describe("pageTooLarge", () => {
  it("names the page, the limit in MiB and in bytes, and what to check", () => {
    expect(shown(pageTooLarge("https://docs.example/de/p.md"))).toEqual({
      name: "PipelineError",
      ...TOO_LARGE,
      locations: [{ file: "https://docs.example/de/p.md" }],
      details: undefined,
    });
  });
});

describe("readPage", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-untrusted-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A page of exactly `bytes` UTF-8 bytes that ends in a two-byte character. */
  async function pageOf(bytes: number): Promise<{ file: string; text: string }> {
    const text = `# Seite\n${"x".repeat(bytes - 10)}ü`;
    expect(Buffer.byteLength(text)).toBe(bytes);
    const file = path.join(dir, "page.md");
    await writeFile(file, text);
    return { file, text };
  }

  it("returns a small page as UTF-8 text", async () => {
    const file = path.join(dir, "page.md");
    await writeFile(file, "# Schlüssel\n");
    expect(await readPage(file, "page.md")).toBe("# Schlüssel\n");
  });

  it("returns a page of exactly MAX_PAGE_BYTES, byte for byte", async () => {
    const { file, text } = await pageOf(MAX_PAGE_BYTES);
    expect(await readPage(file, "page.md")).toBe(text);
  });

  // A file a little over the limit rather than /dev/zero: with a broken cap the test must end,
  // not fill the memory of a machine that runs it.
  it("refuses a page one byte over the limit, naming it by its display path", async () => {
    const { file } = await pageOf(MAX_PAGE_BYTES + 1);
    expect(shown(await rejection(readPage(file, "docs/page.md")))).toEqual({
      name: "PipelineError",
      ...TOO_LARGE,
      locations: [{ file: "docs/page.md" }],
      details: undefined,
    });
  });

  it.each([
    ["a missing file", "missing.md", "no such file"],
    ["a folder", ".", "a folder, not a page"],
  ])("refuses %s, saying why and what to pass instead", async (_, name, reason) => {
    expect(shown(await rejection(readPage(path.join(dir, name), "shown.md")))).toEqual({
      name: "PipelineError",
      message: `cannot read the page: ${reason}`,
      locations: [{ file: "shown.md" }],
      hint: UNREADABLE_HINT,
      details: undefined,
    });
  });

  it("passes any other system error on as it is (a bug or an odd file system, not a typo)", async () => {
    await writeFile(path.join(dir, "file.md"), "x\n");
    const target = path.join(dir, "file.md", "below.md");
    const error = await rejection(readPage(target, "below.md"));
    expect(isPipelineError(error)).toBe(false);
    expect(error).toMatchObject({ code: "ENOTDIR", syscall: "open", path: target });
  });

  // /proc and /sys are Linux's: CI runs on ubuntu.
  describe.skipIf(process.platform !== "linux")("on Linux", () => {
    // A write-only sysfs attribute refuses to be read even by root, so this holds in a container
    // that runs as root too (where a file with mode 000 would be readable).
    it("refuses a file it may not read (EACCES), saying so", async () => {
      expect(shown(await rejection(readPage("/sys/bus/cpu/uevent", "uevent")))).toEqual({
        name: "PipelineError",
        message: "cannot read the page: not readable (permission denied)",
        locations: [{ file: "uevent" }],
        hint: UNREADABLE_HINT,
        details: undefined,
      });
    });

    /** What the process's open file descriptors point to, inside the temp folder. */
    const openInDir = async () => {
      const targets = await Promise.all(
        (await readdir("/proc/self/fd")).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")),
      );
      return targets.filter((t) => t.startsWith(dir));
    };

    it("closes the file after a page, after one too large, and after a read that fails", async () => {
      const small = path.join(dir, "small.md");
      await writeFile(small, "# Klein\n");
      await readPage(small, "small.md");
      expect(await openInDir()).toEqual([]);

      const { file } = await pageOf(MAX_PAGE_BYTES + 1);
      await rejection(readPage(file, "page.md"));
      expect(await openInDir()).toEqual([]);

      // A folder opens; reading it fails with EISDIR.
      const folder = path.join(dir, "folder");
      await mkdir(folder);
      await rejection(readPage(folder, "folder"));
      expect(await openInDir()).toEqual([]);
    });
  });
});

describe("checkPageSize counts UTF-8 bytes, not characters", () => {
  // MAX_PAGE_BYTES is 5 MiB: even, a multiple of 4, not of 3.
  it.each([
    ["an empty page", ""],
    ["ASCII, exactly the limit", "x".repeat(MAX_PAGE_BYTES)],
    ["two-byte characters, exactly the limit", "é".repeat(MAX_PAGE_BYTES / 2)],
    ["four-byte characters (surrogate pairs), exactly the limit", "😀".repeat(MAX_PAGE_BYTES / 4)],
    ["three-byte characters, the most that fit", "€".repeat(Math.floor(MAX_PAGE_BYTES / 3))],
  ])("accepts %s", (_, text) => {
    expect(checkPageSize(text, "p.md")).toBeUndefined();
  });

  it.each([
    ["ASCII, one byte over", "x".repeat(MAX_PAGE_BYTES + 1)],
    ["two-byte characters, fewer characters than the limit but two bytes over", "é".repeat(MAX_PAGE_BYTES / 2 + 1)],
    ["four-byte characters, four bytes over", "😀".repeat(MAX_PAGE_BYTES / 4 + 1)],
    ["three-byte characters, one more than fit", "€".repeat(Math.floor(MAX_PAGE_BYTES / 3) + 1)],
  ])("refuses %s, naming the page", (_, text) => {
    expect(shown(thrown(() => checkPageSize(text, "https://docs.example/p.md")))).toEqual({
      name: "PipelineError",
      ...TOO_LARGE,
      locations: [{ file: "https://docs.example/p.md" }],
      details: undefined,
    });
  });
});

// Pure path arithmetic: nothing is read, so spec/ need not exist.
const PROJECT = path.join(tmpdir(), "devin-untrusted-project");
const SPEC = path.join(PROJECT, "spec");
const FRAGMENT = path.join(SPEC, "fragments", "list.yaml");

describe("isInside", () => {
  it.each<[string, string, boolean]>([
    ["spec/ itself", SPEC, true],
    ["a file two folders down", path.join(SPEC, "fragments", "parts", "a.yaml"), true],
    ["a name inside that starts with `..`", path.join(SPEC, "..a.yaml"), true],
    ["the project, one folder up", PROJECT, false],
    ["a file beside spec/", path.join(PROJECT, "outside.yaml"), false],
    ["a sibling whose name starts with spec", path.join(PROJECT, "spec-old", "a.yaml"), false],
    ["another root", path.parse(SPEC).root, false],
  ])("%s: %s", (_, file, inside) => {
    expect(isInside(file, SPEC)).toBe(inside);
  });
});

describe("refLeavingSpec", () => {
  it.each<[string, string]>([
    ["an internal pointer", "#/components/schemas/Key"],
    ["an empty $ref", ""],
    ["a file beside the fragment", "./shared.yaml#/x"],
    ["a file in another folder of spec/", "../overlays/a.yaml"],
    ["`..` that ends at spec/ itself", ".."],
    ["`..` that comes back in", "../../spec/fragments/a.yaml"],
    ["a colon after the first segment (not a scheme)", "./time:stamp.yaml#/x"],
    ["a `%` that is no escape, read literally", "100%.yaml"],
    ["percent-encoded text inside", "sub%2Fa.yaml"],
    ["`#` in a file name that Redocly and a URI parser both read inside", "a#b.yaml#/x"],
  ])("%s stays inside: %s", (_, ref) => {
    expect(refLeavingSpec(ref, FRAGMENT, SPEC)).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ["an https URL", "https://docs.example/a.yaml#/x", "is a URL"],
    ["a file: URL", "file:///etc/passwd", "is a URL"],
    ["a scheme in capitals", "HTTP://docs.example/a.yaml", "is a URL"],
    ["a percent-encoded scheme", "file%3A%2F%2F%2Fetc%2Fpasswd", "is a URL"],
    ["a Windows drive, which reads as a scheme", "C:\\secrets\\a.yaml", "is a URL"],
    ["an absolute path", "/etc/passwd", "is an absolute path"],
    ["an absolute path with backslashes", "\\etc\\passwd", "is an absolute path"],
    ["a percent-encoded absolute path", "%2Fetc%2Fpasswd", "is an absolute path"],
    ["a UNC path", "\\\\server\\share\\a.yaml", "is an absolute path"],
    ["`..` past spec/", "../../outside.yaml#/x", CLIMBS],
    ["`..` with backslashes", "..\\..\\outside.yaml", CLIMBS],
    ["percent-encoded `..`", "%2e%2e/%2e%2e/outside.yaml#/x", CLIMBS],
    ["percent-encoded backslashes", "..%5C..%5Coutside.yaml", CLIMBS],
    // Redocly splits at the first `#/`, so all of `#x/../../../outside.yaml` is its file path.
    ["`..` behind `#x/`", "#x/../../../outside.yaml#/x", CLIMBS],
    // A URI parser splits at the first `#`: `../../a`; Redocly reads the whole, which comes back.
    ["`..` before a `#` that Redocly reads back inside", "../../a#b/../spec/x.yaml", CLIMBS],
    // Redocly's file path `a#b/../../..` leaves; a URI parser's `a` stays.
    ["`..` that only Redocly's reading (up to `#/`) climbs", "a#b/../../..#/x", CLIMBS],
    // Redocly's reading `a#b/../../..#` loses the `#` that ends it, then leaves.
    ["`..` before a doubled `#`", "a#b/../../..##/x", CLIMBS],
  ])("%s leaves: %s", (_, ref, reason) => {
    expect(refLeavingSpec(ref, FRAGMENT, SPEC)).toBe(reason);
  });

  it("resolves from the folder of the file that holds the $ref", () => {
    expect(refLeavingSpec("..", FRAGMENT, SPEC)).toBeUndefined();
    expect(refLeavingSpec("..", path.join(SPEC, "overlay.yaml"), SPEC)).toBe(CLIMBS);
  });

  it("lets an internal pointer pass in a file that is not (yet) in spec/: it reads no file", () => {
    const page = path.join(PROJECT, "..", "page.md");
    expect(refLeavingSpec("#/components/schemas/Key", page, SPEC)).toBeUndefined();
    expect(refLeavingSpec("./shared.yaml", page, SPEC)).toBe(CLIMBS);
  });
});

/** `text` parsed as a file of spec/fragments/ (or wherever `file` says). */
const parsed = (text: string, file = FRAGMENT, display = "spec/fragments/list.yaml"): SourceFile =>
  parseSourceFile(file, display, text);

describe("refsLeavingSpec", () => {
  it("names each escaping $ref at any depth and in lists, by the line and column of its value", () => {
    const file = parsed(
      [
        "openapi: 3.1.0", // 1
        "paths:", // 2
        "  /a:", // 3
        "    get:", // 4
        "      parameters:", // 5
        "        - $ref: '#/components/parameters/P'", // 6
        "        - $ref: '../../outside.yaml#/p'", // 7
        "      responses:", // 8
        "        '200':", // 9
        "          $ref: ./shared.yaml#/ok", // 10
        "components:", // 11
        "  schemas:", // 12
        "    X:", // 13
        "      allOf:", // 14
        "        - type: object", // 15
        "        - description: fern", // 16
        "          $ref: https://docs.example/x.yaml", // 17
        "",
      ].join("\n"),
    );
    expect(refsLeavingSpec(file, SPEC)).toEqual([
      {
        ref: "../../outside.yaml#/p",
        reason: CLIMBS,
        location: { file: "spec/fragments/list.yaml", line: 7, column: 17, pointer: "#/paths/~1a/get/parameters/1" },
      },
      {
        ref: "https://docs.example/x.yaml",
        reason: "is a URL",
        location: { file: "spec/fragments/list.yaml", line: 17, column: 17, pointer: "#/components/schemas/X/allOf/1" },
      },
    ]);
  });

  it("finds nothing in a file whose $refs all stay inside, nor in a $ref that is not a string", () => {
    const file = parsed("a:\n  $ref: './b.yaml'\nb:\n  - $ref: '#/a'\nc:\n  $ref: 42\n");
    expect(refsLeavingSpec(file, SPEC)).toEqual([]);
  });

  it("checks a $ref inside a map under `$ref` (a property named $ref), which Redocly follows", () => {
    const file = parsed(`schema:\n  properties:\n    $ref:\n      ${"$"}ref: '../../outside.yaml'\n`);
    expect(refsLeavingSpec(file, SPEC)).toEqual([
      {
        ref: "../../outside.yaml",
        reason: CLIMBS,
        location: { file: "spec/fragments/list.yaml", line: 4, column: 13, pointer: "#/schema/properties/$ref" },
      },
    ]);
  });

  it("resolves from where the file will be stored (`storedAt`), by default from where it is", () => {
    // A docs page outside the project becomes spec/fragments/list.yaml.
    const page = parsed("x:\n  $ref: './shared.yaml'\n", path.join(PROJECT, "..", "page.md"), "page.md");
    expect(refsLeavingSpec(page, SPEC, FRAGMENT)).toEqual([]);
    expect(refsLeavingSpec(page, SPEC)).toEqual([
      { ref: "./shared.yaml", reason: CLIMBS, location: { file: "page.md", line: 2, column: 9, pointer: "#/x" } },
    ]);
  });

  // Redocly's resolver does not follow a $ref inside data keywords (nor a JSON Schema `examples`
  // list); it does follow one under `example`, in the `examples` map of a media type, and in a
  // map of names, where `default` or `enum` is a name.
  const ESCAPE = "$ref: '../../outside.yaml'";
  it.each<[string, string]>([
    ["`default`", `schema:\n  default:\n    ${ESCAPE}\n`],
    ["`const`", `schema:\n  const:\n    ${ESCAPE}\n`],
    ["`enum`", `schema:\n  enum:\n    - ${ESCAPE}\n`],
    ["a schema's `examples` list", `schema:\n  examples:\n    - ${ESCAPE}\n`],
  ])("skips the data under %s", (_, text) => {
    expect(refsLeavingSpec(parsed(text), SPEC)).toEqual([]);
  });

  it.each<[string, string, string, number, number]>([
    ["`example`", `schema:\n  example:\n    ${ESCAPE}\n`, "#/schema/example", 3, 11],
    ["a media type's `examples` map", `media:\n  examples:\n    a:\n      ${ESCAPE}\n`, "#/media/examples/a", 4, 13],
    [
      "a property named `default`",
      `schema:\n  properties:\n    default:\n      ${ESCAPE}\n`,
      "#/schema/properties/default",
      4,
      13,
    ],
    [
      "a property named `enum`",
      `schema:\n  properties:\n    enum:\n      ${ESCAPE}\n`,
      "#/schema/properties/enum",
      4,
      13,
    ],
    [
      "a schema named `const`",
      `components:\n  schemas:\n    const:\n      ${ESCAPE}\n`,
      "#/components/schemas/const",
      4,
      13,
    ],
    [
      "an example named `default`",
      `media:\n  examples:\n    default:\n      ${ESCAPE}\n`,
      "#/media/examples/default",
      4,
      13,
    ],
  ])("checks the $ref under %s", (_, text, pointer, line, column) => {
    expect(refsLeavingSpec(parsed(text), SPEC)).toEqual([
      {
        ref: "../../outside.yaml",
        reason: CLIMBS,
        location: { file: "spec/fragments/list.yaml", line, column, pointer },
      },
    ]);
  });
});

describe("checkRefsStayInSpec", () => {
  const inside = parsed("a:\n  $ref: './shared.yaml#/a'\n");

  it("passes files whose $refs stay inside, resolving from each file's own path by default", () => {
    expect(checkRefsStayInSpec([inside], SPEC)).toBeUndefined();
  });

  it("throws one error for one $ref: singular, with its location, the hint, and the ref with its reason", () => {
    const file = parsed("a:\n  $ref: '../../x.yaml'\n");
    const location = { file: "spec/fragments/list.yaml", line: 2, column: 9, pointer: "#/a" };
    expect(shown(thrown(() => checkRefsStayInSpec([inside, file], SPEC)))).toEqual({
      name: "PipelineError",
      message: "1 `$ref` points outside spec/",
      locations: [location],
      hint: REF_HINT,
      details: [{ locations: [location], message: `\`$ref: ../../x.yaml\` ${CLIMBS}` }],
    });
  });

  it("names every $ref of every file, in order, in the plural", () => {
    const first = parsed("a:\n  $ref: /etc/passwd\nb:\n  $ref: 'http://x.example/y'\n");
    const second = parsed(
      "c:\n  d:\n    $ref: ../../z.yaml\n",
      path.join(SPEC, "overlays", "o.yaml"),
      "spec/overlays/o.yaml",
    );
    const locations = [
      { file: "spec/fragments/list.yaml", line: 2, column: 9, pointer: "#/a" },
      { file: "spec/fragments/list.yaml", line: 4, column: 9, pointer: "#/b" },
      { file: "spec/overlays/o.yaml", line: 3, column: 11, pointer: "#/c/d" },
    ];
    expect(shown(thrown(() => checkRefsStayInSpec([first, second], SPEC)))).toEqual({
      name: "PipelineError",
      message: "3 `$ref`s point outside spec/",
      locations,
      hint: REF_HINT,
      details: [
        { locations: [locations[0]], message: "`$ref: /etc/passwd` is an absolute path" },
        { locations: [locations[1]], message: "`$ref: http://x.example/y` is a URL" },
        { locations: [locations[2]], message: `\`$ref: ../../z.yaml\` ${CLIMBS}` },
      ],
    });
  });

  it("resolves each file from where `storedAt` says it will be stored", () => {
    const page = parsed("a:\n  $ref: './shared.yaml'\n", path.join(PROJECT, "..", "page.md"), "page.md");
    expect(checkRefsStayInSpec([page], SPEC, () => FRAGMENT)).toBeUndefined();
    expect(shown(thrown(() => checkRefsStayInSpec([page], SPEC))).message).toBe("1 `$ref` points outside spec/");
  });
});
