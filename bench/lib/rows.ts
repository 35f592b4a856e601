/** Turns alternated samples into table rows. */
import type { Measured } from "./measure.ts";
import type { Row } from "./results.ts";
import { median, round } from "./stats.ts";

export function timeRow(section: string, label: string, samples: readonly Measured[], note?: string): Row {
  const rss = samples.flatMap((s) => (s.maxRssMb === undefined ? [] : [s.maxRssMb]));
  return {
    section,
    label,
    median: round(median(samples.map((s) => s.ms)), 1),
    unit: "ms",
    samples: samples.map((s) => round(s.ms, 1)),
    ...(rss.length > 0 && { extra: { maxRssMb: round(median(rss), 1) } }),
    ...(note !== undefined && { note }),
  };
}

/** Sets `ratio` on `row` against `baseline` (both medians). */
export function compare(row: Row, baseline: Row): Row {
  row.ratio = round(row.median / baseline.median, 3);
  row.ratioTo = baseline.label;
  return row;
}
