/**
 * Runs one child process and measures its wall time (process.hrtime) and, when GNU time is
 * installed, its peak resident memory. No shell: arguments go to the program as given.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = existsSync(GNU_TIME);

export interface Command {
  /** Shown in errors. */
  label: string;
  argv: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Measured {
  ms: number;
  /** Peak resident set size in MB, or undefined without /usr/bin/time. */
  maxRssMb: number | undefined;
  stdout: string;
}

/** Keeps the Redocly CLI from printing notices and sending telemetry during runs. */
export const QUIET_ENV: NodeJS.ProcessEnv = { REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" };

export async function measure(command: Command): Promise<Measured> {
  const scratch = await mkdtemp(path.join(tmpdir(), "bench-time-"));
  const rssFile = path.join(scratch, "rss");
  const [program, ...args] = hasGnuTime ? [GNU_TIME, "-f", "%M", "-o", rssFile, ...command.argv] : command.argv;
  try {
    const started = process.hrtime.bigint();
    const { code, stdout, stderr } = await run(program as string, args, command);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) {
      throw new Error(`${command.label} exited with ${code}:\n${stderr.slice(-2000)}\n${stdout.slice(-1000)}`);
    }
    const kb = hasGnuTime ? Number((await readFile(rssFile, "utf8")).trim().split("\n").pop()) : Number.NaN;
    return { ms, maxRssMb: Number.isFinite(kb) ? kb / 1024 : undefined, stdout };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function run(program: string, args: readonly string[], command: Command) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: command.cwd,
      env: { ...process.env, ...QUIET_ENV, ...command.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    // Only the tail matters for error messages; lint warnings can be megabytes.
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr = (stderr + d).slice(-20_000);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
