/** The shapes written to bench/results.json and printed as the table. */

export interface Row {
  section: string;
  label: string;
  /** Median of the samples, in `unit`. */
  median: number;
  unit: "ms" | "B" | "MB";
  samples: number[];
  /** `median / baseline median`, when the row is compared with another. */
  ratio?: number;
  ratioTo?: string;
  note?: string;
  /** Other medians of the same runs (peak memory, per-step times). */
  extra?: Record<string, number | string>;
}

export interface TargetResult {
  section: string;
  name: string;
  actual: number;
  limit: number;
  unit: string;
  met: boolean;
  /** e.g. "met: 0.42× ≤ 0.5×" or "MISSED by 1.60× (+133%): 2.80× > 1.2×". */
  verdict: string;
}

export interface SectionResult {
  rows: Row[];
  targets: TargetResult[];
  notes: string[];
}

/** A "lower is better" target: how far over the limit, as a factor and a percentage. */
export function checkTarget(section: string, name: string, actual: number, limit: number, unit: string): TargetResult {
  const met = actual <= limit;
  const show = (v: number) => `${Number(v.toFixed(2))}${unit}`;
  const verdict = met
    ? `met: ${show(actual)} ≤ ${show(limit)}`
    : `MISSED by ${(actual / limit).toFixed(2)}× (+${Math.round((actual / limit - 1) * 100)}%): ${show(actual)} > ${show(limit)}`;
  return { section, name, actual, limit, unit, met, verdict };
}
