// Tests for the tar writer: byte-for-byte determinism, ustar and pax names, and GNU tar reading what it wrote.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTar, writeTar, type TarMember } from "./tar.js";

const enc = new TextEncoder();
const longDir = "usr/share/" + "deeply-nested-directory/".repeat(5);
const members: TarMember[] = [
  { name: "etc", type: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 1704067200 },
  { name: "etc/hostname", type: "file", mode: 0o644, uid: 0, gid: 0, mtime: 1704067200, content: enc.encode("box\n") },
  { name: "bin/sh", type: "symlink", mode: 0o777, uid: 0, gid: 0, mtime: 1704067200, linkname: "/bin/busybox" },
  { name: `${longDir}file.txt`, type: "file", mode: 0o600, uid: 1000, gid: 1000, mtime: 1704067201, content: enc.encode("x".repeat(700)) },
  { name: "a/" + "n".repeat(120), type: "file", mode: 0o644, uid: 0, gid: 0, mtime: 5, content: new Uint8Array(0) },
];

const gnuTar = spawnSync("tar", ["--version"], { encoding: "utf8" }).status === 0;

describe("writeTar", () => {
  it("writes the same bytes for the same members, in 512-byte blocks ending with two zero blocks", () => {
    const a = writeTar(members);
    const b = writeTar(members.map((m) => ({ ...m })));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.length % 512).toBe(0);
    expect(a.subarray(a.length - 1024).every((x) => x === 0)).toBe(true);
    expect(Buffer.from(writeTar([{ ...members[1]!, mtime: 1704067300 }])).equals(Buffer.from(writeTar([members[1]!])))).toBe(false);
  });

  it("reads back every member with its metadata, including names longer than 100 bytes", () => {
    const back = readTar(writeTar(members));
    expect(back.map((m) => m.name)).toEqual(["etc/", "etc/hostname", "bin/sh", `${longDir}file.txt`, "a/" + "n".repeat(120)]);
    expect(back[1]).toMatchObject({ type: "file", mode: 0o644, mtime: 1704067200 });
    expect(new TextDecoder().decode(back[1]!.content)).toBe("box\n");
    expect(back[2]).toMatchObject({ type: "symlink", linkname: "/bin/busybox" });
    expect(back[3]).toMatchObject({ uid: 1000, gid: 1000, mode: 0o600 });
    expect(back[3]!.content!.length).toBe(700);
  });

  it("rejects a damaged header", () => {
    const t = writeTar(members.slice(0, 2));
    t[10] = (t[10]! + 1) & 0xff;
    expect(() => readTar(t)).toThrow(/bad header checksum at offset 0/);
  });

  it.skipIf(!gnuTar)("is read by GNU tar with the same names, sizes, owners and link targets", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmlab-tar-"));
    writeFileSync(join(dir, "t.tar"), writeTar(members));
    const r = spawnSync("tar", ["--numeric-owner", "-tvf", join(dir, "t.tar")], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^drwxr-xr-x 0\/0\s+0 2024-01-01 \d\d:\d\d etc\/$/);
    expect(lines[1]).toMatch(/^-rw-r--r-- 0\/0\s+4 .* etc\/hostname$/);
    expect(lines[2]).toMatch(/^lrwxrwxrwx 0\/0\s+0 .* bin\/sh -> \/bin\/busybox$/);
    expect(lines[3]).toMatch(new RegExp(`^-rw------- 1000/1000\\s+700 .* ${longDir}file.txt$`));
    expect(lines[4]).toMatch(/ a\/n{120}$/);
  });
});
