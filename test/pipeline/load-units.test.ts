/**
 * In-process units of what the pipeline reads and how it resolves a `$ref`: stage 1
 * (scripts/build/load-inputs.ts: which files of spec/ are read, in which order, which are
 * refused), stage 3 (bundle-fragments.ts: each fragment bundled with the parts it `$ref`s) and
 * the resolver every Redocly call uses (spec-resolver.ts: only files inside spec/, never a URL).
 * Each test builds a small project in a temp folder; paths are passed explicitly (no chdir).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Config, createConfig, type Oas3Decorator, type Plugin } from "@redocly/openapi-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundleFragments } from "../../scripts/build/bundle-fragments.ts";
import { loadInputs, refuseNested } from "../../scripts/build/load-inputs.ts";
import { SpecResolver } from "../../scripts/build/spec-resolver.ts";
import { displayPath, type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { parseSourceFile, type SourceFile } from "../../scripts/shared/source-file.ts";
import { SPEC_REF_HINT } from "../../scripts/shared/untrusted-input.ts";
import { pipelineRejectionOf } from "./helpers.ts";

const FRAGMENT_HINT =
  "Move it up into spec/fragments/ (only the folder's own *.yaml files are read as fragments; a subfolder " +
  "holds parts that fragments `$ref`), or delete it.";
const OVERLAY_HINT =
  "Move it up into spec/overlays/ (only the folder's own *.yaml files are applied, in file-name order), or delete it.";
const BUNDLE_HINT = "Fix each $ref so that it names a file and a node that exist, then run `npm run generate` again.";
const CONFIG_HINT = "Fix redocly.yaml (and the plugin it loads, scripts/redocly/devin-plugin.js).";

/** A fragment with one GET operation at `/a/<name>`. */
const fragmentYaml = (name: string) =>
  `openapi: 3.1.0\ninfo:\n  title: ${name}\n  version: "1"\npaths:\n  /a/${name}:\n    get:\n      responses:\n        "204":\n          description: none\n`;
const overlayYaml = (title: string) =>
  `overlay: 1.0.0\ninfo:\n  title: ${title}\n  version: "1"\nactions:\n  - target: $.info\n    update:\n      x-by: ${title}\n`;

/** The resolver's refusal of a file or URL outside spec/, as `shown`. */
const refusal = (shown: string) => `refused to read ${shown}: it is outside spec/. ${SPEC_REF_HINT}`;

let root: string;
let layout: ProjectLayout;
/** Writes `text` to `rel` (below the project root), creating folders; returns its absolute path. */
async function put(rel: string, text: string): Promise<string> {
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}
const show = (file: string) => displayPath(layout, file);

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "devin-load-units-"));
  layout = projectLayout(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("loadInputs", () => {
  beforeEach(() => put("redocly.yaml", "rules:\n  info-contact: error\n"));

  it("reads the project's redocly.yaml, not the one of the working folder", async () => {
    const { config } = await loadInputs(layout);
    expect(config.configPath).toBe(layout.redoclyConfig);
    expect(config.rules.oas3_1["info-contact"]).toBe("error");
  });

  it("reads the YAML files of spec/fragments/ and spec/overlays/ in code-point order, and only those", async () => {
    await put("spec/fragments/b.yaml", fragmentYaml("b"));
    await put("spec/fragments/B.yaml", fragmentYaml("B"));
    await put("spec/fragments/a.yml", fragmentYaml("a"));
    await put("spec/fragments/shared.yaml", "Name:\n  type: string\n");
    await put("spec/fragments/notes.txt", "openapi: 3.1.0\n");
    await put("spec/fragments/b.yaml.orig", "openapi: 3.1.0\n");
    await put("spec/overlays/10-b.yaml", overlayYaml("ten"));
    await put("spec/overlays/02-a.yml", overlayYaml("two"));
    await put("spec/overlays/README.md", "overlay: 1.0.0\n");

    const inputs = await loadInputs(layout);
    expect(inputs.layout).toBe(layout);
    expect(inputs.fragments.map((f) => f.display)).toEqual([
      "spec/fragments/B.yaml",
      "spec/fragments/a.yml",
      "spec/fragments/b.yaml",
    ]);
    expect(inputs.parts.map((f) => [f.path, f.display, f.data])).toEqual([
      [path.join(layout.fragmentsDir, "shared.yaml"), "spec/fragments/shared.yaml", { Name: { type: "string" } }],
    ]);
    expect(inputs.overlays.map((f) => f.display)).toEqual(["spec/overlays/02-a.yml", "spec/overlays/10-b.yaml"]);
    expect(inputs.overlays[0]?.data).toEqual({
      overlay: "1.0.0",
      info: { title: "two", version: "1" },
      actions: [{ target: "$.info", update: { "x-by": "two" } }],
    });
    expect(inputs.nested).toEqual([]);
  });

  it("lists the YAML files of spec/fragments/'s subfolders, at any depth, without reading them as fragments", async () => {
    await put("spec/fragments/top.yaml", fragmentYaml("top"));
    const deep = await put("spec/fragments/topic/deep.yaml", "Deep:\n  type: string\n");
    const deeper = await put("spec/fragments/topic/more/deeper.yml", fragmentYaml("deeper"));
    await put("spec/fragments/topic/deep.yaml.orig", fragmentYaml("orig"));
    await put("spec/fragments/topic/README.md", "openapi: 3.1.0\n");
    await mkdir(path.join(layout.fragmentsDir, "topic", "folder.yaml"));
    // A subfolder of spec/overlays/ may hold YAML that is no overlay (shared actions, say).
    await put("spec/overlays/10-a.yaml", overlayYaml("ten"));
    await put("spec/overlays/shared/actions.yaml", "actions:\n  - target: $.info\n    remove: true\n");

    const inputs = await loadInputs(layout);
    expect(inputs.fragments.map((f) => f.display)).toEqual(["spec/fragments/top.yaml"]);
    expect(inputs.parts).toEqual([]);
    expect(inputs.overlays.map((f) => f.display)).toEqual(["spec/overlays/10-a.yaml"]);
    // The order of a folder listing is the file system's: compared as a set.
    expect([...inputs.nested].sort()).toEqual([deep, deeper].sort());
  });

  it("takes a folder named like a YAML file for a subfolder, and reads a fragment that is a symbolic link", async () => {
    await put("spec/fragments/a.yaml", fragmentYaml("a"));
    const part = await put("spec/fragments/shared.yaml/Item.yaml", "Item:\n  type: string\n");
    await put("spec/elsewhere/b.yaml", fragmentYaml("b"));
    await symlink(path.join(root, "spec/elsewhere/b.yaml"), path.join(layout.fragmentsDir, "b.yaml"));
    await symlink(path.join(root, "spec/elsewhere"), path.join(layout.fragmentsDir, "linked.yaml"));
    await put("spec/overlays/10-a.yaml", overlayYaml("ten"));
    await mkdir(path.join(layout.overlaysDir, "20-folder.yaml"));

    const inputs = await loadInputs(layout);
    expect(inputs.fragments.map((f) => f.display)).toEqual(["spec/fragments/a.yaml", "spec/fragments/b.yaml"]);
    expect(inputs.fragments[1]?.text).toBe(fragmentYaml("b"));
    expect(inputs.overlays.map((f) => f.display)).toEqual(["spec/overlays/10-a.yaml"]);
    expect(inputs.nested).toEqual([part]);
  });

  it("names a fragment it cannot read (a symbolic link that leads nowhere)", async () => {
    await put("spec/fragments/a.yaml", fragmentYaml("a"));
    await mkdir(layout.fragmentsDir, { recursive: true });
    await symlink(path.join(root, "spec/gone.yaml"), path.join(layout.fragmentsDir, "b.yaml"));
    const error = await pipelineRejectionOf(loadInputs(layout));
    expect(error.message).toBe("cannot read spec/fragments/b.yaml: ENOENT");
    expect(error.locations).toEqual([{ file: "spec/fragments/b.yaml" }]);
    expect(error.hint).toBe("Make it a readable file (a symbolic link must lead to one), or delete it.");
  });

  // A read of a FIFO would wait for a writer forever; POSIX only.
  it.skipIf(process.platform === "win32")(
    "refuses a FIFO named like a YAML file instead of waiting on it",
    async () => {
      await put("spec/fragments/a.yaml", fragmentYaml("a"));
      execFileSync("mkfifo", [path.join(layout.fragmentsDir, "pipe.yaml")]);
      const error = await pipelineRejectionOf(loadInputs(layout));
      expect(error.message).toBe("spec/fragments/pipe.yaml is not a regular file");
      expect(error.locations).toEqual([{ file: "spec/fragments/pipe.yaml" }]);
      expect(error.hint).toBe("Replace it with a YAML file, or delete it.");
    },
  );

  it("refuses a spec/overlays/ it cannot list (a file in its place) instead of applying no overlays", async () => {
    await put("spec/fragments/a.yaml", fragmentYaml("a"));
    await put("spec/overlays", "not a folder\n");
    const error = await pipelineRejectionOf(loadInputs(layout));
    expect(error.message).toBe("could not read spec/overlays/: ENOTDIR");
    expect(error.locations).toEqual([{ file: "spec/overlays" }]);
    expect(error.hint).toBe("It must be a folder you can read.");
  });

  it("reads a project without spec/overlays/, or without spec/fragments/ too, as one without them", async () => {
    await put("spec/fragments/a.yaml", fragmentYaml("a"));
    const withoutOverlays = await loadInputs(layout);
    expect(withoutOverlays.fragments.map((f) => f.display)).toEqual(["spec/fragments/a.yaml"]);
    expect(withoutOverlays.overlays).toEqual([]);

    await rm(path.join(root, "spec"), { recursive: true });
    const empty = await loadInputs(layout);
    expect([empty.fragments, empty.parts, empty.overlays, empty.nested]).toEqual([[], [], [], []]);
  });

  it("reads a file with CRLF line endings as LF text, at the same lines", async () => {
    const lf = `${fragmentYaml("a")}components: {}\n`;
    await put("spec/fragments/a.yaml", lf.replace(/\n/g, "\r\n"));
    const [fragment] = (await loadInputs(layout)).fragments;
    expect(fragment?.text).toBe(lf);
    expect(fragment?.data).toEqual(parseSourceFile("a.yaml", "a.yaml", lf).data);
    expect(fragment?.locate(["components"])).toEqual({ line: 11, column: 13 });
  });

  it("refuses an overlay filed in a subfolder, even when `overlay:` is not its first line and it has CRLF endings", async () => {
    await put("spec/overlays/10-a.yaml", overlayYaml("ten"));
    await put("spec/overlays/topic/20-b.yaml", `# filed by topic\n${overlayYaml("twenty")}`.replace(/\n/g, "\r\n"));
    const error = await pipelineRejectionOf(loadInputs(layout));
    expect(error.message).toBe("an overlay sits in a subfolder of spec/overlays/, which is not read");
    expect(error.locations).toEqual([{ file: "spec/overlays/topic/20-b.yaml" }]);
    expect(error.hint).toBe(OVERLAY_HINT);
  });

  it("refuses every overlay filed in subfolders at once, in code-point order", async () => {
    await put("spec/overlays/b/30.yaml", overlayYaml("b"));
    await put("spec/overlays/a/deep/40.yml", overlayYaml("a"));
    await put("spec/overlays/B/50.yaml", overlayYaml("B"));
    const error = await pipelineRejectionOf(loadInputs(layout));
    expect(error.message).toBe("3 overlays sit in a subfolder of spec/overlays/, which is not read");
    expect(error.locations).toEqual([
      { file: "spec/overlays/B/50.yaml" },
      { file: "spec/overlays/a/deep/40.yml" },
      { file: "spec/overlays/b/30.yaml" },
    ]);
    expect(error.hint).toBe(OVERLAY_HINT);
  });

  it("names an invalid YAML fragment with its file, line and column", async () => {
    await put("spec/fragments/a.yaml", fragmentYaml("a"));
    await put("spec/fragments/bad.yaml", "openapi: 3.1.0\ninfo: [unclosed\npaths: {}\n");
    const error = await pipelineRejectionOf(loadInputs(layout));
    expect(error.message).toBe(
      "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n" +
        "    1 | openapi: 3.1.0\n" +
        "    2 | info: [unclosed\n" +
        "  > 3 | paths: {}\n" +
        "      | ^",
    );
    expect(error.locations).toEqual([{ file: "spec/fragments/bad.yaml", line: 3, column: 1 }]);
  });

  it("fails with the loader's reason when redocly.yaml cannot be loaded, or is missing", async () => {
    await put("redocly.yaml", "plugins:\n  - ./missing-plugin.js\n");
    const broken = await pipelineRejectionOf(loadInputs(layout));
    expect(broken.message).toBe('cannot load the lint configuration: Plugin "./missing-plugin.js" not found.');
    expect(broken.locations).toEqual([{ file: "redocly.yaml" }]);
    expect(broken.hint).toBe(CONFIG_HINT);

    await rm(layout.redoclyConfig);
    const missing = await pipelineRejectionOf(loadInputs(layout));
    expect(missing.message).toBe(
      `cannot load the lint configuration: ENOENT: no such file or directory '${layout.redoclyConfig}'`,
    );
    expect(missing.locations).toEqual([{ file: "redocly.yaml" }]);
    expect(missing.hint).toBe(CONFIG_HINT);
  });
});

describe("refuseNested", () => {
  it("names each file that declares the key at the start of a line, in code-point order, whatever order it is given", async () => {
    const files = [
      await put("spec/fragments/sub/z.yaml", "# moved here\nopenapi: 3.1.0\n"),
      await put("spec/fragments/sub/part.yaml", "components:\n  openapi: 3.1.0\n"),
      await put("spec/fragments/sub/C.yaml", "openapi : 3.1.0\n"),
      await put("spec/fragments/sub/version.yaml", "openapi_version: 3.1.0\n"),
      await put("spec/fragments/sub/a.yaml", "openapi:\r\n  3.1.0\r\n"),
    ];
    const error = await pipelineRejectionOf(refuseNested(files, "openapi", show));
    expect(error.message).toBe("3 fragments sit in a subfolder of spec/fragments/, which is not read");
    expect(error.locations).toEqual([
      { file: "spec/fragments/sub/C.yaml" },
      { file: "spec/fragments/sub/a.yaml" },
      { file: "spec/fragments/sub/z.yaml" },
    ]);
    expect(error.hint).toBe(FRAGMENT_HINT);
  });

  it("says `a fragment` for one, and passes files that declare no such key", async () => {
    const part = await put("spec/fragments/sub/part.yaml", "Name:\n  type: string\n");
    await expect(refuseNested([part], "openapi", show)).resolves.toBeUndefined();
    const fragment = await put("spec/fragments/sub/one.yaml", fragmentYaml("one"));
    const error = await pipelineRejectionOf(refuseNested([part, fragment], "openapi", show));
    expect(error.message).toBe("a fragment sits in a subfolder of spec/fragments/, which is not read");
    expect(error.locations).toEqual([{ file: "spec/fragments/sub/one.yaml" }]);
  });
});

describe("SpecResolver", () => {
  it("reads a file inside spec/, with CRLF turned into LF", async () => {
    const file = await put("spec/fragments/parts/name.yaml", "Name:\r\n  type: string\r\n");
    const source = await new SpecResolver(layout).loadExternalRef(file);
    expect([source.absoluteRef, source.body]).toEqual([file, "Name:\n  type: string\n"]);
  });

  it.each(["https://example.com/spec/fragments/a.yaml", "http://127.0.0.1:9/a.yaml"])(
    "refuses the URL %s, named as it is",
    async (url) => {
      await expect(new SpecResolver(layout).loadExternalRef(url)).rejects.toThrow(new Error(refusal(url)));
    },
  );

  it("refuses a file outside spec/, named relative to the project root", async () => {
    const outside = await put("secrets.yaml", "token: x\n");
    const beside = await put("spec-old/fragments/a.yaml", fragmentYaml("a"));
    const resolver = new SpecResolver(layout);
    await expect(resolver.loadExternalRef(outside)).rejects.toThrow(new Error(refusal("secrets.yaml")));
    await expect(resolver.loadExternalRef(beside)).rejects.toThrow(new Error(refusal("spec-old/fragments/a.yaml")));
  });

  it("refuses a path outside spec/ even when a symbolic link makes it lead into spec/", async () => {
    const target = await put("spec/fragments/parts/name.yaml", "Name:\n  type: string\n");
    const link = path.join(root, "elsewhere", "name.yaml");
    await mkdir(path.dirname(link));
    await symlink(target, link);
    await expect(new SpecResolver(layout).loadExternalRef(link)).rejects.toThrow(
      new Error(refusal("elsewhere/name.yaml")),
    );
  });

  it("refuses a path inside spec/ whose symbolic link leads outside, named as the path", async () => {
    const secret = await put("secrets.yaml", "token: x\n");
    const link = path.join(layout.fragmentsDir, "parts", "name.yaml");
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(secret, link);
    await expect(new SpecResolver(layout).loadExternalRef(link)).rejects.toThrow(
      new Error(refusal("spec/fragments/parts/name.yaml")),
    );
  });

  it("lets Redocly report a missing file inside spec/, also when spec/ itself is missing", async () => {
    const missing = path.join(layout.fragmentsDir, "missing.yaml");
    await mkdir(layout.fragmentsDir, { recursive: true });
    const noSuchFile = {
      message: `ENOENT: no such file or directory '${missing}'`,
      originalError: { code: "ENOENT", path: missing },
    };
    await expect(new SpecResolver(layout).loadExternalRef(missing)).rejects.toMatchObject(noSuchFile);
    await rm(path.join(root, "spec"), { recursive: true });
    await expect(new SpecResolver(layout).loadExternalRef(missing)).rejects.toMatchObject(noSuchFile);
  });

  // Redocly passes only absolute paths and http(s) URLs; called directly, a relative path is a
  // path (from the working folder), with or without a colon in it, never a URL.
  it.each(["parts/name.yaml", "parts/name:v2.yaml", "./c:name.yaml"])(
    "takes the relative path %s for a path, not a URL",
    async (ref) => {
      const shown = path.relative(root, path.resolve(ref)).split(path.sep).join("/");
      await expect(new SpecResolver(layout).loadExternalRef(ref)).rejects.toThrow(new Error(refusal(shown)));
    },
  );
});

describe("bundleFragments", () => {
  /** The line of an unresolved `$ref`, naming its target. */
  const unresolved = (target: string, reason: string) => `Can't resolve $ref \`${target}\`: ${reason}`;
  /** Decorators that report what an operation's summary asks for, at the severity the config gives them. */
  const reporter =
    (wanted: string, report: { message: string; location?: { pointer: undefined } }): Oas3Decorator =>
    () => ({
      Operation: {
        leave(operation, ctx) {
          if (operation.summary === wanted) ctx.report(report);
        },
      },
    });
  const plugin: Plugin = {
    id: "test",
    decorators: {
      oas3: {
        warn: reporter("warn", { message: "a warning from a decorator" }),
        error: reporter("error", { message: "an error from a decorator" }),
        unplaced: reporter("unplaced", { message: "an error without a pointer", location: { pointer: undefined } }),
      },
    },
  };
  let config: Config;
  let resolver: SpecResolver;
  beforeEach(async () => {
    config = await createConfig(
      { plugins: [plugin], decorators: { "test/warn": "warn", "test/error": "error", "test/unplaced": "error" } },
      { configPath: layout.redoclyConfig },
    );
    resolver = new SpecResolver(layout, config.resolve);
  });

  /** Writes a file of spec/fragments/ and parses it as stage 1 does. */
  async function source(name: string, text: string): Promise<SourceFile> {
    const file = await put(`spec/fragments/${name}`, text);
    return parseSourceFile(file, show(file), text);
  }
  /** A fragment whose one operation has `summary` and answers 200 with `schemaRef`. */
  const operationFragment = (name: string, summary: string, schemaRef = "#/components/schemas/S") =>
    source(
      `${name}.yaml`,
      `openapi: 3.1.0\ninfo:\n  title: ${name}\n  version: "1"\npaths:\n  /a/${name}:\n    get:\n      summary: ${summary}\n` +
        `      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n` +
        `              schema:\n                $ref: "${schemaRef}"\ncomponents:\n  schemas:\n    S:\n      type: string\n`,
    );
  const okData = (name: string, summary: string, schema: unknown) => ({
    openapi: "3.1.0",
    info: { title: name, version: "1" },
    paths: {
      [`/a/${name}`]: {
        get: {
          summary,
          responses: { "200": { description: "ok", content: { "application/json": { schema } } } },
        },
      },
    },
    components: { schemas: { S: { type: "string" } } },
  });

  it("bundles each fragment with the parts it $refs, beside it or in a subfolder, when no nested files are given", async () => {
    await put("spec/fragments/topic/name.yaml", "type: string\nmaxLength: 5\n");
    const shared = await source("shared.yaml", "Id:\n  $ref: ./topic/name.yaml\n");
    const a = await operationFragment("a", "first", "./shared.yaml#/Id");
    const b = await operationFragment("b", "second");
    const bundled = await bundleFragments([a, b], [shared], config, resolver);
    expect(bundled.map((f) => [f.path, f.display, f.text])).toEqual([a, b].map((f) => [f.path, f.display, f.text]));
    expect(bundled.map((f) => f.data)).toEqual([
      {
        ...okData("a", "first", { $ref: "#/components/schemas/name" }),
        components: { schemas: { S: { type: "string" }, name: { type: "string", maxLength: 5 } } },
      },
      okData("b", "second", { $ref: "#/components/schemas/S" }),
    ]);
  });

  it("does not refuse a nested file a fragment references, even one that declares `openapi`", async () => {
    const common = await put(
      "spec/fragments/topic/common.yaml",
      "openapi: 3.1.0\ninfo:\n  title: shared\n  version: '1'\ncomponents:\n  schemas:\n    Name:\n      type: string\n",
    );
    const part = await put("spec/fragments/topic/unused.yaml", "Unused:\n  type: string\n");
    const a = await operationFragment("a", "first", "./topic/common.yaml#/components/schemas/Name");
    const bundled = await bundleFragments([a], [], config, resolver, { nested: [common, part], root });
    expect(bundled.map((f) => f.data)).toEqual([
      {
        ...okData("a", "first", { $ref: "#/components/schemas/Name" }),
        components: { schemas: { S: { type: "string" }, Name: { type: "string" } } },
      },
    ]);
  });

  it("refuses a nested fragment no fragment references, named relative to `root`", async () => {
    const lost = await put("spec/fragments/topic/lost.yaml", fragmentYaml("lost"));
    const a = await operationFragment("a", "first");
    const error = await pipelineRejectionOf(bundleFragments([a], [], config, resolver, { nested: [lost], root }));
    expect(error.message).toBe("a fragment sits in a subfolder of spec/fragments/, which is not read");
    expect(error.locations).toEqual([{ file: "spec/fragments/topic/lost.yaml" }]);
    expect(error.hint).toBe(FRAGMENT_HINT);
  });

  it("refuses a part beside the fragments that none of them references", async () => {
    const used = await source("used.yaml", "Id:\n  type: string\n");
    const orphan = await source("orphan.yaml", "Old:\n  type: string\n");
    const a = await operationFragment("a", "first", "./used.yaml#/Id");
    const error = await pipelineRejectionOf(bundleFragments([a], [orphan, used], config, resolver));
    expect(error.message).toBe("not a fragment (no top-level `openapi` key) and not referenced by any fragment");
    expect(error.locations).toEqual([{ file: "spec/fragments/orphan.yaml", line: 1 }]);
  });

  it("passes a fragment on which bundling only warns", async () => {
    const a = await operationFragment("a", "warn");
    const [bundled] = await bundleFragments([a], [], config, resolver);
    expect(bundled?.data).toEqual(okData("a", "warn", { $ref: "#/components/schemas/S" }));
  });

  it("fails on every error of bundling: each message on its own line, each at its pointer in the fragment (`#/` if none)", async () => {
    const a = await operationFragment("a", "warn");
    const b = await operationFragment("b", "error");
    const first = await pipelineRejectionOf(bundleFragments([a, b], [], config, resolver));
    expect(first.message).toBe("bundling failed:\n    an error from a decorator");
    expect(first.locations).toEqual([{ file: "spec/fragments/b.yaml", pointer: "#/paths/~1a~1b/get" }]);
    expect(first.hint).toBe(BUNDLE_HINT);

    // Two errors in one fragment.
    const both = await source(
      "both.yaml",
      `openapi: 3.1.0\ninfo:\n  title: both\n  version: "1"\npaths:\n` +
        `  /x:\n    get:\n      summary: error\n      responses:\n        "204":\n          description: none\n` +
        `  /y:\n    get:\n      summary: unplaced\n      responses:\n        "204":\n          description: none\n`,
    );
    const second = await pipelineRejectionOf(bundleFragments([both], [], config, resolver));
    expect(second.message).toBe("bundling failed:\n    an error from a decorator\n    an error without a pointer");
    expect(second.locations).toEqual([
      { file: "spec/fragments/both.yaml", pointer: "#/paths/~1x/get" },
      { file: "spec/fragments/both.yaml", pointer: "#/" },
    ]);
    expect(second.hint).toBe(BUNDLE_HINT);
  });

  it("fails on a $ref to a missing file, to a file outside spec/, or to invalid YAML, at the $ref", async () => {
    await put("outside.yaml", "X:\n  type: string\n");
    await put("spec/fragments/parts/broken.yaml", "X: [unclosed\nY: 1\n");
    const a = await source(
      "a.yaml",
      `openapi: 3.1.0\ninfo:\n  title: a\n  version: "1"\npaths:\n  /a:\n    get:\n      responses:\n` +
        `        "200":\n          $ref: ./missing.yaml\n        "201":\n          $ref: ../../outside.yaml#/X\n` +
        `        "202":\n          $ref: ./parts/broken.yaml#/X\n`,
    );
    const error = await pipelineRejectionOf(bundleFragments([a], [], config, resolver));
    const missing = path.join(layout.fragmentsDir, "missing.yaml");
    const broken = path.join(layout.fragmentsDir, "parts", "broken.yaml");
    const yamlError = `deficient indentation in "${broken}" (2:1)`;
    expect(error.message.split("\n    ")).toEqual([
      "bundling failed:",
      unresolved("./missing.yaml", `ENOENT: no such file or directory '${missing}'`),
      unresolved("../../outside.yaml#/X", refusal("outside.yaml")),
      `Failed to parse: ${yamlError}`,
      unresolved("./parts/broken.yaml#/X", yamlError),
    ]);
    expect(error.locations).toEqual([
      { file: "spec/fragments/a.yaml", pointer: "#/paths/~1a/get/responses/200" },
      { file: "spec/fragments/a.yaml", pointer: "#/paths/~1a/get/responses/201" },
      { file: "spec/fragments/a.yaml", pointer: "#/" },
      { file: "spec/fragments/a.yaml", pointer: "#/paths/~1a/get/responses/202" },
    ]);
    expect(error.hint).toBe(BUNDLE_HINT);
  });

  // `errors.map(problemMessage)` once passed each error's index as problemMessage's `parsed`
  // argument, so the pointer was looked up in a number and the target never named.
  it("names the target of a $ref it cannot resolve", async () => {
    const a = await operationFragment("a", "first", "./missing.yaml");
    const error = await pipelineRejectionOf(bundleFragments([a], [], config, resolver));
    expect(error.message).toBe(
      "bundling failed:\n    Can't resolve $ref `./missing.yaml`: ENOENT: no such file or directory " +
        `'${path.join(layout.fragmentsDir, "missing.yaml")}'`,
    );
  });
});
