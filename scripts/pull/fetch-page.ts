import { setTimeout as sleep } from "node:timers/promises";
import pRetry from "p-retry";
import { defaultRetry, parseRetryAfter } from "../../src/core/retry.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { MAX_PAGE_BYTES, pageTooLarge } from "../shared/untrusted-input.ts";

/** How a pull talks to the docs site; every field has a default (`FETCH_DEFAULTS`). */
export interface FetchSettings {
  /** Limit for one request (each attempt, each redirect), headers and body together. @default 15000 */
  timeoutMs: number;
  /** Tries in all for a 5xx, a 429, a timeout or a broken connection; any other 4xx is never retried. @default 3 */
  attempts: number;
  /** Wait before the first retry, doubled for each next one, times a random 1 to 2. @default 500 */
  backoffMs: number;
}

export const FETCH_DEFAULTS: Readonly<FetchSettings> = { timeoutMs: 15_000, attempts: 3, backoffMs: 500 };

/** What is fetched, for the hints: a docs page, or the index of pages. */
export type FetchedKind = "page" | "index";

/** Redirects a pull follows in a row before it gives up (a loop, most likely). */
const MAX_REDIRECTS = 5;

/**
 * Longest `Retry-After` (on a 429 or a 5xx) a pull waits for before its next try: the client's
 * own `maxRetryAfter` default. A site asking for longer fails the pull at once, saying when to
 * try again.
 */
export const MAX_RETRY_AFTER_MS = defaultRetry.maxRetryAfter;

const ORIGIN_HINT = "Check the origin (--origin, DEVIN_DOCS_ORIGIN or `origin:` in spec/sources.yaml)";

/** One failed try: what went wrong, what to do, and whether another try may help. */
class FetchFailure extends Error {
  override readonly name = "FetchFailure";
  constructor(
    message: string,
    readonly hint: string,
    readonly retryable: boolean,
    /** The wait the site asked for before the next try (`Retry-After`), if it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Fetches the Markdown at `url` as text. The docs site is untrusted: the body is capped at
 * MAX_PAGE_BYTES, HTML is refused (a site serving its web page, or a login page, where Markdown
 * was asked for), and redirects are followed only within the URL's origin. A 5xx, a 429, a timeout
 * or a broken connection is retried with exponential backoff, after the `Retry-After` the site
 * asked for (up to MAX_RETRY_AFTER_MS); whatever fails in the end is a
 * PipelineError naming the URL, what went wrong (and after how many attempts), and what to do.
 */
export async function fetchMarkdown(
  url: string,
  kind: FetchedKind,
  settings: FetchSettings,
  /** How a `Retry-After` is waited for (tests record the waits instead of waiting). */
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<string> {
  let attempts = 0;
  try {
    return await pRetry(
      () => {
        attempts++;
        return fetchOnce(url, kind, settings.timeoutMs);
      },
      {
        retries: Math.max(0, settings.attempts - 1),
        minTimeout: settings.backoffMs,
        factor: 2,
        randomize: true,
        // Before a retry (p-retry calls this after the last attempt too), the site's Retry-After
        // is waited for; p-retry's backoff then follows, as for any retry.
        onFailedAttempt: async ({ error, retriesLeft }) => {
          if (retriesLeft > 0 && error instanceof FetchFailure && error.retryable && error.retryAfterMs) {
            await wait(error.retryAfterMs);
          }
        },
        shouldRetry: ({ error }) => error instanceof FetchFailure && error.retryable,
      },
    );
  } catch (error) {
    if (!(error instanceof FetchFailure)) throw error;
    const tries = error.retryable ? ` (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"})` : "";
    throw new PipelineError(`${error.message}${tries}`, { file: url }, error.hint);
  }
}

async function fetchOnce(url: string, kind: FetchedKind, timeoutMs: number): Promise<string> {
  const { origin } = new URL(url);
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(current, {
        redirect: "manual",
        signal,
        headers: { accept: "text/markdown, text/plain;q=0.9, */*;q=0.1" },
      });
    } catch (error) {
      throw requestFailure(error, signal, timeoutMs);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = URL.parse(location, current);
      if (next === null) {
        throw new FetchFailure(
          `HTTP ${response.status} redirects to a Location that is not a URL: ${JSON.stringify(location.slice(0, 200))}`,
          "The docs site sent a broken redirect: open the URL in a browser, and report it to the docs.",
          false,
        );
      }
      // A docs page that redirects elsewhere could lead the pull to any server; the docs move
      // pages within their own site.
      if (next.origin !== origin) {
        throw new FetchFailure(
          `HTTP ${response.status} redirects to another origin: ${next.href}`,
          `A pull follows redirects only within ${origin}. If the docs moved to ${next.origin}, point \`origin:\` in spec/sources.yaml (or --origin) there.`,
          false,
        );
      }
      if (next.username !== "" || next.password !== "") {
        throw new FetchFailure(
          `HTTP ${response.status} redirects to a URL with a user name or password (not shown)`,
          "A docs page never needs credentials, and fetch refuses to send them: open the URL in a browser, and report the redirect to the docs.",
          false,
        );
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new FetchFailure(
          `more than ${MAX_REDIRECTS} redirects in a row (last to ${next.href})`,
          "The docs site redirects in a loop: open the URL in a browser, and report it to the docs.",
          false,
        );
      }
      current = next.href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw statusFailure(response, kind);
    }
    const type = response.headers.get("content-type") ?? "";
    if (/^\s*text\/html\b/i.test(type)) {
      await response.body?.cancel();
      throw htmlFailure(`content-type ${type}`, kind);
    }
    const text = await readCapped(response, url, signal, timeoutMs);
    const start = text.trimStart().slice(0, 15).toLowerCase();
    if (start.startsWith("<!doctype") || start.startsWith("<html")) {
      throw htmlFailure(`the body starts with ${text.trimStart().slice(0, 15)}`, kind);
    }
    return text;
  }
}

/** The body as UTF-8 text, refused once it passes MAX_PAGE_BYTES (without reading further). */
async function readCapped(response: Response, url: string, signal: AbortSignal, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_PAGE_BYTES) {
    await response.body?.cancel();
    throw tooLarge(url);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_PAGE_BYTES) {
        await reader.cancel();
        throw tooLarge(url);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FetchFailure) throw error;
    throw requestFailure(error, signal, timeoutMs);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(url: string): FetchFailure {
  const { message, hint } = pageTooLarge(url);
  return new FetchFailure(message, hint ?? "", false);
}

function statusFailure(response: Response, kind: FetchedKind): FetchFailure {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const busy = response.status >= 500 || response.status === 429;
  const retryAfterMs = busy ? parseRetryAfter(response.headers.get("retry-after"), Date.now()) : undefined;
  if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    return new FetchFailure(
      `${status}: the docs site asks to wait ${seconds} s (Retry-After), longer than a pull waits (${MAX_RETRY_AFTER_MS / 1000} s)`,
      `Run the pull again in ${seconds} s or later.`,
      false,
    );
  }
  if (response.status === 429) {
    return new FetchFailure(
      status,
      "The docs site limits how often it is asked: wait a minute, then run the pull again.",
      true,
      retryAfterMs,
    );
  }
  if (response.status >= 500) {
    return new FetchFailure(
      status,
      "The docs site failed: try again later. If it keeps failing, open the URL in a browser.",
      true,
      retryAfterMs,
    );
  }
  if (response.status === 404 || response.status === 410) {
    return new FetchFailure(
      status,
      kind === "index"
        ? `${ORIGIN_HINT} and \`index:\`: the docs publish their page index at /llms.txt.`
        : "The index lists the page but the site does not serve it: open the URL in a browser; if the page moved, follow its new path in spec/sources.yaml.",
      false,
    );
  }
  return new FetchFailure(
    status,
    `The docs site refused the request: open the URL in a browser. ${ORIGIN_HINT}.`,
    false,
  );
}

function htmlFailure(evidence: string, kind: FetchedKind): FetchFailure {
  return new FetchFailure(
    `HTML where Markdown was expected (${evidence})`,
    kind === "index"
      ? `${ORIGIN_HINT} and \`index:\`: the index is a Markdown list of links (the llms.txt convention).`
      : `The docs publish each page as Markdown at its URL plus .md. ${ORIGIN_HINT}: a docs mirror must serve the .md pages too.`,
    false,
  );
}

/** A request that got no answer: a timeout, or a connection that failed (both worth a retry). */
function requestFailure(error: unknown, signal: AbortSignal, timeoutMs: number): FetchFailure {
  if (signal.aborted && (signal.reason as Error | undefined)?.name === "TimeoutError") {
    return new FetchFailure(
      `timed out: no answer within ${timeoutMs} ms`,
      "The docs site is slow or unreachable: try again later, or allow more time with --timeout <ms>.",
      true,
    );
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const detail = code ?? String((cause?.message ?? (error as Error)?.message) || error);
  return new FetchFailure(
    `${(code && CONNECTION_ERRORS[code]) || "connection failed"}: ${detail}`,
    `${ORIGIN_HINT} and the network; try again later.`,
    true,
  );
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  UND_ERR_SOCKET: "the server closed the connection",
};
