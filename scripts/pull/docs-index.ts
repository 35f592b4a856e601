/**
 * The page index of the docs: `/llms.txt` by the llms.txt convention (https://llmstxt.org), a
 * Markdown file whose list items link to the pages, `- [Title](https://docs.devin.ai/page.md):
 * description`, with absolute URLs. It lists the pages of the docs' default language only; the
 * same page in another language is published under `/<language>/` (the German list page is
 * /de/api-reference/v3/service-users/get-enterprise-service-user-api-keys.md).
 */

/** Where a pull reads the docs, and how it maps the index's links. */
export interface DocsLocation {
  /** Where pages are fetched from: the override (`--origin`), else sources.yaml's origin. */
  origin: string;
  /** sources.yaml's origin: index links to it are read as links to `origin`. */
  defaultOrigin: string;
  /** The language prefix, e.g. `de`. */
  language: string;
}

/** The Markdown of page `pagePath` in the language: `<origin>/<language>/<pagePath>.md`. */
export function pageUrl(at: DocsLocation, pagePath: string): string {
  return `${at.origin}/${at.language}/${pagePath}.md`;
}

// A list item's first link: `- [Title](url)`, `* [Title](<url> "tooltip")`. The title may hold
// brackets of its own (`[Keys [beta]](…)`), so the text runs to the first `](`.
const LIST_LINK = /^\s*[-*+]\s+\[.*?\]\(\s*<?([^\s)>]+)/;

/**
 * The pages an index lists, as page paths (`api-reference/v3/service-users/x`, without the
 * language prefix and `.md`) mapped to their Markdown URL in the language. A link to the default
 * origin is read as a link to the override; a link to any other host is not a docs page and is
 * ignored. A link of the default language is mapped under `/<language>/`; one already under it
 * is kept. Relative links resolve against the index's URL.
 */
export function parseDocsIndex(text: string, indexUrl: string, at: DocsLocation): Map<string, string> {
  const pages = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const link = LIST_LINK.exec(line)?.[1];
    if (!link) continue;
    const pagePath = pagePathOf(link, indexUrl, at);
    if (pagePath !== undefined && !pages.has(pagePath)) pages.set(pagePath, pageUrl(at, pagePath));
  }
  return pages;
}

function pagePathOf(link: string, indexUrl: string, at: DocsLocation): string | undefined {
  let url: URL;
  try {
    url = new URL(link, indexUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== at.defaultOrigin && url.origin !== at.origin) return undefined;
  let pagePath = url.pathname.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\.md$/i, "");
  if (pagePath === at.language) return undefined;
  if (pagePath.startsWith(`${at.language}/`)) pagePath = pagePath.slice(at.language.length + 1);
  return pagePath === "" ? undefined : pagePath;
}
