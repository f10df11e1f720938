// The notebook scripts (scripts/jupyter-env.mjs, shared by `npm run notebook` and `npm run notebooks:html`) name a malformed notebook in one message, without a stack trace.
// (These tests live beside the notebooks the scripts serve: scripts/ is outside vitest's include list.)
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module without type declarations
import { KERNEL_PACKAGE, SetupError, readNotebook, root, runScript, unnumberedPrompts, writeKernelPackage } from "../scripts/jupyter-env.mjs";

function notebookFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "vmlab-nb-")), "broken.ipynb");
  writeFileSync(path, text);
  return path;
}

/** Run `main` through runScript with captured output; returns what was printed and the exit code. */
async function script(main: () => unknown, env: Record<string, string> = {}) {
  const printed: string[] = [];
  let code = -1;
  await runScript(main, { error: (t: string) => void printed.push(t), exit: (c: number) => void (code = c), env });
  return { printed, code };
}

describe("reading a notebook", () => {
  it.each([
    ["JSON that does not parse", '{"cells": [ {"cell_type": "code"', /its JSON does not parse/],
    ["JSON that is not an object", "[1, 2]", /it is not a JSON object/],
    ["an object without cells", '{"metadata": {}}', /it has no "cells" array/],
    ["a cell without a type", '{"cells": [{"source": "x"}]}', /cell 0 has no cell_type/],
    ["a cell without source text", '{"cells": [{"cell_type": "code", "source": 3}]}', /cell 0 has no source text/],
  ])("refuses %s, naming the file, with exit code 2", (_what, text, why) => {
    const path = notebookFile(text);
    let error: unknown;
    try {
      readNotebook(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a valid notebook: `));
    expect((error as Error).message).toMatch(why);
    expect((error as { exitCode: number }).exitCode).toBe(2);
  });

  it("reads a well-formed notebook", () => {
    expect(readNotebook(notebookFile('{"cells": [{"cell_type": "markdown", "source": ["# hi"]}]}')).cells).toHaveLength(1);
  });
});

describe("running a script", () => {
  it("prints a SetupError as one error: line and exits with its code", async () => {
    const r = await script(() => {
      throw new SetupError("notebooks/x.ipynb is not a valid notebook: it has no \"cells\" array", 2);
    });
    expect(r).toEqual({ printed: ['error: notebooks/x.ipynb is not a valid notebook: it has no "cells" array'], code: 2 });
  });

  it("reports anything else as an internal error with exit 70, and the stack only with VMLAB_DEBUG", async () => {
    const boom = () => {
      throw new TypeError("cells is not iterable");
    };
    const quiet = await script(boom);
    expect(quiet.code).toBe(70);
    expect(quiet.printed).toHaveLength(1);
    expect(quiet.printed[0]).toMatch(/^internal error: cells is not iterable\n/);
    expect(quiet.printed[0]).not.toMatch(/\n\s+at /);
    const debug = await script(boom, { VMLAB_DEBUG: "1" });
    expect(debug.printed[1]).toMatch(/\n\s+at /);
  });

  it("exits with what main returns", async () => {
    expect((await script(() => 0)).code).toBe(0);
  });
});

describe("checking an exported page", () => {
  it("counts the input prompts that show no execution count", () => {
    const page = '<div class="jp-InputPrompt">In&nbsp;[3]:</div><div class="jp-InputPrompt">In&nbsp;[&nbsp;]:</div><div class="jp-InputPrompt">In&nbsp;[&nbsp;]:</div>';
    expect(unnumberedPrompts(page)).toBe(2);
    expect(unnumberedPrompts('<div>In&nbsp;[1]:</div>')).toBe(0);
  });
});

describe("showing the package to the notebooks' kernel", () => {
  /** What the kernel's type checker (node10, as tslab runs it) finds for a specifier in a notebook; dist/ files count as built. */
  function kernelResolves(specifier: string): string | undefined {
    const host = {
      fileExists: (f: string) => (f.startsWith(join(root, "dist") + "/") ? f.endsWith(".d.ts") && existsSync(join(root, f.slice(root.length + 6).replace(/\.d\.ts$/, ".ts"))) : ts.sys.fileExists(f)),
      readFile: ts.sys.readFile,
    };
    return ts.resolveModuleName(specifier, join(root, "notebooks", "cell.ts"), { moduleResolution: ts.ModuleResolutionKind.Node10 }, host).resolvedModule?.resolvedFileName;
  }

  it("writes notebooks/node_modules/vmlab/package.json, through which vmlab and its subpaths resolve to the built declarations", () => {
    writeKernelPackage();
    writeKernelPackage();
    expect(JSON.parse(readFileSync(join(KERNEL_PACKAGE, "package.json"), "utf8"))).toMatchObject({ name: "vmlab", types: "../../../dist/src/index.d.ts" });
    expect(["vmlab", "vmlab/notebook", "vmlab/isa", "vmlab/handlers", "vmlab/grader", "vmlab/internal"].map(kernelResolves)).toEqual(
      ["src/index", "src/notebook/index", "src/isa/index", "src/handlers", "grader/src/index", "src/internal"].map((f) => join(root, "dist", `${f}.d.ts`)),
    );
  });
});
