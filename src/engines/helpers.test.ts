// The helper registry: it knows every helper a template uses, and what it says each helper reads and changes holds when the helpers run.
import { beforeAll, describe, expect, it } from "vitest";
import { INSTRUCTIONS } from "../isa/table.js";
import { Machine } from "../machine/machine.js";
import { NO_EXITS } from "../machine/exit-policy.js";
import { isVmlabError } from "../core/errors.js";
import { fuzzCase } from "./fuzz.js";
import { HELPERS, helperSpec, LOOP_STATE, type LoopState } from "./helpers.js";
import { reference } from "./reference.js";
import { helperUses } from "./template.js";
import { templateCode } from "./codegen.js";

describe("the helper registry", () => {
  it("declares every machine helper and field a template of the instruction table uses, as the template uses it", () => {
    const unknown: string[] = [];
    for (const s of INSTRUCTIONS) {
      for (const use of helperUses(s.exec)) {
        const h = HELPERS[use.name];
        if (!h) unknown.push(`${s.name}: m.${use.name}`);
        else if ((use.kind === "call") !== (h.kind === "method") || (use.kind === "write" && !h.writable)) unknown.push(`${s.name}: m.${use.name} (${use.kind})`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("finds calls, field reads and field writes in a template", () => {
    expect(helperUses("if (STRICT) m.needCpl0(); m.idtr = R[a] >>> 0; R[b] = m.cr0 & m.cs();")).toEqual([
      { name: "needCpl0", kind: "call" }, { name: "idtr", kind: "write" }, { name: "cr0", kind: "read" }, { name: "cs", kind: "call" },
    ]);
  });

  it("refuses a template that calls a helper it does not declare, naming the template and the nearest helper", () => {
    let error: unknown;
    try {
      templateCode("R[a] = m.portInn(imm);", "IN's template");
    } catch (e) {
      error = e;
    }
    expect(isVmlabError(error) && error.code).toBe("ENGINE_UNKNOWN_HELPER");
    expect(String((error as Error).message)).toBe("IN's template uses m.portInn, which the helper registry (src/engines/helpers.ts) does not declare");
    expect(isVmlabError(error) && error.hint).toBe("did you mean 'portIn'?");
    expect(() => templateCode("m.idtr();", "a template")).toThrow(/calls m\.idtr, which the helper registry declares as a writable field/);
    expect(() => templateCode("m.cr0 = 1;", "a template")).toThrow(/assigns m\.cr0/);
    expect(() => helperSpec("toString", "a template")).toThrow(/does not declare/);
  });

  it("gives event forms that call only Machine methods and read only Machine fields", () => {
    const m = new Machine();
    const forms = Object.entries(HELPERS).flatMap(([name, h]) => (h.event ? [[name, h.event(["3", "next"], "break out;")] as const] : []));
    expect(forms.map(([name]) => name)).toEqual(["needCpl0", "needIopl", "halt", "softInt", "trap", "vmcall"]);
    for (const [name, text] of forms) {
      for (const use of helperUses(text)) {
        const value = use.kind === "call" ? (Machine.prototype as unknown as Record<string, unknown>)[use.name] : (m as unknown as Record<string, unknown>)[use.name];
        expect(typeof value, `${name}'s event form uses m.${use.name}`).toBe(use.kind === "call" ? "function" : "number");
      }
    }
  });

  it("names only Machine methods as methods and Machine fields as fields", () => {
    const m = new Machine();
    for (const [name, h] of Object.entries(HELPERS)) {
      if (h.kind === "method") expect(typeof (Machine.prototype as unknown as Record<string, unknown>)[name], name).toBe("function");
      else expect(typeof (m as unknown as Record<string, unknown>)[name], name).toBe("number");
    }
  });
});

/** The machine fields behind each class of loop state (registers are watched through a proxy). */
const FIELDS: Record<Exclude<LoopState, "regs">, readonly string[]> = {
  pc: ["pc"], time: ["time"], deadline: ["checkAt"], flags: ["fop", "fres", "fa", "fb", "fstat"], masks: ["readMask", "writeMask"],
};

/** What the helpers did while a machine ran, attributed to the outermost helper on the stack. */
interface Effects {
  readonly calls: Map<string, number>;
  /** Loop state a helper read before it changed it (what a stale local would have corrupted). */
  readonly reads: Map<string, Set<LoopState>>;
  /** Loop state a helper left changed. */
  readonly writes: Map<string, Set<LoopState>>;
  /** Instructions fetched, by opcode (so forms that always fault count too). */
  readonly started: Float64Array;
}

/**
 * Instrument a machine: every registered method becomes a wrapper on the instance, and every loop-state
 * field an accessor, so reads and changes inside a helper are seen. The engine's own accesses (outside
 * any helper) are not recorded.
 */
function instrument(m: Machine, effects: Effects): void {
  const stack: { name: string; assigned: Set<LoopState>; before: number[] }[] = [];
  const snapshot = () => [...LOOP_STATE.flatMap((s) => (s === "regs" ? [] : FIELDS[s].map((f) => (m as unknown as Record<string, number>)[f]!))), ...Array.from(regs)];
  const add = (map: Map<string, Set<LoopState>>, name: string, s: LoopState) => {
    const set = map.get(name) ?? new Set<LoopState>();
    set.add(s);
    map.set(name, set);
  };
  const read = (s: LoopState) => {
    const top = stack[0];
    if (top && !top.assigned.has(s)) add(effects.reads, top.name, s);
  };
  const assign = (s: LoopState) => stack[0]?.assigned.add(s);
  for (const [s, fields] of Object.entries(FIELDS) as [Exclude<LoopState, "regs">, readonly string[]][]) {
    for (const f of fields) {
      let v = (m as unknown as Record<string, number>)[f]!;
      Object.defineProperty(m, f, {
        get: () => (read(s), v),
        set: (x: number) => {
          assign(s);
          v = x;
        },
      });
    }
  }
  const regs = m.R;
  const proxy = new Proxy(regs, {
    get: (t, k) => {
      if (typeof k === "string" && /^\d+$/.test(k)) {
        read("regs");
        return t[Number(k)];
      }
      const v = Reflect.get(t, k, t);
      return typeof v === "function" ? v.bind(t) : v;
    },
    set: (t, k, v) => {
      if (typeof k === "string" && /^\d+$/.test(k)) assign("regs");
      return Reflect.set(t, k, v, t);
    },
  });
  Object.defineProperty(m, "R", { value: proxy });
  for (const [name, h] of Object.entries(HELPERS)) {
    if (h.kind !== "method") continue;
    const original = (Machine.prototype as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
    Object.defineProperty(m, name, {
      value: function (this: Machine, ...args: unknown[]) {
        const outer = stack.length === 0;
        if (outer) {
          effects.calls.set(name, (effects.calls.get(name) ?? 0) + 1);
          stack.push({ name, assigned: new Set(), before: snapshot() });
        }
        try {
          const result = original.apply(this, args);
          if (name === "fetch") effects.started[(result as number) >>> 24]!++;
          return result;
        } finally {
          if (outer) {
            const frame = stack.pop()!;
            const after = snapshot();
            let i = 0;
            for (const s of LOOP_STATE) {
              const n = s === "regs" ? 16 : FIELDS[s].length;
              for (let j = 0; j < n; j++, i++) if (!Object.is(after[i], frame.before[i])) add(effects.writes, name, s);
            }
          }
        }
      },
    });
  }
}

describe("the registry's claims, checked by running every form with the helpers instrumented", () => {
  // Random machines run every form on random state (rings, flags, paging, faults, exits); the reference
  // engine calls every helper on the machine, so each call is observed.
  const effects: Effects = { calls: new Map(), reads: new Map(), writes: new Map(), started: new Float64Array(256) };
  beforeAll(() => {
    for (let seed = 0; seed < 400; seed++) {
      // A machine with exits runs again bare, so what the exits cut short is observed as well.
      const c = fuzzCase(seed);
      for (const bare of Object.keys(c.exits).length ? [false, true] : [false]) {
        const m = c.create(reference);
        if (bare) m.exits = NO_EXITS;
        instrument(m, effects);
        m.run({ maxSteps: 300 });
      }
    }
  }, 120_000); // several hundred machines: a loaded machine needs more than the default 10 s hook limit

  it("ran every form and called every registered method", () => {
    expect(INSTRUCTIONS.filter((s) => effects.started[s.op] === 0).map((s) => s.name)).toEqual([]);
    const methods = Object.entries(HELPERS).filter(([, h]) => h.kind === "method").map(([n]) => n);
    expect(methods.filter((n) => !effects.calls.has(n))).toEqual([]);
  });

  it("has no helper read loop state it does not declare (the loop would not have written its locals back)", () => {
    const undeclared = [...effects.reads].flatMap(([name, set]) => [...set].filter((s) => !HELPERS[name]!.reads.includes(s) && !HELPERS[name]!.writes.includes(s)).map((s) => `${name} reads ${s}`));
    expect(undeclared).toEqual([]);
  });

  it("has no helper change loop state it does not declare (the loop would go on with stale locals)", () => {
    const undeclared = [...effects.writes].flatMap(([name, set]) => [...set].filter((s) => !HELPERS[name]!.writes.includes(s)).map((s) => `${name} changes ${s}`));
    expect(undeclared).toEqual([]);
  });

  it("sees the effects it checks for: flag helpers change the flags, IRET changes the ring's masks, STI reads the time", () => {
    expect([...(effects.writes.get("add") ?? [])]).toContain("flags");
    expect([...(effects.writes.get("iret") ?? [])]).toEqual(expect.arrayContaining(["masks", "regs"]));
    expect([...(effects.reads.get("sti") ?? [])]).toContain("time");
    expect([...(effects.reads.get("cond") ?? [])]).toContain("flags");
  });
});
