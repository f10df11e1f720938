// Tests for the real-kernel namespace facts: read where Linux allows it, and a plain "not allowed here" otherwise.
import { describe, expect, it } from "vitest";
import { pidNamespaceFacts, procSelfNamespaces, type Runner } from "./real-namespaces.js";

const onLinux = process.platform === "linux";

describe("real namespaces", () => {
  it.skipIf(!onLinux)("reads /proc/self/ns: one kind:[inode] per namespace", () => {
    const ns = procSelfNamespaces();
    expect(ns.ok).toBe(true);
    const values = ns.ok ? ns.namespaces : {};
    for (const k of ["cgroup", "ipc", "mnt", "net", "pid", "user", "uts"]) expect(values[k]).toMatch(new RegExp(`^${k}:\\[\\d+\\]$`));
  });

  const facts = onLinux ? pidNamespaceFacts() : undefined;
  it.skipIf(!onLinux || facts?.ok !== true)("shows the shell as PID 1 in a new PID namespace, seeing only its own processes", () => {
    if (facts?.ok !== true) return;
    expect(facts.pidInside).toBe(1);
    expect(facts.visiblePids[0]).toBe(1);
    expect(facts.visiblePids.length).toBeLessThan(5);
    const own = procSelfNamespaces();
    expect(facts.pidNamespace).not.toBe(own.ok ? own.namespaces.pid : "");
  });
  if (onLinux && facts?.ok === false) it.skip(`unshare is refused on this machine (${facts.reason}): the PID-namespace check is skipped`, () => undefined);

  it("answers 'not allowed here' with the reason when unshare is refused or missing", () => {
    const refused: Runner = () => ({ status: 1, stdout: "", stderr: "unshare: unshare failed: Operation not permitted\n" });
    const missing: Runner = () => ({ status: null, stdout: "", stderr: "", error: Object.assign(new Error("spawn unshare ENOENT"), { code: "ENOENT" }) });
    if (!onLinux) return;
    expect(pidNamespaceFacts(refused)).toEqual({ ok: false, reason: "not allowed here: unshare: unshare failed: Operation not permitted" });
    expect(pidNamespaceFacts(missing)).toEqual({ ok: false, reason: "not allowed here: unshare is not installed (util-linux)" });
  });

  it("answers 'not allowed here' when /proc/self/ns cannot be read", () => {
    const r = procSelfNamespaces(() => "", () => { throw new Error("ENOENT: no such file or directory"); });
    expect(r).toEqual({ ok: false, reason: "not allowed here: cannot read /proc/self/ns (ENOENT: no such file or directory)" });
  });
});
