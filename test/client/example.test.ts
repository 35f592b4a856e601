import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

test("documented endpoints: the example type-checks", { timeout: 60_000 }, async () => {
  await run(resolve(root, "node_modules/.bin/tsc"), ["-p", "examples/tsconfig.json"], { cwd: root });
});

test("documented endpoints: the example lists pages, revokes a key and handles 404 and 409", {
  timeout: 60_000,
}, async () => {
  const { stdout } = await run(resolve(root, "node_modules/.bin/tsx"), ["examples/list-and-revoke.ts"], { cwd: root });
  expect(stdout).toMatch(/^page 1 \(3 of 8 keys\):/m);
  expect(stdout).toMatch(/^page 3 \(2 of 8 keys\):/m);
  expect(stdout).toContain("revoked key-alpha-active-1 (ci-deploy)");
  expect(stdout).toMatch(/no such key: API key not found \[request req_\d+\]/);
  expect(stdout).toContain("already revoked before this call");
});
