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
}

/**
 * Whether to retry after `attempt` (1-based) attempts. Connection errors and timeouts are
 * retried like 502/503; a caller abort, invalid input and any other 4xx never are.
 */
export function shouldRetry(outcome: AttemptOutcome, method: string, attempt: number, policy: RetryOptions): boolean {
  if (attempt > policy.maxRetries || !policy.methods.includes(method)) return false;
  if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > policy.maxRetryAfter) return false;
  if (outcome.kind === "network" || outcome.kind === "timeout") return true;
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

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Unparseable values give `undefined`; dates in the past give 0.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
