/**
 * Injected faults: an ordered list of rules, each hitting the next `times` matching
 * requests. The first matching rule (in order of addition) wins, one fault per request.
 */
import type { Fault, FaultRule } from "./types.ts";

interface ActiveRule {
  fault: Fault;
  remaining: number;
  method: string | undefined;
  pathIncludes: string | undefined;
}

export class FaultQueue {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const remaining = rule.times ?? 1;
    if (!(remaining >= 1)) throw new RangeError(`FaultRule.times must be >= 1 or Infinity, got ${String(rule.times)}`);
    this.#rules.push({
      fault: rule.fault,
      remaining,
      method: rule.method?.toUpperCase(),
      pathIncludes: rule.pathIncludes,
    });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault for this request, if any, consuming one use of its rule. */
  take(method: string, target: string): Fault | undefined {
    const index = this.#rules.findIndex(
      (rule) =>
        (rule.method === undefined || rule.method === method) &&
        (rule.pathIncludes === undefined || target.includes(rule.pathIncludes)),
    );
    const rule = this.#rules[index];
    if (rule === undefined) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.#rules.splice(index, 1);
    return rule.fault;
  }
}
