// Solution regions: the starter replaces each region with a throw naming its handler, and unpaired markers are caught.
import { describe, expect, it } from "vitest";
import { findRegions, hasSolutionMarker, makeStarter, regionBodies } from "./regions.js";

const solution = `import { FLAG } from "../../src/index.js";
import type { TrapHandlers, VirtualCpu } from "../../src/index.js";

export const handlers: TrapHandlers = {
  cli(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.flags.IF = false;
    // END SOLUTION
    vcpu.skip();
  },
  popf(vcpu) {
    // BEGIN SOLUTION
    const v = vcpu.pop();
    vcpu.flags.word = v & FLAG.IF;
    // END SOLUTION
    vcpu.skip();
  },
};
`;

describe("solution regions", () => {
  it("find each region with the handler it belongs to", () => {
    expect(findRegions(solution, "handlers.ts")).toEqual([
      { begin: 6, end: 8, handler: "cli" },
      { begin: 12, end: 15, handler: "popf" },
    ]);
  });

  it("become YOUR CODE HERE and a throw in the starter, which imports from vmlab", () => {
    const starter = makeStarter(solution, "handlers.ts");
    expect(starter).toContain(`  cli(vcpu: VirtualCpu) {\n    // YOUR CODE HERE\n    throw new Error("not implemented: cli");\n    vcpu.skip();`);
    expect(starter).toContain(`throw new Error("not implemented: popf");`);
    expect(starter).toContain(`import { FLAG } from "vmlab";`);
    expect(hasSolutionMarker(starter)).toBe(false);
    expect(starter).not.toContain("vcpu.flags.IF = false");
  });

  it("hand back the hidden code for leak checks", () => {
    expect(regionBodies(solution, "handlers.ts")[0]).toBe("    vcpu.flags.IF = false;");
  });

  it("name every unpaired marker at once", () => {
    const bad = "// BEGIN SOLUTION\nx\n// BEGIN SOLUTION\ny\n// END SOLUTION\n// END SOLUTION\n// END SOLUTION\n";
    expect(() => findRegions(bad, "h.ts")).toThrow(/h.ts:3: BEGIN SOLUTION inside the region opened at line 1[\s\S]*h.ts:7: END SOLUTION without a BEGIN SOLUTION/);
  });
});
