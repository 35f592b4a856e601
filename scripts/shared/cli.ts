import { statSync } from "node:fs";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { formatPipelineError, isPipelineError, PipelineError } from "./pipeline-error.ts";
import { displayPath, type ProjectLayout, projectLayout } from "./project.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;
/** Every command takes `--root <dir>`: the project to work on (default: the current folder). */
const ROOT_OPTION = { root: { type: "string" } } as const;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O & typeof ROOT_OPTION; allowPositionals: true; strict: true }>
>;

export interface CommandLine<O extends Options> {
  values: Parsed<O>["values"];
  positionals: string[];
  /** The project under `--root`. */
  layout: ProjectLayout;
}

export interface Command<O extends Options> {
  /** One line, e.g. `npm run spec:diff -- <git-ref> [--fail-on major|minor|patch] [--root <dir>]`. */
  usage: string;
  options: O;
  /** How many positional arguments the command takes. */
  positionals: { min: number; max: number };
}

/**
 * The one way every script under scripts/ starts: parse the command line with `node:util`
 * parseArgs (unknown flags are errors), run `main`, and exit 1 on failure. A PipelineError is a
 * problem in the project the person can fix, printed as file:line, message and what to do. Any
 * other error is a bug in scripts/, printed with its stack so that it can be fixed.
 */
export async function runCli<const O extends Options>(
  command: Command<O>,
  main: (cli: CommandLine<O>) => Promise<number | undefined>,
): Promise<void> {
  try {
    const code = await main(parseCommandLine(command, process.argv.slice(2)));
    if (typeof code === "number") process.exitCode = code;
  } catch (error) {
    console.error(formatFailure(error));
    process.exitCode = 1;
  }
}

export function parseCommandLine<const O extends Options>(command: Command<O>, args: string[]): CommandLine<O> {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, ...ROOT_OPTION },
      allowPositionals: true,
      strict: true,
    }) as Parsed<O>;
  } catch (error) {
    throw usageError(`command line: ${(error as Error).message}`, command);
  }
  const { positionals } = parsed;
  const { min, max } = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    const got = positionals.length === 0 ? "none" : positionals.map((p) => JSON.stringify(p)).join(", ");
    throw usageError(`command line: expected ${expectedCount(min, max)}, got ${got}`, command);
  }
  // parseArgs types `values` per option; for the generic O it cannot see that `root` is a string.
  const { root } = parsed.values as { root?: string };
  if (root === "") throw usageError("command line: --root needs a folder", command);
  const layout = projectLayout(root ?? process.cwd());
  // A mistyped --root must not make a command write a new spec/ somewhere else, or blame
  // redocly.yaml for a folder that is not there.
  if (!statSync(path.dirname(layout.fragmentsDir), { throwIfNoEntry: false })?.isDirectory()) {
    const where = root === undefined ? "the current folder" : `--root ${JSON.stringify(root)}`;
    throw usageError(
      `command line: ${where} is not a project folder (${displayPath(layout, layout.root)} has no spec/); pass the folder of your clone`,
      command,
    );
  }
  return { values: parsed.values, positionals, layout };
}

/** "1 argument", "at least 2 arguments", "0 or 1 argument", "2 to 4 arguments". */
function expectedCount(min: number, max: number): string {
  const noun = (n: number) => (n === 1 ? "argument" : "arguments");
  if (min === max) return `${min} ${noun(min)}`;
  if (max === Number.POSITIVE_INFINITY) return `at least ${min} ${noun(min)}`;
  return `${min} ${max === min + 1 ? "or" : "to"} ${max} ${noun(max)}`;
}

export function usageError(message: string, command: { usage: string }): PipelineError {
  return new PipelineError(message, [], `Usage: ${command.usage}`);
}

/** What a failed command prints on stderr. */
export function formatFailure(error: unknown): string {
  if (isPipelineError(error)) return `error: ${formatPipelineError(error)}`;
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return (
    "error: unexpected failure: this is a bug in scripts/, not a problem in your spec.\n" +
    `${detail}\n` +
    "  Report it with the command you ran and this output (the stack above says where it failed)."
  );
}
