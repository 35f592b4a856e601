import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PipelineError } from "./pipeline-error.ts";

export type Impact = "major" | "minor" | "patch";

export interface Change {
  impact: Impact;
  kind: "added" | "removed" | "modified";
  /** `GET /v3beta1/...`, or `components/schemas/Name` for a change outside any operation. */
  subject: string;
  /** Where inside the subject, e.g. `responses/200/content/application/json/schema/properties/total`. */
  where: string;
  /** Redocly's verdicts, or what changed when it gives none (a description edit). */
  message: string;
}

export interface ChangeReport {
  /** The semver bump the changes mean for users of the typed client. */
  bump: Impact | "none";
  counts: Record<Impact, number>;
  changes: Change[];
}

interface RedoclyDiff {
  bump?: string;
  summary?: Partial<Record<Impact, number>>;
  changes?: {
    path: string;
    kind: Change["kind"];
    impact: Impact;
    property?: string;
    verdicts?: { message: string }[];
  }[];
}

const require = createRequire(import.meta.url);
const REDOCLY_CLI = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");

/**
 * Rates every change between two bundles by the semver bump it means for consumers, with
 * `redocly diff` (its rules: a removed or newly required parameter, a removed response field
 * or a response field that became optional is major; an added operation or optional field is
 * minor; prose is patch). Our tests pin the verdicts this project relies on.
 */
export async function compareBundles(baseText: string, revisionText: string): Promise<ChangeReport> {
  const dir = await mkdtemp(path.join(tmpdir(), "devin-diff-"));
  try {
    const base = path.join(dir, "base.yaml");
    const revision = path.join(dir, "revision.yaml");
    const out = path.join(dir, "diff.json");
    await writeFile(base, baseText);
    await writeFile(revision, revisionText);
    const args = [REDOCLY_CLI, "diff", base, revision, "--format", "json", "--fail-on", "none", "-o", out];
    await promisify(execFile)(process.execPath, args, {
      cwd: dir, // no redocly.yaml here: the diff uses Redocly's own rules, not our lint config
      env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" },
    }).catch((error: { stderr?: string }) => {
      throw new PipelineError(
        `redocly diff failed: ${(error.stderr ?? String(error)).trim().split("\n").slice(-3).join(" ")}`,
      );
    });
    return toReport(JSON.parse(await readFile(out, "utf8")) as RedoclyDiff);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function toReport(diff: RedoclyDiff): ChangeReport {
  const counts: Record<Impact, number> = { major: 0, minor: 0, patch: 0 };
  const changes = (diff.changes ?? []).map((c): Change => {
    counts[c.impact] += 1;
    const { subject, where } = splitPointer(c.path);
    const verdicts = (c.verdicts ?? []).map((v) => v.message);
    const what = c.property ? `${c.property} ${c.kind}` : c.kind;
    return { impact: c.impact, kind: c.kind, subject, where, message: verdicts.length > 0 ? verdicts.join(" ") : what };
  });
  const bump = counts.major > 0 ? "major" : counts.minor > 0 ? "minor" : counts.patch > 0 ? "patch" : "none";
  return { bump, counts, changes };
}

function splitPointer(pointer: string): { subject: string; where: string } {
  const keys = pointer
    .replace(/^#\/?/, "")
    .split("/")
    .map((k) => decodeURIComponent(k).replace(/~1/g, "/").replace(/~0/g, "~"));
  if (keys[0] === "paths" && keys.length >= 2) {
    const [, route = "", method, ...rest] = keys;
    if (!method) return { subject: route, where: "" };
    return { subject: `${method.toUpperCase()} ${route}`, where: rest.join("/") };
  }
  return { subject: keys.slice(0, 3).join("/"), where: keys.slice(3).join("/") };
}

const ORDER: Record<Impact, number> = { major: 0, minor: 1, patch: 2 };

export function formatChangeReport(report: ChangeReport, base: string, revision: string): string {
  if (report.changes.length === 0) return `API changes (${base} → ${revision}): none for users of the typed client.`;
  const { major, minor, patch } = report.counts;
  const lines = [
    `API changes (${base} → ${revision}): ${report.bump.toUpperCase()} for users of the typed client ` +
      `(${major} major, ${minor} minor, ${patch} patch)`,
  ];
  const sorted = [...report.changes].sort(
    (a, b) => ORDER[a.impact] - ORDER[b.impact] || (a.subject < b.subject ? -1 : 1),
  );
  for (const c of sorted) {
    lines.push(`  ${c.impact.padEnd(5)}  ${c.kind.padEnd(8)}  ${c.subject}${c.where ? `  ${c.where}` : ""}`);
    lines.push(`         ${c.message}`);
  }
  return lines.join("\n");
}
