import path from "node:path";
import ts from "typescript";
import { type ErrorLocation, PipelineError } from "./pipeline-error.ts";

/**
 * Type-checks generated TypeScript in memory with the same strictness as the project, so a
 * broken generator output fails generate instead of reaching generated/.
 */
export function typecheckInMemory(files: ReadonlyMap<string, string>, displayDir: string): void {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ["lib.es2022.d.ts"],
    types: [],
    skipLibCheck: true,
  };
  const root = path.resolve("/__generated__");
  const virtual = new Map([...files].map(([name, text]) => [path.join(root, name), text]));
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.resolve(fileName));
    return text === undefined
      ? getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile.call(host, f);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length === 0) return;
  const locations: ErrorLocation[] = [];
  const messages: string[] = [];
  for (const d of diagnostics.slice(0, 20)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    messages.push(`TS${d.code}: ${message}`);
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      locations.push({
        file: `${displayDir}/${path.relative(root, d.file.fileName)}`,
        line: line + 1,
        column: character + 1,
      });
    }
  }
  throw new PipelineError(`generated TypeScript does not type-check:\n    ${messages.join("\n    ")}`, locations);
}
