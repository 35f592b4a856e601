/**
 * scripts/shared/ in process: how every CLI parses its command line, what it prints when it fails
 * and which exit code it leaves (cli.ts), the one string order (sort.ts), the CRLF rule
 * (line-endings.ts) and the shape of a printed PipelineError (pipeline-error.ts).
 *
 * failures.test.ts and error-advice.test.ts run the real CLIs as processes, or check only parts of
 * a message. A mutation run sees only code that runs in the test's own process, so each message
 * is pinned here whole, and each branch of the argument count at its boundaries.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, test, vi } from "vitest";
import { type CommandLine, formatFailure, parseCommandLine, runCli, usageError } from "../../scripts/shared/cli.ts";
import { toLf } from "../../scripts/shared/line-endings.ts";
import { formatPipelineError, PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { projectLayout } from "../../scripts/shared/project.ts";
import { byCodePoint } from "../../scripts/shared/sort.ts";
import { pipelineErrorOf } from "./helpers.ts";

const USAGE = "npm run x -- <page> [--level <n>] [--root <dir>]";
const BUG_HEAD = "error: unexpected failure: this is a bug in scripts/, not a problem in your spec.";
const BUG_TAIL = "  Report it with the command you ran and this output (the stack above says where it failed).";

/** A command taking `min` to `max` positionals and a `--level <n>` flag. */
const command = (min: number, max: number) =>
  ({ usage: USAGE, options: { level: { type: "string" } }, positionals: { min, max } }) as const;

/** What node:util parseArgs itself says about `args`: Node's wording, asked rather than copied. */
function nodeMessage(args: string[]): string {
  try {
    parseArgs({
      args,
      options: { level: { type: "string" }, root: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`test setup: parseArgs accepts ${JSON.stringify(args)}`);
}

/** A folder with spec/ (a project) and one without, both empty otherwise. */
let tmp: string;
let project: string;
let plain: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "devin-shared-cli-"));
  project = path.join(tmp, "project");
  plain = path.join(tmp, "plain");
  await mkdir(path.join(project, "spec"), { recursive: true });
  await mkdir(plain);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

// Undoes the console.error and process.cwd spies. The current folder is stubbed, not changed:
// Stryker runs the tests in worker threads, where process.chdir throws.
afterEach(() => {
  vi.restoreAllMocks();
});

describe("parseCommandLine: how many arguments", () => {
  const accepted: [string, { min: number; max: number }, string[]][] = [
    ["exactly one", { min: 1, max: 1 }, ["a"]],
    ["none of none", { min: 0, max: 0 }, []],
    ["the minimum of a range", { min: 2, max: 3 }, ["a", "b"]],
    ["the maximum of a range", { min: 2, max: 3 }, ["a", "b", "c"]],
    ["the minimum with no maximum", { min: 1, max: Number.POSITIVE_INFINITY }, ["a"]],
    ["many with no maximum", { min: 0, max: Number.POSITIVE_INFINITY }, ["a", "b", "c", "d", "e"]],
    ["none with no minimum and no maximum", { min: 0, max: Number.POSITIVE_INFINITY }, []],
  ];
  test.each(accepted)("accepts %s", (_, { min, max }, positionals) => {
    const cli = parseCommandLine(command(min, max), [...positionals, "--root", project]);
    expect(cli.positionals).toEqual(positionals);
  });

  const rejected: [string, { min: number; max: number }, string[], string][] = [
    ["none of one", { min: 1, max: 1 }, [], "expected 1 argument, got none"],
    ["two of one", { min: 1, max: 1 }, ["a", "b"], 'expected 1 argument, got "a", "b"'],
    ["one of none", { min: 0, max: 0 }, ["a"], 'expected 0 arguments, got "a"'],
    ["none of a range", { min: 2, max: 4 }, [], "expected 2 to 4 arguments, got none"],
    ["none of one or two", { min: 1, max: 2 }, [], "expected 1 or 2 arguments, got none"],
    ["one below a range", { min: 2, max: 3 }, ["a"], 'expected 2 or 3 arguments, got "a"'],
    [
      "one above a range",
      { min: 2, max: 3 },
      ["a", "b", "c", "d"],
      'expected 2 or 3 arguments, got "a", "b", "c", "d"',
    ],
    ["two of at most one", { min: 0, max: 1 }, ["a", "b c"], 'expected 0 or 1 argument, got "a", "b c"'],
    [
      "one below a minimum with no maximum",
      { min: 2, max: Number.POSITIVE_INFINITY },
      ['say "hi"'],
      'expected at least 2 arguments, got "say \\"hi\\""',
    ],
    ["none of at least one", { min: 1, max: Number.POSITIVE_INFINITY }, [], "expected at least 1 argument, got none"],
  ];
  test.each(rejected)("rejects %s, with what it got and the usage", (_, { min, max }, positionals, expected) => {
    const error = pipelineErrorOf(() => parseCommandLine(command(min, max), [...positionals, "--root", project]));
    expect(error.message).toBe(`command line: ${expected}`);
    expect(error.hint).toBe(`Usage: ${USAGE}`);
    expect(error.locations).toEqual([]);
  });
});

describe("parseCommandLine: flags and --root", () => {
  it("returns the flags, the positionals and the project under --root", () => {
    const cli = parseCommandLine(command(1, 1), ["page.md", "--level", "3", "--root", project]);
    expect(cli).toEqual({
      values: { level: "3", root: project },
      positionals: ["page.md"],
      layout: projectLayout(project),
    });
  });

  it("without --root, works on the current folder", () => {
    vi.spyOn(process, "cwd").mockReturnValue(project);
    const cli = parseCommandLine(command(0, 0), []);
    expect(cli).toEqual({ values: {}, positionals: [], layout: projectLayout(project) });
  });

  test.each([
    ["an unknown flag", ["--colour"]],
    ["an unknown short flag", ["-x"]],
    ["--root without a value", ["--root"]],
    ["--level without a value", ["--level"]],
  ])("rejects %s with Node's reason and the usage", (_, args) => {
    const error = pipelineErrorOf(() => parseCommandLine(command(0, 0), args));
    expect(error.message).toBe(`command line: ${nodeMessage(args)}`);
    expect(error.hint).toBe(`Usage: ${USAGE}`);
  });

  it("names the unknown flag", () => {
    const error = pipelineErrorOf(() => parseCommandLine(command(0, 0), ["--colour", "--root", project]));
    expect(error.message).toMatch(/^command line: Unknown option '--colour'\. /);
  });

  test.each([[["--root", ""]], [["--root="]]])("rejects an empty --root: %j", (args) => {
    const error = pipelineErrorOf(() => parseCommandLine(command(0, 0), args));
    expect(error.message).toBe("command line: --root needs a folder");
    expect(error.hint).toBe(`Usage: ${USAGE}`);
  });

  it("rejects a --root without spec/, naming it as given and where it leads", () => {
    const error = pipelineErrorOf(() => parseCommandLine(command(0, 0), ["--root", plain]));
    expect(error.message).toBe(
      `command line: --root ${JSON.stringify(plain)} is not a project folder (${plain} has no spec/); pass the folder of your clone`,
    );
    expect(error.hint).toBe(`Usage: ${USAGE}`);
  });

  it("rejects a --root that does not exist, or whose spec is a file", async () => {
    const missing = path.join(tmp, "missing");
    const specFile = path.join(tmp, "spec-file");
    await mkdir(specFile);
    await writeFile(path.join(specFile, "spec"), "");
    for (const root of [missing, specFile]) {
      expect(pipelineErrorOf(() => parseCommandLine(command(0, 0), ["--root", root])).message).toBe(
        `command line: --root ${JSON.stringify(root)} is not a project folder (${root} has no spec/); pass the folder of your clone`,
      );
    }
  });

  it("without --root, rejects a current folder without spec/ as the current folder", () => {
    vi.spyOn(process, "cwd").mockReturnValue(plain);
    const error = pipelineErrorOf(() => parseCommandLine(command(0, 0), []));
    expect(error.message).toBe(
      `command line: the current folder is not a project folder (${plain} has no spec/); pass the folder of your clone`,
    );
  });

  it("checks the count before --root: a bad count is reported even with a bad --root", () => {
    const error = pipelineErrorOf(() => parseCommandLine(command(1, 1), ["--root", ""]));
    expect(error.message).toBe("command line: expected 1 argument, got none");
  });
});

describe("usageError", () => {
  it("has no location, and the usage as its hint", () => {
    const error = usageError("command line: --out <dir> is required", { usage: USAGE });
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.message).toBe("command line: --out <dir> is required");
    expect(error.locations).toEqual([]);
    expect(error.hint).toBe(`Usage: ${USAGE}`);
    expect(error.details).toBeUndefined();
  });
});

describe("formatFailure", () => {
  it("prints a PipelineError without location as its message, then the usage", () => {
    const printed = formatFailure(usageError("command line: expected 1 argument, got none", { usage: USAGE }));
    expect(printed).toBe(`error: command line: expected 1 argument, got none\n  Usage: ${USAGE}`);
  });

  it("prints a PipelineError with locations as each location, the message and the hint", () => {
    const error = new PipelineError(
      "duplicate operationId",
      [{ file: "spec/a.yaml", line: 3, column: 5 }, { file: "spec/b.yaml" }],
      "rename one",
    );
    expect(formatFailure(error)).toBe("error: spec/a.yaml:3:5\nspec/b.yaml\n  duplicate operationId\n  rename one");
  });

  it("prints a bug (any other Error) with its stack, between the bug notice and what to do", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'paths')");
    expect(bug.stack).toMatch(/^TypeError: Cannot read properties/);
    expect(formatFailure(bug)).toBe(`${BUG_HEAD}\n${bug.stack}\n${BUG_TAIL}`);
  });

  it("prints a bug without a stack as its name and message", () => {
    const bug = new RangeError("too deep");
    delete bug.stack;
    expect(formatFailure(bug)).toBe(`${BUG_HEAD}\nRangeError: too deep\n${BUG_TAIL}`);
  });

  test.each([
    ["a string", "boom", "boom"],
    ["a number", 42, "42"],
    ["undefined", undefined, "undefined"],
    ["an object that calls itself a PipelineError", { name: "PipelineError", message: "m" }, "[object Object]"],
  ])("prints a thrown value that is no Error (%s) as a bug", (_, thrown, detail) => {
    expect(formatFailure(thrown)).toBe(`${BUG_HEAD}\n${detail}\n${BUG_TAIL}`);
  });
});

describe("runCli", () => {
  const argv = process.argv;
  const exitCode = process.exitCode;
  let printed: MockInstance<typeof console.error>;
  beforeEach(() => {
    printed = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    process.argv = argv;
    process.exitCode = exitCode;
  });

  type Main = (cli: CommandLine<ReturnType<typeof command>["options"]>) => Promise<number | undefined>;
  /** Runs `main` as the script x.ts started with `args`, the exit code being `before`; returns the exit code after. */
  async function run(args: string[], main: Main, before?: number): Promise<number | string | undefined> {
    process.argv = [argv[0] ?? "node", "x.ts", ...args];
    process.exitCode = before;
    await runCli(command(1, 1), main);
    return process.exitCode;
  }

  it("gives main the arguments after the script, and prints nothing", async () => {
    const seen: CommandLine<ReturnType<typeof command>["options"]>[] = [];
    await run(["page.md", "--level", "2", "--root", project], async (cli) => {
      seen.push(cli);
      return undefined;
    });
    expect(seen).toEqual([
      { values: { level: "2", root: project }, positionals: ["page.md"], layout: projectLayout(project) },
    ]);
    expect(printed).not.toHaveBeenCalled();
  });

  test.each([
    ["3 sets exit code 3", 3, undefined, 3],
    ["0 sets exit code 0, over one set before", 0, 2, 0],
    ["undefined leaves the exit code unset", undefined, undefined, undefined],
    ["undefined leaves the exit code set before", undefined, 2, 2],
  ])("main returning %s", async (_, code, before, after) => {
    expect(await run(["a", "--root", project], async () => code, before)).toBe(after);
    expect(printed).not.toHaveBeenCalled();
  });

  it("prints a PipelineError thrown by main, and sets exit code 1", async () => {
    const error = new PipelineError("no such page", { file: "pages/a.md" }, "check the path");
    expect(
      await run(["a", "--root", project], async () => {
        throw error;
      }),
    ).toBe(1);
    expect(printed.mock.calls).toEqual([["error: pages/a.md\n  no such page\n  check the path"]]);
  });

  it("prints a bug thrown by main with its stack, and sets exit code 1 over the one set before", async () => {
    const bug = new TypeError("x is undefined");
    expect(
      await run(
        ["a", "--root", project],
        async () => {
          throw bug;
        },
        0,
      ),
    ).toBe(1);
    expect(printed.mock.calls).toEqual([[formatFailure(bug)]]);
    expect(printed.mock.calls[0]?.[0]).toContain(`\n${bug.stack}\n`);
  });

  it("does not run main on a bad command line: prints the usage error, and sets exit code 1", async () => {
    const main = vi.fn(async () => 0);
    expect(await run(["--root", project], main)).toBe(1);
    expect(main).not.toHaveBeenCalled();
    expect(printed.mock.calls).toEqual([[`error: command line: expected 1 argument, got none\n  Usage: ${USAGE}`]]);
  });
});

describe("formatPipelineError", () => {
  it("prints a failure without locations as the bare message, then the hint", () => {
    expect(formatPipelineError(new PipelineError("spec/ is empty", [], "run spec:import"))).toBe(
      "spec/ is empty\n  run spec:import",
    );
    expect(formatPipelineError(new PipelineError("spec/ is empty", [], undefined))).toBe("spec/ is empty");
  });

  it("prints each problem's locations and message, and its hint only when it has one", () => {
    const error = new PipelineError("2 conflicts", [], undefined, [
      { locations: [{ file: "spec/a.yaml", line: 1 }], message: "first" },
      { locations: [{ file: "spec/b.yaml", pointer: "#/paths" }], message: "second", hint: "keep one" },
    ]);
    expect(formatPipelineError(error)).toBe(
      "2 conflicts\nspec/a.yaml:1\n    first\nspec/b.yaml (at #/paths)\n    second\n    keep one",
    );
  });
});

describe("byCodePoint", () => {
  test.each([
    ["a before b", "a", "b", -1],
    ["b after a", "b", "a", 1],
    ["equal strings", "a", "a", 0],
    ["the empty string before any other", "", "a", -1],
    ["a prefix before the longer string", "get", "get-x", -1],
    ["upper case before lower case, unlike a locale order", "Z", "a", -1],
    ["an accented letter after z", "é", "z", 1],
    // UTF-16 code units, as its comment says: a surrogate (0xD83D) sorts before U+FFFD,
    // although by code point U+1F600 would come after it.
    ["an emoji before U+FFFD", "\u{1F600}", "\uFFFD", -1],
  ])("orders %s", (_, a, b, expected) => {
    expect(byCodePoint(a, b)).toBe(expected);
  });

  it("sorts a list in that order", () => {
    expect(["b", "é", "a", "B", "a"].sort(byCodePoint)).toEqual(["B", "a", "a", "b", "é"]);
  });
});

describe("toLf", () => {
  test.each([
    ["CR LF", "a\r\nb\r\n", "a\nb\n"],
    ["LF", "a\nb\n", "a\nb\n"],
    ["a lone CR", "a\rb", "a\rb"],
    ["a CR before CR LF", "a\r\r\nb", "a\r\nb"],
    ["the empty string", "", ""],
  ])("turns %s into what the pipeline reads", (_, text, expected) => {
    expect(toLf(text)).toBe(expected);
  });
});
