/**
 * A/B(/C...) runs in alternation: round r runs every variant once, starting at a different
 * variant each round, so a burst of load from another tenant hits all variants alike.
 */
export interface Variant<T> {
  name: string;
  run(): Promise<T>;
}

export async function alternate<T>(
  variants: readonly Variant<T>[],
  rounds: number,
  onSample?: (variant: string, round: number, sample: T) => void,
): Promise<Map<string, T[]>> {
  const samples = new Map<string, T[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length] as Variant<T>;
      const sample = await variant.run();
      samples.get(variant.name)?.push(sample);
      onSample?.(variant.name, round, sample);
    }
  }
  return samples;
}
