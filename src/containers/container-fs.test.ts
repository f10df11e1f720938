// Tests for the layered file system: lookup through layers, copy-up on first write, whiteouts, opaque directories, commit.
import { describe, expect, it } from "vitest";
import { ContainerFs } from "./container-fs.js";
import { dirEntry, fileEntry, text } from "./fs-entry.js";
import { Layer } from "./layer.js";
import { flatten } from "./layer-stack.js";

const base = new Layer([
  ["/etc", dirEntry()],
  ["/etc/passwd", fileEntry("root:x:0:0:root:/root:/bin/sh\n")],
  ["/etc/hostname", fileEntry("base\n")],
  ["/usr", dirEntry()],
  ["/usr/share", dirEntry()],
  ["/usr/share/doc", dirEntry()],
  ["/usr/share/doc/a.txt", fileEntry("A".repeat(1000))],
  ["/usr/share/doc/b.txt", fileEntry("B".repeat(1000))],
]);

describe("ContainerFs", () => {
  it("reads files through the layers, the top-most layer winning", () => {
    const top = new Layer([["/etc", dirEntry()], ["/etc/hostname", fileEntry("top\n")]]);
    const fs = new ContainerFs([base, top]);
    expect(text(fs.read("/etc/hostname"))).toBe("top\n");
    expect(text(fs.read("/etc/passwd"))).toMatch(/^root/);
    expect(fs.list("/etc")).toEqual(["hostname", "passwd"]);
  });

  it("copies up only the file written, once, and leaves the image layers untouched", () => {
    const fs = new ContainerFs([base]);
    fs.write("/usr/share/doc/a.txt", "changed", { append: true });
    fs.write("/usr/share/doc/a.txt", "again", { append: true });
    expect(fs.stats).toMatchObject({ copiedUpFiles: 1, copiedUpBytes: 1000, copiedUpDirs: 3 });
    expect(text(fs.read("/usr/share/doc/a.txt"))).toBe("A".repeat(1000) + "changedagain");
    expect(text(new ContainerFs([base]).read("/usr/share/doc/a.txt"))).toBe("A".repeat(1000));
    const layer = fs.commit();
    expect([...layer.changes.keys()]).toEqual(["/usr", "/usr/share", "/usr/share/doc", "/usr/share/doc/a.txt"]);
    expect(fs.diff()).toEqual([
      { kind: "C", path: "/usr" }, { kind: "C", path: "/usr/share" }, { kind: "C", path: "/usr/share/doc" }, { kind: "C", path: "/usr/share/doc/a.txt" },
    ]);
  });

  it("records the deletion of an image file as a whiteout .wh.<name> in the committed layer", () => {
    const fs = new ContainerFs([base]);
    fs.remove("/etc/passwd");
    expect(fs.lookup("/etc/passwd")).toBeUndefined();
    expect(fs.list("/etc")).toEqual(["hostname"]);
    const names = fs.commit().members().map((m) => m.name);
    expect(names).toEqual(["etc", "etc/.wh.passwd"]);
    expect(fs.diff()).toContainEqual({ kind: "D", path: "/etc/passwd" });
  });

  it("deletes a file that only the writable layer has without leaving a whiteout", () => {
    const fs = new ContainerFs([base]);
    fs.write("/etc/new", "x");
    fs.remove("/etc/new");
    expect(fs.commit().whiteouts()).toEqual([]);
    expect(fs.stats.whiteouts).toBe(0);
  });

  it("makes a directory re-created over a whiteout opaque, hiding the image's old contents", () => {
    const fs = new ContainerFs([base]);
    fs.remove("/usr/share/doc", { recursive: true });
    fs.mkdir("/usr/share/doc");
    fs.write("/usr/share/doc/c.txt", "C");
    expect(fs.list("/usr/share/doc")).toEqual(["c.txt"]);
    const layer = fs.commit();
    expect(layer.members().map((m) => m.name)).toEqual(["usr", "usr/share", "usr/share/doc", "usr/share/doc/.wh..wh..opq", "usr/share/doc/c.txt"]);
    const merged = flatten([base, layer]);
    expect([...merged.keys()].filter((p) => p.startsWith("/usr/share/doc/"))).toEqual(["/usr/share/doc/c.txt"]);
  });

  it("refuses what the kernel refuses, with its errno", () => {
    const fs = new ContainerFs([base]);
    expect(() => fs.read("/nope")).toThrow(expect.objectContaining({ errno: "ENOENT" }));
    expect(() => fs.write("/nope/file", "x")).toThrow(expect.objectContaining({ errno: "ENOENT" }));
    expect(() => fs.write("/etc/passwd/x", "x")).toThrow(expect.objectContaining({ errno: "ENOTDIR" }));
    expect(() => fs.remove("/usr/share/doc")).toThrow(expect.objectContaining({ errno: "ENOTEMPTY" }));
    expect(() => fs.mkdir("/etc")).toThrow(expect.objectContaining({ errno: "EEXIST" }));
    expect(() => fs.read("/etc")).toThrow(expect.objectContaining({ errno: "EISDIR" }));
    expect(() => fs.write("/etc/.wh.passwd", "")).toThrow(/reserved for whiteouts/);
  });

  it("moves a file as copy and whiteout, and follows a symlink when writing", () => {
    const fs = new ContainerFs([base]);
    fs.rename("/etc/hostname", "/etc/hostname.old");
    expect(fs.diff()).toEqual([{ kind: "C", path: "/etc" }, { kind: "D", path: "/etc/hostname" }, { kind: "A", path: "/etc/hostname.old" }]);
    fs.symlink("/etc/hostname.old", "/etc/h");
    fs.write("/etc/h", "via link\n");
    expect(text(fs.read("/etc/hostname.old"))).toBe("via link\n");
  });
});

describe("Layer", () => {
  it("hashes its tar, and reads back from the tar to the same digest, whiteouts and opaque markers included", () => {
    const fs = new ContainerFs([base], { now: () => 1704067200 });
    fs.remove("/etc/passwd");
    fs.remove("/usr/share/doc", { recursive: true });
    fs.mkdir("/usr/share/doc");
    const layer = fs.commit();
    expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const back = Layer.fromTar(layer.tar());
    expect(back.digest).toBe(layer.digest);
    expect(back.whiteouts()).toEqual(["/etc/passwd"]);
    expect([...back.opaque]).toEqual(["/usr/share/doc"]);
  });

  it("rejects an opaque marker on a directory the layer does not contain", () => {
    expect(() => new Layer([], ["/x"])).toThrow(/marks '\/x' opaque/);
  });
});
