import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { type BundleChanges, bundleAtRevision, rateChanges } from "../gate/bundle-changes.ts";
import { formatBundleChanges, formatChangeSummary } from "../gate/report-format.ts";
import { toLf } from "../shared/line-endings.ts";
import { type ProjectLayout, specDirOf } from "../shared/project.ts";

/** What the docs-sync workflow proposes: nothing, or one patch with its title and body. */
export type Proposal =
  | { changed: false }
  | {
      changed: true;
      /** The pull request's title, one line: `docs sync: MINOR, 1 operation added`. */
      title: string;
      /** The pull request's body in Markdown: the change report, or why generate failed. */
      body: string;
      /** `git diff --binary` of spec/ and generated/ against HEAD: additions, changes and deletions. */
      patch: Buffer;
      /** The paths the patch touches, relative to the repository root. */
      files: string[];
    };

/** GitHub refuses a pull request body over 65,536 characters; leave room for the footer. */
export const MAX_BODY_CHARS = 60_000;
/** How much of generate's stderr the body quotes. */
export const MAX_ERROR_CHARS = 20_000;

/**
 * The docs-sync workflow's proposal after `spec:pull` and `generate`: what changed in spec/ and
 * generated/ since HEAD, as a patch, titled and described by the change report. When generate
 * failed (`generateError` holds its stderr), the patch carries the pulled spec/ alone and the
 * title says so: a docs change that breaks the pipeline needs a person, so it must reach one as
 * a pull request rather than as a red scheduled run nobody watches.
 *
 * Everything is staged (`git add -A`), so deleted files are part of the patch: `git diff`
 * without `--cached` would leave them out.
 */
export async function makeProposal(layout: ProjectLayout, options: { generateError?: string } = {}): Promise<Proposal> {
  const root = await git(layout.root, "rev-parse", "--show-toplevel").then((out) => out.toString().trim());
  const paths = [specDirOf(layout), layout.generatedDir].map((dir) => path.relative(root, dir) || ".");
  await git(root, "add", "-A", "--", ...paths);
  const files = (await git(root, "diff", "--cached", "--name-only", "-z", "--no-renames", "--", ...paths))
    .toString()
    .split("\0")
    .filter((f) => f !== "");
  if (files.length === 0) return { changed: false };
  const patch = await git(root, "diff", "--cached", "--binary", "--no-renames", "--", ...paths);
  const fileList = files.map((f) => `- \`${f}\``).join("\n");
  if (options.generateError !== undefined) {
    const firstLine = firstMeaningfulLine(options.generateError);
    return {
      changed: true,
      title: oneLine(`docs sync: FAILED, npm run generate: ${firstLine}`),
      body: failureBody(options.generateError, fileList),
      patch,
      files,
    };
  }
  const changes = await rateAgainstHead(layout);
  const summary = changes.report.changes.length === 0 ? "NONE (spec/ changed, the API did not)" : null;
  return {
    changed: true,
    title: oneLine(`docs sync: ${summary ?? formatChangeSummary(changes.report)}`),
    body: limitBody(
      `${formatBundleChanges(changes, "markdown")}\n\n` +
        "Pulled by the docs-sync workflow: `npm run spec:pull`, then `npm run generate`. " +
        `Files:\n\n${fileList}\n`,
    ),
    patch,
    files,
  };
}

/** generated/'s bundle as committed at HEAD against the one generate just wrote. */
async function rateAgainstHead(layout: ProjectLayout): Promise<BundleChanges> {
  const base = await bundleAtRevision(layout, "HEAD");
  return rateChanges(base, toLf(await readFile(layout.bundleFile, "utf8")));
}

function failureBody(error: string, fileList: string): string {
  const shown = error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}\n… (cut)` : error;
  const fence = "`".repeat(Math.max(3, longestBacktickRun(shown) + 1));
  return limitBody(
    "## `npm run generate` failed after the pull\n\n" +
      "The followed docs pages changed, and the pipeline cannot build them as they are now. This " +
      "pull request holds the pulled spec/ only; generated/ is stale, so its checks fail until the " +
      "cause is fixed.\n\n" +
      `${fence}\n${shown.trimEnd()}\n${fence}\n\n` +
      "What to do: reproduce it locally (`npm run spec:pull && npm run generate`), fix the cause on " +
      "the main branch (often an overlay whose target a removed or renamed page took with it), and " +
      "the next sync run proposes the result. If a page should no longer be followed, edit " +
      `spec/sources.yaml.\n\nFiles pulled:\n\n${fileList}\n`,
  );
}

function firstMeaningfulLine(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith(">") && !l.startsWith("npm "));
  return lines.find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "") ?? lines[0] ?? "see the body";
}

/** One line of at most 200 characters, no control characters: it becomes a title and a commit subject. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

export function limitBody(body: string): string {
  if (body.length <= MAX_BODY_CHARS) return body;
  return `${body.slice(0, MAX_BODY_CHARS)}\n\n… The report is cut here (GitHub's limit on a pull request body); run \`npm run spec:diff -- main\` on the branch for all of it.\n`;
}

const longestBacktickRun = (text: string) => Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));

async function git(cwd: string, ...args: string[]): Promise<Buffer> {
  const { stdout } = await promisify(execFile)("git", args, {
    cwd,
    encoding: "buffer",
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
