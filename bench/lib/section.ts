/** What every section gets from bench/run.ts, and what it hands back. */
import type { SectionResult } from "./results.ts";

export interface BenchOptions {
  /** Fewer rounds and calls: a smoke run that still prints every row. */
  quick: boolean;
  /** Progress lines go to stderr so stdout stays the table. */
  log(line: string): void;
  /** A git ref whose scripts/ to time beside the working tree's in the scale section. */
  baselineRef: string | undefined;
}

export interface Section {
  name: string;
  title: string;
  run(options: BenchOptions): Promise<SectionResult>;
}
