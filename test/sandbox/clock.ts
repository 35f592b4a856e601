/**
 * The sandbox's fixed "now" (unix seconds, 2026-01-01T00:00:00Z). Expiry and revocation
 * timestamps are derived from it so that every run sees the same states and bodies.
 */
export const SANDBOX_NOW = 1_767_225_600;

const DAY = 86_400;

/** `days` whole days relative to SANDBOX_NOW (negative = in the past). */
export function daysFromNow(days: number): number {
  return SANDBOX_NOW + days * DAY;
}
