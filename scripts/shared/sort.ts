/**
 * Compares strings by UTF-16 code unit, never by locale: the one order every list the pipeline
 * emits or reads in sequence uses, so output is the same on every machine.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
