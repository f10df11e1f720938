import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyLedger, graceLeft, readLedger, recordGrace, writeLedger } from "./grace.js";

const lab1 = { id: "01-a", due: "2027-03-01T23:59:00Z" };
const lab2 = { id: "02-b", due: "2027-04-01T23:59:00Z" };

describe("grace days across a course", () => {
  it("leave a student what the labs due before this one did not use", () => {
    let ledger = recordGrace(emptyLedger(), lab1, new Map([["alice", 2], ["bob", 0]]));
    ledger = recordGrace(ledger, lab2, new Map([["alice", 1]]));
    expect(graceLeft(ledger, 3, lab2, "alice")).toBe(1);
    expect(graceLeft(ledger, 3, lab2, "bob")).toBe(3);
    // A regrade of lab 1 does not see what lab 2, due later, used.
    expect(graceLeft(ledger, 3, lab1, "alice")).toBe(3);
  });

  it("replace a lab's entry when it is graded again, and survive a round trip through the file", () => {
    const file = join(mkdtempSync(join(tmpdir(), "vmlab-grace-")), "grace.json");
    expect(readLedger(file)).toEqual(emptyLedger());
    writeLedger(file, recordGrace(recordGrace(emptyLedger(), lab1, new Map([["alice", 2]])), lab1, new Map([["alice", 1]])));
    expect(readLedger(file).labs).toEqual({ "01-a": { due: lab1.due, used: { alice: 1 } } });
  });
});
