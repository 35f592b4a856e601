/**
 * Section 5: what the client costs in a bundle: min+gzip of src/index.ts bundled with
 * openapi-fetch, of openapi-fetch alone, and of the client `redocly generate-client` emits.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";
import { REPO } from "../lib/paths.ts";
import { emitRedoclyClient } from "../lib/redocly-client.ts";
import { checkTarget, type Row, type SectionResult } from "../lib/results.ts";
import type { Section } from "../lib/section.ts";

const NAME = "size";
const TARGET_BYTES = 5000;

async function minGzip(entry: Pick<BuildOptions, "entryPoints" | "stdin">): Promise<{ min: number; gzip: number }> {
  const result = await build({
    ...entry,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    absWorkingDir: REPO,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

const row = (label: string, size: { min: number; gzip: number }, note?: string): Row => ({
  section: NAME,
  label,
  median: size.gzip,
  unit: "B",
  samples: [size.gzip],
  extra: { minBytes: size.min, gzipBytes: size.gzip },
  ...(note !== undefined && { note }),
});

export const sizeSection: Section = {
  name: NAME,
  title: "Size, min+gzip",
  async run(): Promise<SectionResult> {
    const scratch = await mkdtemp(path.join(tmpdir(), "bench-size-"));
    try {
      const ours = row(
        "src/index.ts + openapi-fetch (ours)",
        await minGzip({ entryPoints: [path.join(REPO, "src/index.ts")] }),
      );
      const fetchOnly = row(
        "openapi-fetch alone",
        await minGzip({
          stdin: {
            contents: 'export * from "openapi-fetch"; export { default } from "openapi-fetch";',
            resolveDir: REPO,
          },
        }),
      );
      const rows = [ours, fetchOnly];
      const generated = path.join(scratch, "redocly-client.ts");
      await emitRedoclyClient(generated);
      rows.push(
        row(
          "redocly generate-client output (reference)",
          await minGzip({ entryPoints: [generated] }),
          "types erased; runtime and operation table",
        ),
      );
      return {
        rows,
        targets: [checkTarget(NAME, "whole client ≤ 5 kB min+gzip", ours.median / 1000, TARGET_BYTES / 1000, " kB")],
        notes: ["esbuild: bundle, minify, ESM, platform neutral, es2022; gzip level 9; 1 kB = 1000 bytes."],
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
