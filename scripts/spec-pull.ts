/**
 * npm run spec:pull -- [--origin <url>] [--dry-run] [--timeout <ms>] [--root <dir>]
 * Fetches the docs pages spec/sources.yaml follows into spec/fragments/, all or nothing.
 * The origin override: --origin, else the DEVIN_DOCS_ORIGIN environment variable.
 */
import { FETCH_DEFAULTS } from "./pull/fetch-page.ts";
import { type PullProgress, pullSpec } from "./pull/pull.ts";
import { formatPullReport } from "./pull/report.ts";
import { originOverride } from "./pull/sources.ts";
import { runCli, usageError } from "./shared/cli.ts";

const command = {
  usage: "npm run spec:pull -- [--origin <url>] [--dry-run] [--timeout <ms>] [--root <dir>]",
  options: { origin: { type: "string" }, "dry-run": { type: "boolean" }, timeout: { type: "string" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  const timeout = values.timeout === undefined ? FETCH_DEFAULTS.timeoutMs : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw usageError(
      `command line: --timeout takes milliseconds, a whole number above 0, got ${values.timeout}`,
      command,
    );
  }
  // A progress line only where a person watches: on a terminal, rewritten in place on stderr.
  const terminal = process.stderr.isTTY === true;
  const onProgress = terminal
    ? ({ started, total, url }: PullProgress) => process.stderr.write(`\r\x1b[2Kfetching ${started}/${total} ${url}`)
    : undefined;
  let result: Awaited<ReturnType<typeof pullSpec>>;
  try {
    result = await pullSpec(layout, {
      origin: originOverride(values.origin, process.env),
      dryRun: values["dry-run"] === true,
      timeoutMs: timeout,
      onProgress,
    });
  } finally {
    if (terminal) process.stderr.write("\r\x1b[2K");
  }
  for (const w of result.warnings) console.warn(`warning: ${w.file}:${w.line} ${w.message}`);
  for (const line of formatPullReport(result)) console.log(line);
  return undefined;
});
