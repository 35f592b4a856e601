/**
 * Key states and deterministic key fixtures.
 */
import { daysFromNow, SANDBOX_NOW } from "./clock.ts";
import type { KeyStatus, SandboxKey } from "./types.ts";

/** Revocation wins over expiry: a revoked key stays "revoked" after its expiry date. */
export function keyStatus(key: SandboxKey, now: number = SANDBOX_NOW): KeyStatus {
  if (key.revoked_at !== null) return "revoked";
  if (key.expires_at !== null && key.expires_at <= now) return "expired";
  return "active";
}

function seedKey(id: string, name: string, fields: Partial<SandboxKey>): SandboxKey {
  const key: SandboxKey = {
    api_key_id: id,
    api_key_name: name,
    created_at: daysFromNow(-90),
    expires_at: null,
    revoked_at: null,
    last_used_at: null,
    is_active: true,
    ...fields,
  };
  key.is_active = keyStatus(key) === "active";
  return key;
}

/**
 * "service-user-alpha" has keys in every state (4 active, 2 revoked, 2 expired), in
 * creation order; "service-user-empty" has none. Fresh objects on every call, so a
 * sandbox can revoke keys without leaking into the next test.
 */
export function seedServiceUsers(): Record<string, SandboxKey[]> {
  return {
    "service-user-alpha": [
      seedKey("key-alpha-active-1", "ci-deploy", { created_at: daysFromNow(-120), last_used_at: daysFromNow(-1) }),
      seedKey("key-alpha-active-2", "nightly-sync", {
        created_at: daysFromNow(-100),
        expires_at: daysFromNow(30),
        last_used_at: daysFromNow(-2),
      }),
      seedKey("key-alpha-revoked-1", "leaked-laptop", {
        created_at: daysFromNow(-80),
        revoked_at: daysFromNow(-40),
        last_used_at: daysFromNow(-41),
      }),
      seedKey("key-alpha-expired-1", "q3-migration", { created_at: daysFromNow(-70), expires_at: daysFromNow(-10) }),
      seedKey("key-alpha-active-3", "metrics-exporter", { created_at: daysFromNow(-60), expires_at: daysFromNow(365) }),
      // Revoked after it had already expired: must be listed as revoked, not expired.
      seedKey("key-alpha-revoked-2", "old-rotation", {
        created_at: daysFromNow(-50),
        expires_at: daysFromNow(-20),
        revoked_at: daysFromNow(-5),
      }),
      seedKey("key-alpha-expired-2", "trial", {
        created_at: daysFromNow(-40),
        expires_at: daysFromNow(-1),
        last_used_at: daysFromNow(-3),
      }),
      seedKey("key-alpha-active-4", "fresh-key", { created_at: daysFromNow(-1) }),
    ],
    "service-user-empty": [],
  };
}

/**
 * `count` generated keys, all in `status` (default "active"), oldest first. The status
 * is part of the id so that batches of different states can share one service user.
 * Plain objects with numeric fields and short strings: 100_000 keys take a few ms.
 */
export function makeKeys(count: number, status: KeyStatus = "active"): SandboxKey[] {
  const keys = new Array<SandboxKey>(count);
  const width = Math.max(6, String(count).length);
  for (let i = 0; i < count; i++) {
    const n = String(i + 1).padStart(width, "0");
    const created = SANDBOX_NOW - (count - i) * 60;
    keys[i] = {
      api_key_id: `key-${status}-${n}`,
      api_key_name: `generated-${status}-${n}`,
      created_at: created,
      expires_at: status === "expired" ? SANDBOX_NOW - 1 : null,
      revoked_at: status === "revoked" ? created + 30 : null,
      last_used_at: null,
      is_active: status === "active",
    };
  }
  return keys;
}
