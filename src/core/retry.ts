/**
 * The retry policy, in one place: which outcomes are retried and how long to wait.
 * Modelled on openai-node `shouldRetry` / `calculateDefaultRetryTimeoutMillis` and ky `retry`.
 */

export interface RetryOptions {
  /**
   * Retries after the first attempt; `0` disables retrying.
   * @default 2
   */
  maxRetries: number;
  /**
   * Methods that may be retried. Only idempotent-by-definition methods by default: a
   * retried DELETE that already succeeded may answer 409 (see `already_revoked`).
   * @default ["GET", "HEAD", "OPTIONS"]
   */
  methods: readonly string[];
  /**
   * HTTP statuses that are retried. Other 4xx are never retried: the request itself is wrong.
   * @default [429, 502, 503, 504]
   */
  statuses: readonly number[];
  /**
   * First backoff in milliseconds; doubles per attempt, with up to 25% jitter taken off.
   * @default 500
   */
  baseDelay: number;
  /**
   * Upper bound of the exponential backoff, in milliseconds.
   * @default 8000
   */
  maxDelay: number;
  /**
   * Longest `Retry-After` that is waited for, in milliseconds. A server asking for longer is
   * not retried: the `rate_limited` result carries `retryAfterMs` so the caller can decide.
   * @default 60000
   */
  maxRetryAfter: number;
}

/** Injectable time sources, so tests need no real waiting. */
export interface Clock {
  /**
   * Waits `ms` milliseconds; must reject or resolve early when `signal` aborts.
   * @default a `setTimeout`-based sleep that honours the signal
   */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Current time in milliseconds, used to read an HTTP-date `Retry-After`.
   * @default Date.now
   */
  now: () => number;
  /**
   * Random number in [0, 1) used for jitter.
   * @default Math.random
   */
  random: () => number;
}

export const defaultRetry: RetryOptions = {
  maxRetries: 2,
  methods: ["GET", "HEAD", "OPTIONS"],
  statuses: [429, 502, 503, 504],
  baseDelay: 500,
  maxDelay: 8000,
  maxRetryAfter: 60_000,
};

export const defaultClock: Clock = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
  now: Date.now,
  random: Math.random,
};

/** What one attempt ended with, as far as the policy cares. */
export interface AttemptOutcome {
  kind: string;
  status: number | undefined;
  /** Parsed `Retry-After`, when the response had one. */
  retryAfterMs?: number | undefined;
  /** For `unexpected`: why; `too_large` and `redirect` are never retried. */
  reason?: unknown;
  /** For `network`: certain to repeat, so never retried. */
  final?: true;
}

// Certain to repeat: a body over the limit is over it again, a redirect redirects again.
const NEVER_RETRIED_REASONS = new Set<unknown>(["too_large", "redirect"]);

/**
 * Whether to retry after `attempt` (1-based) attempts. Connection errors and timeouts are
 * retried like 502/503; a caller abort, invalid input and any other 4xx never are.
 */
export function shouldRetry(outcome: AttemptOutcome, method: string, attempt: number, policy: RetryOptions): boolean {
  if (attempt > policy.maxRetries || !policy.methods.includes(method)) return false;
  if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > policy.maxRetryAfter) return false;
  if (outcome.kind === "unexpected" && NEVER_RETRIED_REASONS.has(outcome.reason)) return false;
  if (outcome.kind === "network" || outcome.kind === "timeout") return outcome.final !== true;
  return outcome.status !== undefined && policy.statuses.includes(outcome.status);
}

/** Milliseconds to wait before attempt `attempt + 1`: the server's `Retry-After`, else backoff with jitter. */
export function retryDelay(
  outcome: AttemptOutcome,
  attempt: number,
  policy: RetryOptions,
  random: () => number,
): number {
  if (outcome.retryAfterMs !== undefined) return outcome.retryAfterMs;
  const backoff = Math.min(policy.baseDelay * 2 ** (attempt - 1), policy.maxDelay);
  return Math.round(backoff * (1 - random() * 0.25));
}

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "\\d\\d:\\d\\d:\\d\\d";
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, obsolete RFC 850 date, or asctime date. */
const HTTP_DATE = new RegExp(
  `^(?:${DAY}, \\d\\d ${MONTH} \\d{4} ${TIME} GMT|${LONG_DAY}, \\d\\d-${MONTH}-\\d\\d ${TIME} GMT|${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4})$`,
);

/**
 * `Retry-After` as milliseconds (RFC 9110 §10.2.3): delay-seconds (digits only) or an
 * HTTP-date. Anything else (`-5`, `1.5`, `1, 2`, `soon`) gives `undefined`, not a guess:
 * `Date.parse` alone reads "-5" as a date in 2001, which made the client retry at once.
 * Dates in the past give 0.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!HTTP_DATE.test(trimmed)) return undefined;
  // asctime dates carry no zone: they are GMT too.
  const date = Date.parse(/GMT$/.test(trimmed) ? trimmed : `${trimmed} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
