/**
 * The client from plain JavaScript (issue 11, item 5): examples/plain-esm.mjs (`import`) and
 * examples/plain-cjs.cjs (`require`, Node.js 20.19+ loads the ESM package through it) run with
 * plain `node` against an in-process sandbox, "devin-api-client" resolved as a consumer's
 * node_modules would: the package.json of this repository and its build.
 *
 * The build is tsc's emit of tsconfig.build.json into a temp folder, without the type-check
 * (`npm run lint` type-checks, and test/consumer/package.test.ts builds and packs the real
 * package): that test's `npm run build` empties dist/ first, so reading dist/ here could race it.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox/server.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

let consumer: string;
let sandbox: Sandbox;
beforeAll(async () => {
  consumer = await mkdtemp(path.join(tmpdir(), "devin-plain-js-"));
  const modules = path.join(consumer, "node_modules");
  const pkg = path.join(modules, "devin-api-client");
  await mkdir(pkg, { recursive: true });
  const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
  const outDir = path.join(pkg, "dist");
  await run(
    process.execPath,
    [tsc, "-p", "tsconfig.build.json", "--outDir", outDir, "--noCheck", "--declaration", "false"],
    {
      cwd: REPO,
    },
  );
  await copyFile(path.join(REPO, "package.json"), path.join(pkg, "package.json"));
  await symlink(path.join(REPO, "node_modules", "openapi-fetch"), path.join(modules, "openapi-fetch"), "dir");
  for (const example of ["plain-esm.mjs", "plain-cjs.cjs"]) {
    await copyFile(path.join(REPO, "examples", example), path.join(consumer, example));
  }
  sandbox = await startSandbox();
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

/** Runs an example with plain node (asynchronously: the sandbox answers from this process). */
async function example(file: string, args: string[] = []) {
  const env = { ...process.env, DEVIN_API_BASE_URL: sandbox.url, DEVIN_API_KEY: sandbox.token };
  return run(process.execPath, [file, ...args], { cwd: consumer, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }),
  );
}

describe.concurrent("the client from plain JavaScript", () => {
  test.each([
    ["an ES module (import)", "plain-esm.mjs"],
    ["CommonJS (require)", "plain-cjs.cjs"],
  ])("%s lists a service user's keys from the sandbox named by DEVIN_API_BASE_URL", async (_name, file) => {
    const { code, stdout } = await example(file);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe("key-alpha-active-1  ci-deploy  active");
    expect(lines).toContain("key-alpha-revoked-1  leaked-laptop  inactive");
  });

  test("an unknown service user ends with the failure's message and exit code 1", async () => {
    const { code, stdout, stderr } = await example("plain-cjs.cjs", ["service-user-ghost"]);
    expect([code, stdout]).toEqual([1, ""]);
    expect(stderr).toMatch(
      /^GET \/v3beta1\/enterprise\/service-users\/\{service_user_id\}\/api-keys failed: 404 .*check the IDs in the path$/m,
    );
  });
});
