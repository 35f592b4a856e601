/**
 * One page of a service user's keys. "all" is a plain slice; a status filter scans
 * forward from the cursor only as far as it needs to fill the page and see whether
 * another match follows, so walking all pages stays linear overall.
 */
import { SANDBOX_NOW } from "./clock.ts";
import { keyStatus } from "./keys.ts";
import type { KeyStatus, SandboxKey } from "./types.ts";

export type StatusFilter = KeyStatus | "all";

export interface Page {
  items: SandboxKey[];
  /** Offset to resume from, or null on the last page. */
  nextOffset: number | null;
  total: number;
}

export function paginate(keys: readonly SandboxKey[], filter: StatusFilter, offset: number, first: number): Page {
  if (filter === "all") {
    const end = Math.min(offset + first, keys.length);
    return { items: keys.slice(offset, end), nextOffset: end < keys.length ? end : null, total: keys.length };
  }
  const items: SandboxKey[] = [];
  let index = offset;
  let lastTaken = offset;
  let hasMore = false;
  for (; index < keys.length; index++) {
    const key = keys[index] as SandboxKey;
    if (keyStatus(key, SANDBOX_NOW) !== filter) continue;
    if (items.length === first) {
      hasMore = true;
      break;
    }
    items.push(key);
    lastTaken = index + 1;
  }
  return { items, nextOffset: hasMore ? lastTaken : null, total: countStatus(keys, filter) };
}

/**
 * The total is recounted on every request rather than cached: the state is live (tests
 * edit keys in place), and counting 100_000 keys costs well under a millisecond.
 */
function countStatus(keys: readonly SandboxKey[], filter: KeyStatus): number {
  let total = 0;
  for (const key of keys) if (keyStatus(key, SANDBOX_NOW) === filter) total++;
  return total;
}
