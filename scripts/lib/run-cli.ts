import { formatPipelineError, isPipelineError } from "./pipeline-error.ts";

/** Runs a script's main function; a failure prints one readable error and exits 1. */
export async function runCli(main: (args: string[]) => Promise<number | undefined>): Promise<void> {
  try {
    const code = await main(process.argv.slice(2));
    if (typeof code === "number") process.exitCode = code;
  } catch (error) {
    console.error(
      isPipelineError(error) ? `error: ${formatPipelineError(error)}` : `error: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  }
}
