/**
 * N per-endpoint fragments in the docs' format, made from the shape of our own list
 * fragment: each gets its own path and operationId, and all share identical components
 * (the join keeps those once), as real docs pages do.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { REPO } from "./paths.ts";

const TEMPLATE = path.join(REPO, "spec/fragments/handle-list-service-user-api-keys.yaml");

export async function writeSyntheticFragments(dir: string, count: number): Promise<void> {
  const template = parse(await readFile(TEMPLATE, "utf8")) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  const [[route, item]] = Object.entries(template.paths) as [[string, Record<string, { operationId: string }>]];
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(width, "0");
    const copy = structuredClone(item);
    for (const operation of Object.values(copy)) operation.operationId = `${operation.operationId}_r${n}`;
    const fragment = { ...template, paths: { [route.replace("/enterprise/", `/enterprise/r${n}/`)]: copy } };
    await writeFile(path.join(dir, `endpoint-${n}.yaml`), stringify(fragment));
  }
}
