import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ProjectLayout, projectLayout } from "../../scripts/lib/project.ts";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(REPO, "test", "fixtures");

/** A throw-away copy of what the pipeline reads and writes: spec/, redocly.yaml (+ its plugin), generated/. */
export async function copyProject(): Promise<ProjectLayout & { cleanup(): Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), "devin-pipeline-"));
  for (const entry of ["spec", "redocly.yaml", "generated", "scripts/redocly"]) {
    await cp(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  }
  return { ...projectLayout(root), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Every file under `dir` with its bytes, to prove a failed run changed nothing. */
export async function snapshotDir(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), (await readFile(file)).toString("base64"));
  }
  return out;
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of scripts/*.ts as its own Node process, the way `npm run` does. */
export async function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ScriptRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", path.join(REPO, "scripts", script), ...args],
      { cwd: REPO, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
