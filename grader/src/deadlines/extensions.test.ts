import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extensionFor, readExtensions, unknownStudents } from "./extensions.js";

const file = (text: string): string => {
  const f = join(mkdtempSync(join(tmpdir(), "vmlab-ext-")), "extensions.csv");
  writeFileSync(f, text);
  return f;
};
const lab = { id: "01-trap-and-emulate", due: "2027-03-01T23:59:00Z" };

describe("an extensions file", () => {
  it("gives a student a new due date or days added, the lab's own line before a * line", () => {
    const e = readExtensions(file("student,lab,due,days,note\nalice,01-trap-and-emulate,2027-03-05T12:00:00Z,,medical\nalice,*,,1,\nbob,*,,2,\n"));
    expect(extensionFor(e, "alice", lab)).toEqual({ due: "2027-03-05T12:00:00.000Z", note: "medical" });
    expect(extensionFor(e, "bob", lab)).toEqual({ due: "2027-03-03T23:59:00.000Z", note: "extension of 2 days" });
    expect(extensionFor(e, "carol", lab)).toBeUndefined();
    expect(unknownStudents(e, new Set(["alice"]))).toEqual(["bob"]);
  });

  it("lists every bad line at once, with its number", () => {
    expect(() => readExtensions(file("student,lab,due,days\nalice,*,,\nbob,*,soon,\ncarol,*,2027-03-05T12:00:00Z,2\n"))).toThrow(
      /has 3 bad lines:\n {2}.*:2: give either due \(a date-time\) or days \(whole days added\), not neither\n {2}.*:3: due 'soon' is not an ISO 8601 date-time\n {2}.*:4: .*not both/,
    );
  });
});
