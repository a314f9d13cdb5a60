import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

export const REPO = resolve(import.meta.dirname, '..', '..');
/** Virtual files live here: inside the repo, so `@mparticle/web-sdk` resolves from its node_modules. */
export const VIRTUAL_DIR = join(REPO, 'test', '.virtual');

export interface Diag {
  file: string;
  line: number;
  code: number;
  message: string;
}

/** Type-check in-memory files (name → text) with the given options; returns every diagnostic. */
export function typecheck(files: Record<string, string>, options: ts.CompilerOptions): Diag[] {
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(VIRTUAL_DIR, name), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.getSourceFile = (name, lang, ...rest) => {
    const text = virtual.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, lang) : getSourceFile.call(host, name, lang, ...rest);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.directoryExists = (d) => d === VIRTUAL_DIR || dirname(VIRTUAL_DIR) === d || (directoryExists ? directoryExists.call(host, d) : true);
  host.getCurrentDirectory = () => VIRTUAL_DIR;
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: { ...options, noEmit: true }, host });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return {
      file: d.file ? d.file.fileName.replace(`${VIRTUAL_DIR}/`, '') : '',
      line: pos ? pos.line + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
}

/** What `tsc --strict` means, plus the stricter flags projects turn on. */
export const STRICT: ts.CompilerOptions = {
  strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true, skipLibCheck: true, noUnusedLocals: true, noUnusedParameters: true, exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true, noPropertyAccessFromIndexSignature: true, types: [],
};
