// The package's public API: the curated root entry (pinned, every name documented), the labs' student APIs inside it, and one export map for the repository, its handouts and the notebooks.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { vmlabRoot } from "../src/core/package-root.js";
import { harnessNames, harnessOf } from "../grader/src/harnesses/index.js";
import { handoutManifest, shippedInHandout, type PackageManifest } from "../grader/src/lab/release.js";

const ROOT = vmlabRoot();
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageManifest & {
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
};

/** The names an entry module exports, as the TypeScript compiler sees them, with whether each carries a doc comment where it is declared. */
function entryExports(file: string): { name: string; documented: boolean }[] {
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ["node"], skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(moduleSymbol).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return { name: s.name, documented: ts.displayPartsToString(target.getDocumentationComment(checker)).trim() !== "" };
  });
}

/** The names a module's own top-level declarations export (the lab API files declare what they export). */
function declaredExports(source: string): string[] {
  const file = ts.createSourceFile("api.ts", source, ts.ScriptTarget.ES2022);
  const exported = (s: ts.Statement) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return file.statements.filter(exported).flatMap((s) => {
    if (ts.isVariableStatement(s)) return s.declarationList.declarations.map((d) => d.name.getText(file));
    const name = (s as ts.DeclarationStatement).name;
    return name ? [name.getText(file)] : [];
  });
}

/** What `vmlab` exports: a new name is a reviewed change to this list (and needs a doc comment where it is declared). */
const ROOT_NAMES = [
    "AWS_KEEP_ALIVE_MS", "AZURE_KEEP_ALIVE_MS", "AppKeepAlive", "BinaryTranslationMonitor", "BinaryTranslator", "BtCounters",
    "CONTAINERS_LAB_FUNCTIONS", "CONTAINER_SERVICE", "CR0", "CR_INDEX", "CR_NAMES", "Container", "ContainerService",
    "ContainerServiceOptions", "ContainersLab", "ContextFile", "CpuGroup", "CrName", "DockerHost", "EVERY_EVENT_EXITS", "Engine",
    "EntryType", "FLAG", "FLAGS_MASK", "FsError", "FunctionPlatform", "GATE", "GuestEvent", "HANDLER_NAMES", "HandlerName",
    "INLINE_FORMS", "INSTRUCTIONS", "IOPL_SHIFT", "IRQ", "KeepAlivePolicy", "KeepAliveWindows", "KernelInstruction",
    "LAMBDA_PRICING_2019", "LAMBDA_PRICING_2021", "LayerView", "NUM_REGS", "OciMember", "Overlay", "PAGE_OFFSET_MASK",
    "PAGE_SHIFT", "PAGE_SIZE", "PDE_SHIFT", "PF_ERR", "PORT", "PROFILES", "PTE", "PT_INDEX_MASK", "PYTHON_FUNCTION_WITH_INSTALL",
    "SP", "STATUS_MASK", "SYSCALL_REG", "Simulation", "TRANSLATIONS", "TraceBuilder", "Translation", "TranslationPolicy",
    "TrapHandlers", "TrappedInstruction", "UpperLayer", "VECTOR", "VECTOR_NAMES", "VM_SERVICE", "VirtualControlRegisters",
    "VirtualCpu", "VirtualFlags", "VirtualIo", "VirtualRegisters", "Visible", "allCalloutPolicy", "assemble", "billFunction",
    "bootAssembly", "btSession", "buildGuest", "calibrate", "caseBody", "checkEquivalence", "checkLabCase", "classify",
    "closedLoop", "coldStartBreakdown", "coldStartMs", "coldStartSources", "comparePolicies", "compareVmsAndContainers",
    "createMachine", "csSelector", "dbt", "decode", "defaultCostModel", "disassembleOne", "dockerBuild", "emulatingHandlers",
    "fixedKeepAlive", "formatLabDivergence", "gateErrorCode", "hex", "historyRows", "humanSize", "hybridHistogramPolicy",
    "latencySummary", "loadCaseFiles", "monitorTrapHandlers", "namespaceInodes", "noUnloading", "pidNamespaceFacts",
    "policyByName", "procSelfNamespaces", "readTrace", "referencePolicy", "replayWithPolicy", "runBinaryTranslation", "runBorg",
    "runNative", "runOpenLambda", "runTraceWithPolicy", "runTrapAndEmulate", "sideBySideBill", "spec", "steadyState",
    "sweepOpenLambda", "traceLength", "translatorSession", "vcpusFor", "vectorName"
];

describe("the root entry, vmlab", () => {
  const root = entryExports(join(ROOT, "src", "index.ts"));

  it("exports exactly the pinned names", () => {
    expect(root.map((e) => e.name).sort()).toEqual(ROOT_NAMES);
  });

  it("documents every name it exports where the name is declared", () => {
    expect(root.filter((e) => !e.documented).map((e) => e.name)).toEqual([]);
  });

  it.each(harnessNames())("holds every name of the %s harness's student API, so a handout's editor accepts what the grader compiles", (harness) => {
    const names = new Set(root.map((e) => e.name));
    const api = Object.values(harnessOf(harness).apiSources(ROOT).files).flatMap(declaredExports);
    expect(api.length).toBeGreaterThan(0);
    expect(api.filter((n) => !names.has(n))).toEqual([]);
  });
});

describe("the export map", () => {
  const subpaths = Object.entries(pkg.exports).filter((e): e is [string, { types: string; default: string }] => typeof e[1] !== "string");

  it("names the root, the labs', the notebooks', the instruction set's, the grader's and the internal entries", () => {
    expect(subpaths.map(([s]) => s).sort()).toEqual([".", "./grader", "./handlers", "./internal", "./isa", "./notebook"]);
  });

  it.each(subpaths)("builds %s from a source file, declarations beside the code", (_subpath, target) => {
    const source = target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");
    expect(existsSync(join(ROOT, source)), source).toBe(true);
    expect(target.types).toBe(target.default.replace(/\.js$/, ".d.ts"));
  });

  it("gives classic (node10) resolution, which the notebooks' tslab kernel uses, the same subpaths through typesVersions", () => {
    expect(pkg.typesVersions).toEqual({ "*": Object.fromEntries(subpaths.filter(([s]) => s !== ".").map(([s, t]) => [s.slice(2), [t.types]])) });
  });

  it("is the same in a released handout, whose vmlab ships every file the map points at", () => {
    const handout = handoutManifest(pkg) as typeof pkg;
    expect([handout.exports, handout.typesVersions, handout.main, handout.types]).toEqual([pkg.exports, pkg.typesVersions, pkg.main, pkg.types]);
    const targets = subpaths.flatMap(([, t]) => [t.types, t.default]).map((t) => t.replace(/^\.\/dist\//, ""));
    expect(targets.filter((t) => !shippedInHandout(t))).toEqual([]);
  });
});
