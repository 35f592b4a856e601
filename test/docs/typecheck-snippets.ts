/**
 * Type-checks snippets with the TypeScript compiler API, in memory and in one program: the
 * project's own tsconfig.json (strict, exactOptionalPropertyTypes, ...), with `devin-api-client`
 * resolved to src/index.ts as a reader's installed package would be to its build. TypeScript
 * snippets get the full check; JavaScript ones only the syntax check (they are not `checkJs`).
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { Snippet } from "./extract-snippets.ts";

// As CommonJS, as scripts/build/typecheck.ts loads it: faster than through the ESM loader.
const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");

const REPO = path.resolve(import.meta.dirname, "../..");
/** Where the snippets seem to sit: inside the project, so its package.json (ESM) and node_modules apply. */
const VIRTUAL_DIR = path.join(REPO, "test", "docs", "__snippets__");
const EXTENSIONS = { ts: ".ts", mjs: ".mjs", cjs: ".cjs" } as const;

/** Each snippet's compiler errors, as `file:line:column TSnnnn message`, by snippet id (none: []). */
export function typecheckSnippets(snippets: readonly Snippet[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(REPO, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (config === undefined) throw new Error("cannot read tsconfig.json");
  const options: import("typescript").CompilerOptions = {
    ...config.options,
    noEmit: true,
    allowJs: true,
    checkJs: false,
    paths: { "devin-api-client": [path.join(REPO, "src", "index.ts")] },
  };

  const byFile = new Map<string, Snippet>();
  for (const [n, snippet] of snippets.entries()) {
    const name = `${snippet.file.replace(/[^\w.-]+/g, "_")}-${snippet.line}-${n}${EXTENSIONS[snippet.language]}`;
    byFile.set(path.join(VIRTUAL_DIR, name), snippet);
  }
  // `export {}` makes every TypeScript snippet a module of its own: a snippet without an import
  // would otherwise be a script, and its top-level names would clash with the next one's.
  const textOf = (file: string) => {
    const snippet = byFile.get(file);
    if (snippet === undefined) return undefined;
    return snippet.language === "ts" ? `${snippet.code}export {};\n` : snippet.code;
  };

  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, version, onError, create) => {
    const text = textOf(path.resolve(file));
    return text === undefined
      ? getSourceFile(file, version, onError, create)
      : ts.createSourceFile(file, text, version);
  };
  host.fileExists = (file) => byFile.has(path.resolve(file)) || fileExists(file);
  host.readFile = (file) => textOf(path.resolve(file)) ?? readFile(file);

  const program = ts.createProgram({ rootNames: [...byFile.keys()], options, host });
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) throw new Error(ts.formatDiagnostics(global, formatHost));

  const results = new Map<string, string[]>();
  for (const [file, snippet] of byFile) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`the snippet ${snippet.id} is not in the program`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...(snippet.language === "ts" ? program.getSemanticDiagnostics(source) : []),
    ];
    results.set(
      snippet.id,
      diagnostics.map((d) => {
        const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n    ");
        return `${snippet.file}:${snippet.line + 1 + line}:${character + 1} TS${d.code}: ${message}`;
      }),
    );
  }
  return results;
}

const formatHost: import("typescript").FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => REPO,
  getNewLine: () => "\n",
};
