// The grading process loads the guest builders, the native machine, the engines and the container and serverless models only when it builds a case or computes a reference number, never with the pipeline; the sandbox child's trap side loads no assembler; marked waits for an HTML page.
import { execa } from "execa";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureChildBuilt } from "./sandbox/built.js";
import { packageRoot } from "./sandbox/paths.js";

const root = packageRoot();
const dist = (p: string) => path.join(root, "dist", p);

/** A module hook that prints every file a process loads, one per line, prefixed "loaded ". */
const HOOKS = `export async function load(url, context, next) { if (url.startsWith("file:")) process.stdout.write("loaded " + url + "\\n"); return next(url, context); }`;
const REGISTER = `import { register } from "node:module"; register(${JSON.stringify("data:text/javascript," + encodeURIComponent(HOOKS))});`;

/** The dist files (relative to dist/) a fresh Node process has loaded after running `script`. */
async function loadedBy(script: string): Promise<string[]> {
  const { stdout } = await execa(process.execPath, ["--import", "data:text/javascript," + encodeURIComponent(REGISTER), "--input-type=module", "-e", script], { cwd: root });
  return stdout.split("\n").filter((l) => l.startsWith("loaded file://")).map((l) => path.relative(dist(""), new URL(l.slice("loaded ".length)).pathname));
}

const BUILDERS = ["src/isa/assembler.js", "src/guests/index.js", "src/analysis/generator.js", "src/vmm/native.js", "src/engines/registry.js", "src/engines/dbt.js"];

beforeAll(() => ensureChildBuilt(root), 120_000);

describe("the modules of a grading process", () => {
  it("leave out the assembler, the bundled guests, the generator, the native machine and the engines until a case is built", async () => {
    const loaded = await loadedBy(`await import(${JSON.stringify(dist("grader/src/deps.js"))}); await import(${JSON.stringify(dist("grader/src/grade.js"))}); await import(${JSON.stringify(dist("grader/src/lab/load.js"))});`);
    expect(loaded).toContain("grader/src/deps.js");
    expect(loaded.filter((f) => BUILDERS.includes(f))).toEqual([]);
  }, 60_000);

  it("leave out the container and serverless models (and the simulator under them) with every harness registered", async () => {
    const loaded = await loadedBy(`const h = await import(${JSON.stringify(dist("grader/src/harnesses/index.js"))}); if (h.harnessNames().length !== 4) throw new Error("harnesses: " + h.harnessNames());`);
    expect(loaded).toContain("grader/src/harnesses/containers.js");
    expect(loaded.filter((f) => /^src\/(containers|serverless|sim)\//.test(f))).toEqual([]);
  }, 60_000);

  it("load them when a guest is assembled and run natively (the control)", async () => {
    const loaded = await loadedBy(`const d = await import(${JSON.stringify(dist("grader/src/deps.js"))});
      const guest = await d.realFactory.assemble("_start:\\n  hlt\\n", "t.s", {});
      const cycles = await d.realTrusted.nativeCycles(guest, { profile: "strict", maxSteps: 1000, cost: {} });
      if (!(cycles > 0)) throw new Error("no cycles: " + cycles);`);
    expect(BUILDERS.filter((f) => !loaded.includes(f))).toEqual([]);
  }, 60_000);

  it("of the sandbox child's trap side leave out the assembler (the disassembler needs only its operand ranges) and the other harnesses' models", async () => {
    const loaded = await loadedBy(`await import(${JSON.stringify(dist("grader/src/sandbox/trap/child.js"))});`);
    expect(loaded).toContain("src/isa/disassembler.js");
    expect(loaded.filter((f) => f === "src/isa/assembler.js" || f === "src/isa/asm/parser.js" || /^src\/(containers|serverless|sim)\//.test(f) || f.startsWith("grader/src/sandbox/bt/"))).toEqual([]);
  }, 60_000);

  it("of the reporters leave out marked until an HTML page is rendered", async () => {
    const reporters = JSON.stringify(dist("grader/src/reporters/index.js"));
    const marked = (files: string[]) => files.filter((f) => f.includes("node_modules/marked/"));
    expect(marked(await loadedBy(`await import(${reporters});`))).toEqual([]);
    // The control: the first page rendered loads it and renders Markdown.
    const { stdout } = await execa(process.execPath, ["--input-type=module", "-e", `const h = await import(${JSON.stringify(dist("grader/src/reporters/html.js"))}); process.stdout.write(h.markdownToHtml("# vmlab"));`], { cwd: root });
    expect(stdout).toContain("<h1>vmlab</h1>");
  }, 60_000);

  it("of a lab's loading leave out ajv's compiler and the YAML parser once the validators and the parsed files are on disk", async () => {
    // The first process compiles the validators and parses lab.yaml and the suites, and keeps both (out/grader-cache/ajv/, yaml/); the second reads them.
    const script = `const { createRequire } = await import("node:module");
      const { loadLab } = await import(${JSON.stringify(dist("grader/src/lab/load.js"))});
      if (loadLab("01-trap-and-emulate").id !== "01-trap-and-emulate") throw new Error("not lab 01");
      for (const f of Object.keys(createRequire(import.meta.url).cache)) process.stdout.write("required " + f + "\\n");`;
    await loadedBy(script);
    const { stdout } = await execa(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    const required = stdout.split("\n").filter((l) => l.startsWith("required "));
    // The standalone validators' own runtime helpers are required: the listing does see CommonJS modules.
    expect(required.some((l) => l.includes("/ajv/dist/runtime/"))).toBe(true);
    expect(required.filter((l) => /\/ajv\/dist\/(ajv|core|compile\/index|standalone\/index)\.js$|\/ajv-formats\/dist\/index\.js$/.test(l))).toEqual([]);
    expect(required.filter((l) => l.includes("/node_modules/yaml/"))).toEqual([]);
  }, 60_000);
});
