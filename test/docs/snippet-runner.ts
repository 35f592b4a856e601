/**
 * The child process of run-snippets.ts (`node --import tsx`): runs snippet files one after
 * another, each with its own environment, and tells the parent over IPC how each one ended.
 * One process for all of them: starting tsx once costs more than running every snippet.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export interface SnippetJob {
  id: string;
  /** Absolute path of the snippet's file (.mts, .mjs or .cjs). */
  file: string;
  /** Set for the snippet's run only: DEVIN_API_BASE_URL and DEVIN_API_KEY of its sandbox. */
  env: Record<string, string>;
}

/** What the parent hears: a snippet started, or ended (with what it threw, if it did). */
export type RunnerMessage = { id: string; started: true } | { id: string; error: string | undefined };

/** A snippet that runs this long is reported as hanging, rather than stalling the others. */
const SNIPPET_TIME_LIMIT_MS = 60_000;
/** How long the runner waits after the last snippet for failures that arrive late. */
const LATE_FAILURE_WAIT_MS = 250;

const send = (message: RunnerMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? String(error)) : String(error));

const jobs = JSON.parse(process.argv[2] ?? "[]") as SnippetJob[];
const require = createRequire(import.meta.url);

/**
 * A failure that surfaces after its snippet ended (a promise it did not await) belongs to the
 * snippet whose file its stack names, not to whichever snippet runs by then; failing that, to the
 * one running. Such a failure is sent as a second message for that snippet, which overrides
 * its first ("ran to the end").
 */
let current: SnippetJob | undefined;
const ended = new Set<string>();
const late = new Map<string, string>();
function owner(error: unknown): SnippetJob | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  return jobs.find((j) => stack.includes(pathToFileURL(j.file).href) || stack.includes(j.file)) ?? current;
}
let stray: unknown;
function onStray(reason: unknown): void {
  const job = owner(reason);
  if (job && ended.has(job.id)) {
    late.set(job.id, `failed after it ended (a promise it did not await): ${describe(reason)}`);
    void send({ id: job.id, error: late.get(job.id) });
  } else stray ??= reason;
}
process.on("unhandledRejection", onStray);
process.on("uncaughtException", onStray);

for (const job of jobs) {
  current = job;
  await send({ id: job.id, started: true });
  Object.assign(process.env, job.env);
  stray = undefined;
  let timer: NodeJS.Timeout | undefined;
  let error: string | undefined;
  try {
    const run = job.file.endsWith(".cjs")
      ? Promise.resolve().then(() => require(job.file))
      : import(pathToFileURL(job.file).href);
    const limit = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`did not finish within ${SNIPPET_TIME_LIMIT_MS / 1000} s`)),
        SNIPPET_TIME_LIMIT_MS,
      );
    });
    await Promise.race([run, limit]);
    // One turn for a rejection the snippet left behind to be seen.
    await new Promise((resolve) => setImmediate(resolve));
    if (stray !== undefined) error = `unhandled rejection: ${describe(stray)}`;
  } catch (thrown) {
    error = describe(thrown);
  } finally {
    clearTimeout(timer);
  }
  ended.add(job.id);
  await send({ id: job.id, error });
}
current = undefined;
// Time for the last snippets' unawaited calls to settle (a local sandbox answers in
// milliseconds), so that what they throw is still reported.
await new Promise((resolve) => setTimeout(resolve, LATE_FAILURE_WAIT_MS));
// Whatever a snippet left open (a server, a timer) must not keep the run alive.
process.exit(0);
