// Compile a submission in the trusted parent: type-check it against the handler API and emit JavaScript for the sandbox.
//
// The student's files live in a virtual file system: the compiler host serves them, the `vmlab`
// module (the lab's harness API: for trap labs the handler API src/vmm/api.ts plus the architecture
// constants src/isa/arch.ts — FLAG, VECTOR, CR_INDEX, SP, csSelector, ...) and TypeScript's own lib
// files, and nothing else — an `import "../../grader/hidden/suite"` or a
// `/// <reference path="/etc/passwd" />` finds no file. Starter files import the API one way:
// `import type { TrapHandlers, VirtualCpu } from "vmlab";` — the same names the full package exports, so
// a starter that compiles locally compiles here; the machine itself is not importable.
//
// Output is one CommonJS function body per file (`exports`, `require`, `module` in scope), with an
// inline source map so the sandbox can point at the student's TypeScript line. The sandbox evaluates
// these bodies in a SES Compartment with a `require` that only knows the submission's own files and
// `vmlab`; there is no module loader to reach anything else.
//
// Speed: parsed lib and API source files are kept in a `CompileCache` (immutable data, reused across
// submissions); a warm compile of one handlers file takes tens of milliseconds.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts, { type TypeScript } from "./typescript.js";
import type { CompileDiagnostic, CompileResult } from "../contract.js";
import type { ApiSources } from "../harnesses/harness.js";
import { typeApiOf } from "../harnesses/type-apis.js";
import { packageRoot } from "./paths.js";
import { prepareForSes } from "./ses-source.js";
import { inlineSourceMap } from "./stack.js";

export type { CompileDiagnostic, CompileResult };

/** Size limits: the type checker runs in the grader's own process, so a submission may not be arbitrarily large. */
export const MAX_FILE_CHARS = 256 * 1024;
export const MAX_TOTAL_CHARS = 1024 * 1024;

/** The module name the handler API is imported from. */
export const API_MODULE = "vmlab";

/** Where the virtual files live (never a real directory). */
const SUBMISSION_DIR = "/submission/";
const VMLAB_DIR = "/__vmlab__/";
const API_INDEX = VMLAB_DIR + "index.ts";
const GLOBALS_FILE = VMLAB_DIR + "sandbox-globals.d.ts";

/** The globals the sandbox gives student code besides the language's own (see child.ts): a console that goes nowhere visible. */
const SANDBOX_GLOBALS = `// What the grader's sandbox provides besides the language built-ins.
interface SandboxConsole {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}
declare var console: SandboxConsole;
`;

/** Compiler options: what the sandbox can run (ES2022, CommonJS bodies) and the kit's strictness. */
const COMPILER_OPTIONS: TypeScript.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ["lib.es2022.d.ts"],
  types: [],
  strict: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  skipLibCheck: true,
  esModuleInterop: false,
  isolatedModules: true,
  inlineSourceMap: true,
  inlineSources: false,
  // SES refuses some character sequences even inside comments (`// user --> kernel`): emit none.
  removeComments: true,
  noEmitOnError: false,
  baseUrl: "/",
  paths: { [API_MODULE]: [API_INDEX] },
  newLine: ts.NewLineKind.LineFeed,
  outDir: "/__out__/",
};

/** Parsed source files that do not depend on the submission: TypeScript's libs, the API, the sandbox globals. */
export interface CompileCache {
  readonly files: Map<string, TypeScript.SourceFile>;
  /** The sources behind `vmlab` per harness, loaded once. */
  readonly apiSources: Map<string, ApiSources>;
}

export function createCompileCache(): CompileCache {
  return { files: new Map(), apiSources: new Map() };
}

export interface CompileOptions {
  /** The file holding the handlers, a key of `files` (e.g. `handlers.ts`). */
  readonly entry: string;
  /** Reuse parsed libs across submissions (default: a cache shared by this module's callers). */
  readonly cache?: CompileCache;
  /** The lab's harness, whose API `vmlab` is (default: trap). */
  readonly harness?: string;
  /** The API sources to compile against (default: the harness's, from the vmlab package). */
  readonly apiSources?: ApiSources;
}

/** A memo of immutable parsed lib files; reusing it across submissions is what makes compiles fast. */
const sharedCache = createCompileCache();

/** The name a compiled file gets in `CompileResult.js`: `handlers.ts` → `handlers.js`. */
export function jsName(file: string): string {
  return file.replace(/\.(m|c)?tsx?$/, ".js");
}

/** Type-check a submission against the handler API and emit one CommonJS body per file. */
export function compileSubmission(files: Record<string, string>, options: CompileOptions): CompileResult {
  const cache = options.cache ?? sharedCache;
  const diagnostics: CompileDiagnostic[] = [];
  const names = Object.keys(files);
  for (const name of names) {
    if (!isPlainFileName(name)) {
      diagnostics.push({ file: name, line: 1, column: 1, code: "SUBMISSION_BAD_NAME", message: `'${name}' is not a file name the grader accepts: use a relative path of letters, digits, '-', '_', '.' and '/' ending in .ts` });
    }
  }
  let total = 0;
  for (const name of names) {
    const size = files[name]!.length;
    total += size;
    if (size > MAX_FILE_CHARS) {
      diagnostics.push({ file: name, line: 1, column: 1, code: "SUBMISSION_TOO_LARGE", message: `'${name}' has ${size} characters; a submitted file may have at most ${MAX_FILE_CHARS}` });
    }
  }
  if (total > MAX_TOTAL_CHARS) {
    diagnostics.push({ file: options.entry, line: 1, column: 1, code: "SUBMISSION_TOO_LARGE", message: `the submission has ${total} characters in all; at most ${MAX_TOTAL_CHARS} are accepted` });
  }
  if (!Object.hasOwn(files, options.entry)) {
    diagnostics.push({ file: options.entry, line: 1, column: 1, code: "SUBMISSION_NO_ENTRY", message: `the submission has no file '${options.entry}'${names.length ? ` (it has ${names.map((n) => `'${n}'`).join(", ")})` : ""}` });
  }
  if (diagnostics.length) return { ok: false, js: {}, diagnostics };

  const harnessName = options.harness ?? "trap";
  const harness = typeApiOf(harnessName);
  let apiSources = options.apiSources ?? cache.apiSources.get(harnessName);
  if (!apiSources) cache.apiSources.set(harnessName, (apiSources = harness.apiSources(packageRoot())));
  const api = apiSources;
  const apiIndex = Object.keys(api.files).map((f) => `export * from "./${jsName(f)}";\n`).join("");
  const vmlabFile = (f: string): string | undefined =>
    f === API_INDEX ? apiIndex : f.startsWith(VMLAB_DIR) && Object.hasOwn(api.files, f.slice(VMLAB_DIR.length)) ? api.files[f.slice(VMLAB_DIR.length)] : f === GLOBALS_FILE ? SANDBOX_GLOBALS : undefined;
  const virtual = new Map<string, string>();
  for (const name of names) virtual.set(SUBMISSION_DIR + name, files[name]!);
  const libDir = path.dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS));

  const host: TypeScript.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const own = virtual.get(fileName);
      if (own !== undefined) return ts.createSourceFile(fileName, own, languageVersion, true);
      const cached = options.apiSources ? undefined : cache.files.get(harnessName + ":" + fileName);
      if (cached) return cached;
      const text = vmlabFile(fileName) ?? readLib(libDir, fileName);
      if (text === undefined) return undefined;
      // No parent pointers up front: the binder sets them for every file anyway, and lib.es2022's are many.
      // JSDoc parsed only where a type error can depend on it (as tsc does since TypeScript 5.3): in a
      // .ts or .d.ts file, only comments with @see or @link; the libs' thousands of doc comments are skipped.
      const file = ts.createSourceFile(fileName, text, { ...(typeof languageVersion === "object" ? languageVersion : { languageVersion }), jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors }, false);
      if (!options.apiSources) cache.files.set(harnessName + ":" + fileName, file);
      return file;
    },
    getDefaultLibFileName: (o) => path.join(libDir, ts.getDefaultLibFileName(o)),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => SUBMISSION_DIR,
    getDirectories: () => [],
    fileExists: (f) => virtual.has(f) || vmlabFile(f) !== undefined || readLib(libDir, f) !== undefined,
    readFile: (f) => virtual.get(f) ?? vmlabFile(f) ?? readLib(libDir, f),
    directoryExists: (d) => d === "/" || SUBMISSION_DIR.startsWith(d.endsWith("/") ? d : d + "/") || [...virtual.keys()].some((f) => f.startsWith(d.endsWith("/") ? d : d + "/")) || d.startsWith(libDir),
    realpath: (f) => f,
    resolveModuleNames: (moduleNames, containingFile) =>
      moduleNames.map((name) => {
        const inApi = containingFile.startsWith(VMLAB_DIR) && name.startsWith("./") && Object.hasOwn(api.files, name.slice(2).replace(/\.js$/, ".ts"));
        if (inApi || harness.isApiSpecifier(name)) {
          const resolvedFileName = inApi ? VMLAB_DIR + name.slice(2, -3) + ".ts" : API_INDEX;
          return { resolvedFileName, extension: ts.Extension.Ts, isExternalLibraryImport: false };
        }
        return ts.resolveModuleName(name, containingFile, COMPILER_OPTIONS, host).resolvedModule;
      }),
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };

  const rootNames = [...names.filter((n) => /\.tsx?$/.test(n)).map((n) => SUBMISSION_DIR + n), GLOBALS_FILE];
  const program = ts.createProgram({ rootNames, options: COMPILER_OPTIONS, host });
  // Types are checked in the submission's own files, in the program's order. The API's sources are the
  // grader's own, which its build checks: checking their bodies again for every submission was about 18 ms
  // of a compile's 240. The libs and the sandbox globals are declaration files, which skipLibCheck leaves alone anyway.
  const semantic = program.getSourceFiles().filter((f) => virtual.has(f.fileName)).flatMap((f) => program.getSemanticDiagnostics(f));
  const all = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSyntacticDiagnostics(), ...semantic];
  let errors = 0;
  for (const d of all) {
    if (d.category === ts.DiagnosticCategory.Error) errors++;
    diagnostics.push(toDiagnostic(d));
  }

  const js: Record<string, string> = {};
  for (const name of names) {
    if (!/\.tsx?$/.test(name)) continue;
    const source = program.getSourceFile(SUBMISSION_DIR + name);
    if (!source) continue;
    program.emit(source, (fileName, text) => {
      if (!fileName.endsWith(".js")) return;
      const prepared = prepareForSes(text);
      js[jsName(name)] = prepared.js;
      const map = prepared.rejected.length ? inlineSourceMap(text, jsName(name)) : undefined;
      for (const r of prepared.rejected) {
        errors++;
        const line = (map?.lines[r.line - 1]?.[0]?.line ?? r.line - 1) + 1;
        diagnostics.push({ file: name, line, column: 1, code: "SANDBOX_SYNTAX", message: `${r.rule}: ${r.fix}` });
      }
    });
  }
  const ok = errors === 0 && jsName(options.entry) in js;
  return { ok, js, diagnostics };
}

/** Read one of TypeScript's lib files (only those: never anything else on disk). */
function readLib(libDir: string, fileName: string): string | undefined {
  if (path.dirname(fileName) !== libDir || !/^lib\.[\w.]+\.d\.ts$/.test(path.basename(fileName))) return undefined;
  try {
    return readFileSync(fileName, "utf8");
  } catch {
    return undefined;
  }
}

export type { ApiSources };

function isPlainFileName(name: string): boolean {
  return /^[\w-][\w.-]*(\/[\w-][\w.-]*)*$/.test(name) && !name.split("/").includes("..") && /\.(ts|d\.ts)$/.test(name);
}

function toDiagnostic(d: TypeScript.Diagnostic): CompileDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const code = `TS${d.code}`;
  if (!d.file || d.start === undefined) return { file: "", line: 1, column: 1, message, code };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const file = d.file.fileName.startsWith(SUBMISSION_DIR) ? d.file.fileName.slice(SUBMISSION_DIR.length) : d.file.fileName.startsWith(VMLAB_DIR) ? API_MODULE : path.basename(d.file.fileName);
  return { file, line: line + 1, column: character + 1, message, code };
}
