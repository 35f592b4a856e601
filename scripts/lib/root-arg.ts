/** `--root <dir>` lets tests run a script against a temporary copy of the project. */
export function rootArg(args: readonly string[]): string {
  const i = args.indexOf("--root");
  if (i === -1) return process.cwd();
  const dir = args[i + 1];
  if (!dir) throw new Error("--root needs a folder");
  return dir;
}
