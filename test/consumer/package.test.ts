import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";

// ~15 s: build, pack, install into a temp consumer, type-check, run against the sandbox,
// publint, attw. Same as `npm run test:package`, kept in `npm test` because it is fast.
test("documented endpoints: the packed tarball installs, type-checks and runs in a consumer project", {
  timeout: 180_000,
}, async () => {
  const { stdout } = await promisify(execFile)("npx", ["tsx", "test/consumer/check-package.ts"], {
    cwd: resolve(import.meta.dirname, "../.."),
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout).toContain("consumer: ok");
  expect(stdout).toContain("test:package: ok");
});
