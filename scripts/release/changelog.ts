import type { BundleChanges } from "../gate/bundle-changes.ts";
import { formatChangeReportMarkdown } from "../gate/report-format.ts";

/** The file's name at the project's root. */
export const CHANGELOG_FILE = "CHANGELOG.md";

/** What CHANGELOG.md starts with: entries go below it, newest first. */
export const CHANGELOG_HEAD = `# Changelog

Each entry is written by \`npm run release:apply\` from the change report: the API changes since
the previous release tag, each rated for users of the typed client (major, minor or patch), and
the highest rating decides the version. Changes to the client in \`src/\` are not rated; see
[docs/releases.md](docs/releases.md).
`;

/**
 * A release's entry: `## <version> — <date>`, then the change report in Markdown with its
 * headings one level down (`###`, `####`), so that they nest under the entry's.
 */
export function changelogEntry(version: string, date: string, changes: BundleChanges): string {
  const report = formatChangeReportMarkdown(changes.report, changes.base, changes.revision, { headingLevel: 3 });
  return `## ${version} — ${date}\n\n${report}\n`;
}

/** The file with `entry` above the newest entry (or after the head, in a new or empty changelog). */
export function prependEntry(existing: string | undefined, entry: string): string {
  const text = existing ?? CHANGELOG_HEAD;
  const first = /^## /m.exec(text);
  if (first === null) return `${text.trimEnd()}\n\n${entry}`;
  return `${text.slice(0, first.index)}${entry}\n${text.slice(first.index)}`;
}

/** Whether the changelog already has an entry for `version` (release:apply ran, nothing was tagged yet). */
export function hasEntry(text: string, version: string): boolean {
  return text.split("\n").some((line) => line.startsWith(`## ${version} `));
}
