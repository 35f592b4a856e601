/** `npm run bench -- [--quick] [--only a,b] [--baseline <git-ref>] [--out <file>]` */
import { parseArgs } from "node:util";

export interface BenchArgs {
  quick: boolean;
  only: string[] | undefined;
  baselineRef: string | undefined;
  out: string;
}

export function benchArgs(argv: string[], sections: readonly string[], defaultOut: string): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      baseline: { type: "string" },
      out: { type: "string" },
    },
  });
  const only = values.only?.flatMap((o) => o.split(",")).filter(Boolean);
  const unknown = only?.filter((o) => !sections.includes(o)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`unknown section ${unknown.join(", ")}: choose from ${sections.join(", ")}`);
  }
  return { quick: values.quick ?? false, only, baselineRef: values.baseline, out: values.out ?? defaultOut };
}
