import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "vitest";
import { isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(REPO, "test", "fixtures");
/**
 * The fixture project the pipeline tests run on: the fictional pages of test/fixtures/docs-v3
 * imported into spec/fragments (`npm run spec:import -- --root test/fixtures/project …`), two
 * overlays of its own, and the generated/ that `npm run generate -- --root test/fixtures/project`
 * writes. It does not change when the Devin docs do.
 */
export const FIXTURE_PROJECT = path.join(FIXTURES, "project");
export const DOCS_V3 = path.join(FIXTURES, "docs-v3");

/** Fixture fragments, by the operation they declare. */
export const FIXTURE = {
  listSecrets: { file: "handle-list-secrets.yaml", path: "/v3/organizations/{org_id}/secrets" },
  listSessions: { file: "handle-list-sessions.yaml", path: "/v3/organizations/{org_id}/sessions" },
  deleteSecret: { file: "handle-delete-secret.yaml", path: "/v3/organizations/{org_id}/secrets/{secret_id}" },
  createSession: { file: "handle-create-session.yaml", path: "/v3/organizations/{org_id}/sessions" },
} as const;

export type TempProject = ProjectLayout & { cleanup(): Promise<void> };

/**
 * A throw-away copy of the fixture project. It sits at <tmp>/test/fixtures/project with the
 * Redocly plugin at <tmp>/scripts/redocly, the layout of this repository, so that the
 * fixture's redocly.yaml finds the plugin as it does in place.
 */
export async function copyFixtureProject(): Promise<TempProject> {
  const tmp = await mkdtemp(path.join(tmpdir(), "devin-pipeline-"));
  const root = path.join(tmp, "test", "fixtures", "project");
  await cp(FIXTURE_PROJECT, root, { recursive: true });
  await cp(path.join(REPO, "scripts", "redocly"), path.join(tmp, "scripts", "redocly"), { recursive: true });
  return { ...projectLayout(root), cleanup: () => rm(tmp, { recursive: true, force: true }) };
}

/**
 * Only for tests about the documented endpoints (their names say so): a throw-away copy of
 * what the pipeline reads and writes in this repository: spec/, redocly.yaml (+ its plugin),
 * generated/. Such tests fail when the docs change, by design.
 */
export async function copyDocumentedProject(): Promise<TempProject> {
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
  cwd = REPO,
): Promise<ScriptRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", path.join(REPO, "scripts", script), ...args],
      { cwd, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Replaces text in a file; throws when the edit changes nothing (the fixture moved on). */
export async function edit(file: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(file, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`test setup: the edit did not change ${file}`);
  await writeFile(file, after);
}

/** The error `run` throws, checked to be a PipelineError (a bug would throw anything else, or nothing). */
export function pipelineErrorOf(run: () => unknown): PipelineError {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  return error as PipelineError;
}

/** The PipelineError a promise rejects with (a failed expectation when it resolves, or rejects otherwise). */
export async function pipelineRejectionOf(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  return error as PipelineError;
}

/** generate's stages, in the order it runs them and reports their times (`onStage`, `--timings`). */
export const PIPELINE_STAGES = [
  "load inputs",
  "lint fragments and overlays",
  "bundle fragments",
  "join",
  "apply overlays",
  "bundle",
  "lint bundle",
  "openapi-typescript",
  "operation index",
  "type-check",
  "serialize",
  "write",
];
