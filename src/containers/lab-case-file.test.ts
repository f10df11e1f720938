// Lab 04's case files: overlay and cgroup cases read into plain data, and every mistake named by file and line with the fix.
import { describe, expect, it } from "vitest";
import { CaseFileError, parseCaseFile } from "./lab-case-file.js";

const problem = (text: string): CaseFileError => {
  try {
    parseCaseFile(text, "cases/x.yaml");
  } catch (e) {
    if (e instanceof CaseFileError) return e;
    throw e;
  }
  throw new Error("parsed without a problem");
};

describe("lab 04 case files", () => {
  it("read an overlay case: layers bottom first, operations in order, the first comment as its description", () => {
    const r = parseCaseFile(`# appends copy up\nlayers:\n  - files: { /etc/hosts: "a\\n" }\n    dirs: [/srv]\n  - whiteouts: [/srv]\nops:\n  - append: /etc/hosts\n    text: "b"\n  - list: /\n`, "c.yaml");
    expect(r.describe).toBe("appends copy up");
    expect(r.case).toEqual({
      kind: "overlay",
      layers: [{ files: { "/etc/hosts": "a\n" }, dirs: ["/srv"], whiteouts: [], opaque: [] }, { files: {}, dirs: [], whiteouts: ["/srv"], opaque: [] }],
      ops: [{ op: "append", path: "/etc/hosts", text: "b" }, { op: "list", path: "/" }],
    });
  });

  it("read a cgroup case into a tree with cpu.weight 100, cap max and no threads by default", () => {
    const r = parseCaseFile(`cpus: 2\ncgroups:\n  /a: { weight: 200 }\n  /a/b: { threads: 2, cap: 0.5 }\n`, "c.yaml");
    expect(r.case).toEqual({
      kind: "cgroups", cpus: 2,
      root: { path: "/", weight: 100, cap: null, threads: 0, children: [{ path: "/a", weight: 200, cap: null, threads: 0, children: [{ path: "/a/b", weight: 100, cap: 0.5, threads: 2, children: [] }] }] },
    });
  });

  it("name the file and line of an unknown operation, a path that is not absolute, a write without content and an unknown key", () => {
    expect(problem(`layers:\n  - files: {}\nops:\n  - lookup: /a\n  - rename: /a\n`).message).toBe("cases/x.yaml:5: names no operation (rename)");
    expect(problem(`layers:\n  - files: {}\nops:\n  - lookup: etc/hosts\n`).message).toMatch(/^cases\/x\.yaml:4: "etc\/hosts" is not an absolute, normalised path$/);
    const noContent = problem(`layers:\n  - files: {}\nops:\n  - write: /a\n`);
    expect(noContent.message).toBe("cases/x.yaml:4: write needs content: (a string)");
    expect(noContent.hint).toBe('add content: "..." below write:');
    expect(noContent.code).toBe("LAB_CASE_INVALID");
    expect(problem(`layers:\n  - files: {}\n    dir: [/a]\nops: []\n`).message).toBe("cases/x.yaml:3: has an unknown key 'dir'");
  });

  it("name every problem of a file at once, each with its line and its fix", () => {
    const e = problem(`layers:\n  - files: { etc/hosts: "a" }\nops:\n  - lookup: /a\n  - frobnicate: /b\n  - write: /c\n`);
    expect(e.message).toBe([
      "3 problems:",
      '  cases/x.yaml:2: "etc/hosts" is not an absolute, normalised path (write paths like "/etc/hosts" (no trailing slash, no . or ..))',
      "  cases/x.yaml:5: names no operation (frobnicate) (give exactly one of lookup, list, write, append, mkdir, remove)",
      '  cases/x.yaml:6: write needs content: (a string) (add content: "..." below write:)',
    ].join("\n"));
    expect(e.hint).toBe("fix each line above");
    const c = problem(`cpus: 0\ncgroups:\n  /a: { weight: 0 }\n  /b/c: {}\n`);
    expect(c.message.split("\n").map((l) => l.replace(/ \(.*$/, ""))).toEqual(["3 problems:", "  cases/x.yaml:1: 0 is not a number of CPUs", "  cases/x.yaml:3: weight 0 is outside cpu.weight's range", "  cases/x.yaml:4: the parent of /b/c, /b, is not declared"]);
  });

  it("refuse a cgroup whose parent is not declared, a weight outside 1–10000, and YAML that does not parse", () => {
    expect(problem(`cpus: 1\ncgroups:\n  /a/b: { threads: 1 }\n`).message).toBe("cases/x.yaml:3: the parent of /a/b, /a, is not declared");
    expect(problem(`cpus: 1\ncgroups:\n  /a: { weight: 0 }\n`).message).toBe("cases/x.yaml:3: weight 0 is outside cpu.weight's range");
    expect(problem(`layers: [\n`).message).toMatch(/^cases\/x\.yaml:\d+: /);
  });
});
