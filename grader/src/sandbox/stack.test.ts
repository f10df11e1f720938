// Pointing at the student's TypeScript line from a stack trace of compiled code.
import { describe, expect, it } from "vitest";
import { compileSubmission } from "./compile.js";
import { inlineSourceMap, locate } from "./stack.js";

describe("locate", () => {
  const source = `import type { TrapHandlers } from "vmlab";

export const handlers: TrapHandlers = {
  cli(vcpu) {
    const broken: number = 1;
    throw new Error("boom " + broken);
  },
};
`;
  const js = compileSubmission({ "handlers.ts": source }, { entry: "handlers.ts" }).js["handlers.js"]!;
  const map = inlineSourceMap(js, "handlers.js")!;
  const maps = new Map([["handlers.js", map]]);
  const jsLine = js.split("\n").findIndex((l) => l.includes("throw new Error")) + 1;
  const jsColumn = js.split("\n")[jsLine - 1]!.indexOf("throw") + 1;

  it("maps the first frame in a compiled student file back to the TypeScript line and column", () => {
    const stack = `Error: boom 1\n  at cli (handlers.js:${jsLine}:${jsColumn})\n  at file:///vmlab/dist/grader/src/sandbox/confine.js:200:9`;
    expect(map.source).toBe("handlers.ts");
    expect(locate(stack, maps)).toBe("handlers.ts:6:5");
  });

  it("ignores frames of the grader's own files and says nothing when no student frame is there", () => {
    expect(locate("Error\n  at run (file:///vmlab/dist/grader/src/sandbox/child.js:10:3)", maps)).toBeUndefined();
  });

  it("reads a stack whose message is 200 000 characters of one word in linear time, and still finds the student frame below it", () => {
    const stack = `Error: ${"a".repeat(200_000)}\n  at cli (handlers.js:${jsLine}:${jsColumn})`;
    expect(locate(stack, maps)).toBe("handlers.ts:6:5");
    expect(locate("x".repeat(200_000) + ".js:1:1", maps)).toBeUndefined();
  });
});
