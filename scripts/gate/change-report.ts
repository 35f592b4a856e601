import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { pointerKeys } from "../shared/json-pointer.ts";
import { isHttpMethod, isRecord, listOperations, operationLabel } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { byCodePoint } from "../shared/sort.ts";

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
        `redocly diff failed: ${diffFailure(error.stderr ?? String(error))}`,
        [],
        "Both bundles must be valid OpenAPI: run `npm run generate` for spec/, and check the base bundle with `npx redocly lint`.",
      );
    });
    const diff = JSON.parse(await readFile(out, "utf8")) as RedoclyDiff;
    return toReport(diff, parse(baseText), parse(revisionText));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What `redocly diff` said went wrong: the last three lines of its stderr that are neither stack
 * frames nor part of a notice box (the error is above the stack, the box comes first).
 */
export function diffFailure(stderr: string): string {
  const said = stderr
    .split("\n")
    .map((line) => line.trim())
    // A notice box (Node's version warning) is drawn with box-drawing characters on every line.
    .filter((line) => line !== "" && !line.startsWith("at ") && !/[\u2500-\u257f]/.test(line));
  return said.slice(-3).join(" ") || "no message (exit code only)";
}

/**
 * Redocly's changes, with additions and removals decided by name. `redocly diff` pairs
 * components, and paths, by position when names differ: a removed `ApiKeyResponse` and an
 * added `SessionResponse` come out as "SessionResponse properties/api_key_id removed", rated
 * patch. For users of the typed client a name is what their code refers to
 * (`components["schemas"]["ApiKeyResponse"]`, `paths["/v3/…"]["get"]`), so a component or
 * operation that is gone is major, one that is new is minor, and Redocly's changes about either
 * are dropped. Everything else keeps Redocly's verdict.
 */
function toReport(diff: RedoclyDiff, base: unknown, revision: unknown): ChangeReport {
  const before = namedParts(base);
  const after = namedParts(revision);
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const added = [...after.keys()].filter((k) => !before.has(k));
  const byName = new Set([...removed, ...added]);
  const routesBefore = routes(base);
  const routesAfter = routes(revision);

  const changes: Change[] = [];
  for (const c of diff.changes ?? []) {
    const keys = pointerKeys(c.path);
    const [section, a = "", b = ""] = keys;
    if (section === "components" && byName.has(componentKey(a, b))) continue;
    if (section === "paths" && !(routesBefore.has(a) && routesAfter.has(a))) continue;
    if (section === "paths" && isHttpMethod(b) && byName.has(operationLabel({ method: b, path: a }))) continue;
    const { subject, where } = splitPointer(keys);
    const verdicts = (c.verdicts ?? []).map((v) => v.message);
    const what = c.property ? `${c.property} ${c.kind}` : c.kind;
    changes.push({
      impact: c.impact,
      kind: c.kind,
      subject,
      where,
      message: verdicts.length > 0 ? verdicts.join(" ") : what,
    });
  }
  for (const key of removed) {
    const what = before.get(key) as string;
    changes.push({
      impact: "major",
      kind: "removed",
      subject: key,
      where: "",
      message: `${what} was removed: code that uses it no longer compiles.`,
    });
  }
  for (const key of added) {
    const what = after.get(key) as string;
    changes.push({ impact: "minor", kind: "added", subject: key, where: "", message: `${what} was added.` });
  }
  return reportOf(changes);
}

/** The report of a list of changes: counted by impact, rated by the most severe (major > minor > patch). */
export function reportOf(changes: Change[]): ChangeReport {
  const counts: Record<Impact, number> = { major: 0, minor: 0, patch: 0 };
  for (const c of changes) counts[c.impact] += 1;
  const bump = counts.major > 0 ? "major" : counts.minor > 0 ? "minor" : counts.patch > 0 ? "patch" : "none";
  return { bump, counts, changes };
}

const componentKey = (section: string, name: string) => `components/${section}/${name}`;

/** Components and operations by the subject the report names them with, each with a description. */
function namedParts(doc: unknown): Map<string, string> {
  const parts = new Map<string, string>();
  const components = isRecord(doc) && isRecord(doc.components) ? doc.components : {};
  for (const [section, entries] of Object.entries(components)) {
    if (!isRecord(entries)) continue;
    for (const name of Object.keys(entries)) parts.set(componentKey(section, name), `component \`${section}/${name}\``);
  }
  for (const op of listOperations(doc)) {
    parts.set(operationLabel(op), `operation \`${op.operationId ?? operationLabel(op)}\``);
  }
  return parts;
}

function routes(doc: unknown): Set<string> {
  return new Set(Object.keys(isRecord(doc) && isRecord(doc.paths) ? doc.paths : {}));
}

function splitPointer(keys: readonly string[]): { subject: string; where: string } {
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
    (a, b) => ORDER[a.impact] - ORDER[b.impact] || byCodePoint(a.subject, b.subject),
  );
  for (const c of sorted) {
    lines.push(`  ${c.impact.padEnd(5)}  ${c.kind.padEnd(8)}  ${c.subject}${c.where ? `  ${c.where}` : ""}`);
    lines.push(`         ${c.message}`);
  }
  return lines.join("\n");
}
