/**
 * Runs snippets as a reader would run them with `npx tsx`, in one child process
 * (snippet-runner.ts), each with its own environment. `devin-api-client` is the project's
 * src/index.ts: an import of it is pointed there in the copy that runs, on the same line.
 */
import { fork } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Snippet } from "./extract-snippets.ts";
import type { RunnerMessage, SnippetJob } from "./snippet-runner.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const ENTRY = path.join(REPO, "src", "index.ts");
const RUNNER = path.join(import.meta.dirname, "snippet-runner.ts");
const EXTENSIONS = { ts: ".mts", mjs: ".mjs", cjs: ".cjs" } as const;
// `from "devin-api-client"`, `import "devin-api-client"`, `import("devin-api-client")`, `require("devin-api-client")`.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])devin-api-client\2/g;

/**
 * What each snippet threw, by id: `undefined` when it ran to the end. The child process is
 * started before this returns (the files are written synchronously), so the caller can do other
 * work while it boots.
 */
export async function runSnippets(
  snippets: readonly Snippet[],
  envFor: (snippet: Snippet) => Record<string, string>,
): Promise<Map<string, string | undefined>> {
  const dir = mkdtempSync(path.join(tmpdir(), "devin-snippets-"));
  try {
    const jobs: (SnippetJob & { snippet: Snippet })[] = [];
    for (const [n, snippet] of snippets.entries()) {
      const file = path.join(dir, `snippet-${n}${EXTENSIONS[snippet.language]}`);
      writeFileSync(file, pointAtSource(snippet.code));
      jobs.push({ id: snippet.id, file, env: envFor(snippet), snippet });
    }
    const outcome = await runAll(jobs.map(({ id, file, env }) => ({ id, file, env })));
    const results = new Map<string, string | undefined>();
    for (const job of jobs) {
      const error = outcome.errors.has(job.id)
        ? outcome.errors.get(job.id)
        : job.id === outcome.running
          ? `the process ended while it ran (exit code ${outcome.code}):\n${outcome.output}`
          : "not run: the process ended before it";
      results.set(job.id, error === undefined ? undefined : inSnippet(error, job.file, job.snippet));
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The snippet's code, with `devin-api-client` resolved to src/index.ts. */
function pointAtSource(code: string): string {
  return code.replace(SPECIFIER, (_, before: string, quote: string) =>
    before.startsWith("require")
      ? `${before}${quote}${ENTRY}${quote}`
      : `${before}${quote}${pathToFileURL(ENTRY).href}${quote}`,
  );
}

/**
 * A stack as the reader sees the snippet: `<temp file>:3:7` becomes `README.md:<fence + 3>:7`,
 * and the frames of Node's module loader and of the runner are left out.
 */
function inSnippet(text: string, file: string, snippet: Snippet): string {
  const places = [pathToFileURL(file).href, file].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return text
    .replace(
      new RegExp(`(?:${places.join("|")}):(\\d+)`, "g"),
      (_, line: string) => `${snippet.file}:${snippet.line + Number(line)}`,
    )
    .split("\n")
    .filter((line) => !/^\s+at .*(node:internal\/|snippet-runner\.ts)/.test(line))
    .join("\n");
}

interface Outcome {
  errors: Map<string, string | undefined>;
  /** The snippet started last and not finished, if the process ended in it. */
  running: string | undefined;
  code: number | null;
  output: string;
}

function runAll(jobs: SnippetJob[]): Promise<Outcome> {
  const env = { ...process.env };
  delete env.DEVIN_API_KEY;
  delete env.DEVIN_API_BASE_URL;
  const child = fork(RUNNER, [JSON.stringify(jobs)], {
    cwd: REPO,
    env,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const errors = new Map<string, string | undefined>();
  let running: string | undefined;
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.on("message", (message: RunnerMessage) => {
    if ("started" in message) running = message.id;
    else {
      // A second message for a snippet is a late failure: it overrides "ran to the end".
      if (message.error !== undefined || !errors.has(message.id)) errors.set(message.id, message.error);
      if (running === message.id) running = undefined;
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ errors, running, code, output: output.slice(-2000) }));
  });
}
