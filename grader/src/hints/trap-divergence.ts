// The kind of a trap-harness divergence in fixed words: which part of the machine the guest saw differ, never a value it saw (lab 01's checker messages, src/analysis/equivalence.ts).
//
// Only the shape of the checker's first difference is read: its subject (IF, a register, the console, an
// interrupt), for interrupts the vector among the architecture's names and how many instructions late or
// early, and the interrupt flag's direction. Register and memory values, console text, ports and addresses
// — anything the guest's code or data decide — never reach the words.
import { VECTOR_NAMES } from "../../../src/isa/arch.js";

/** A vector name as the architecture spells it, or undefined for anything else. */
function vector(text: string): string | undefined {
  const t = text.trim();
  return Object.values(VECTOR_NAMES).includes(t) || /^IRQ\d{1,2}$/.test(t) || /^vector \d{1,3}$/.test(t) ? t : undefined;
}

function stopKind(text: string): string {
  const t = text.trim();
  if (t.startsWith("instruction budget exhausted")) return "ran out of its instruction budget";
  if (t.startsWith("halted")) return "halted";
  if (t.startsWith("powered off")) return "powered off";
  if (t.startsWith("machine check")) return "took a machine check";
  if (t.startsWith("still running")) return "was still running";
  if (/triple fault/i.test(t)) return "triple-faulted";
  return "stopped another way";
}

function interruptWords(body: string): string {
  const pair = /native (.+?) at t=(\d+), virtualized (.+?) at t=(\d+)$/.exec(body);
  if (pair) {
    const [n, tn, v, tv] = [vector(pair[1]!), Number(pair[2]), vector(pair[3]!), Number(pair[4])];
    if (n && n === v) {
      const d = tv - tn;
      if (d === 0) return `a ${n} interrupt differs from the bare machine's`;
      return `a ${n} interrupt was delivered ${Math.abs(d)} instruction${Math.abs(d) === 1 ? "" : "s"} ${d > 0 ? "late" : "early"}`;
    }
    return n && v ? `a different interrupt was delivered (${v} where the bare machine takes ${n})` : "a different interrupt was delivered";
  }
  const counts = /native has (\d+) entries, virtualized (\d+)/.exec(body);
  if (counts) {
    return Number(counts[1]) > Number(counts[2]) ? "an interrupt the bare machine delivers was not delivered" : "an interrupt was delivered that the bare machine does not deliver";
  }
  return "the interrupts delivered differ from the bare machine's";
}

/** The kind of divergence of a checker message such as `IF: native 1, virtualized 0`, in fixed words. */
export function trapDivergenceKind(message: string): string {
  const colon = message.indexOf(":");
  const head = colon < 0 ? "" : message.slice(0, colon).trim();
  const body = colon < 0 ? "" : message.slice(colon + 1).trim();
  if (head === "IF") {
    const m = /^native ([01]), virtualized ([01])/.exec(body);
    return m ? `the guest sees its interrupt flag (IF) ${m[2] === "1" ? "set" : "clear"} where the bare machine has it ${m[1] === "1" ? "set" : "clear"}` : "the interrupt flag (IF) differs";
  }
  if (head === "IOPL" || head === "flags") return "the flags the guest reads differ from the bare machine's";
  if (/^(r\d{1,2}|sp)$/.test(head)) return `a general register (${head}) holds another value than on the bare machine`;
  if (head === "pc") return "the guest continued at another instruction than on the bare machine";
  if (head === "cpl") return "the guest sees another privilege level than on the bare machine";
  if (head === "console") return "the guest's console output differs";
  if (head === "io") return "a port access differs from the bare machine's";
  if (head === "memory") return "the guest's memory differs from the bare machine's";
  if (head === "interrupts") return interruptWords(body);
  if (head === "time" || head === "retired") return "the guest's clock or instruction count differs from the bare machine's";
  if (/^(cr\d|ksp|sep|idtr)$/.test(head)) return `a control register (${head}) holds another value than on the bare machine`;
  if (head === "stop") {
    const m = /^native (.*?); virtualized (.*)$/.exec(body);
    return m ? `the guest ${stopKind(m[2]!)} where the bare machine ${stopKind(m[1]!)}` : "the guest stopped differently";
  }
  return "the guest could tell it was not on the bare machine";
}
