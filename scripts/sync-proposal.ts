/**
 * npm run sync:proposal -- --out <dir> [--generate-error <file>] [--root <dir>]
 * For the docs-sync workflow, after `spec:pull` and `generate`: writes the proposal (sync.patch,
 * title.txt, body.md) into <dir> when spec/ or generated/ changed, and prints `changed=true` or
 * `changed=false` (a line for $GITHUB_OUTPUT). With --generate-error, generate failed and the file
 * holds its stderr: the proposal carries the pulled spec/ and says why generated/ is stale.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { runCli, usageError } from "./shared/cli.ts";
import { makeProposal } from "./sync/proposal.ts";

const command = {
  usage: "npm run sync:proposal -- --out <dir> [--generate-error <file>] [--root <dir>]",
  options: { out: { type: "string" }, "generate-error": { type: "string" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  const out = values.out;
  if (!out) throw usageError("command line: --out <dir> is required", command);
  const errorFile = values["generate-error"];
  const generateError = errorFile === undefined ? undefined : await readFile(errorFile, "utf8");
  const proposal = await makeProposal(layout, generateError === undefined ? {} : { generateError });
  if (!proposal.changed) {
    console.log("changed=false");
    return 0;
  }
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "sync.patch"), proposal.patch);
  await writeFile(path.join(out, "title.txt"), `${proposal.title}\n`);
  await writeFile(path.join(out, "body.md"), proposal.body);
  console.error(`${proposal.title}\n${proposal.files.map((f) => `  ${f}`).join("\n")}`);
  console.log("changed=true");
  return 0;
});
