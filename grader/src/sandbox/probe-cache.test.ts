// The probes' answers on disk: used when their key matches, probed again when it does not or the entry is damaged, and asked afresh when a child fails to start on one.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SandboxRequest } from "../contract.js";
import { createProbeCache, probeIdentity, type ProbeCache } from "./probe-cache.js";
import { fakeSpawner, grading } from "./fake-child.js";
import { createSandbox } from "./runner.js";

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(path.join(tmpdir(), "vmlab-probes-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A probe that answers `available` and counts how often it was asked. */
const counting = (available: boolean) => {
  const probe = async () => {
    probe.calls++;
    return available;
  };
  probe.calls = 0;
  return probe;
};

describe("the probe cache", () => {
  it("answers a second check of the same probe from the disk without probing", async () => {
    const cache = createProbeCache(path.join(fresh(), "probes"));
    const probe = counting(true);
    expect(await cache.check("unshare-rn", ["unshare", process.execPath], probe)).toEqual({ available: true, cached: false });
    expect(await cache.check("unshare-rn", ["unshare", process.execPath], probe)).toEqual({ available: true, cached: true });
    expect(probe.calls).toBe(1);
  });

  it("keeps a negative answer too, and another process's cache on the same folder reads it", async () => {
    const dir = path.join(fresh(), "probes");
    await createProbeCache(dir).check("setpriv-prlimit", ["setpriv"], counting(false));
    const probe = counting(true);
    expect(await createProbeCache(dir).check("setpriv-prlimit", ["setpriv"], probe)).toEqual({ available: false, cached: true });
    expect(probe.calls).toBe(0);
  });

  it("probes again when a binary it runs changes (another file, another key)", async () => {
    const dir = fresh();
    const bin = path.join(dir, "tool");
    writeFileSync(bin, "one");
    const cache = createProbeCache(path.join(dir, "probes"));
    const probe = counting(true);
    const before = probeIdentity("p", [bin]);
    await cache.check("p", [bin], probe);
    writeFileSync(bin, "a longer binary");
    expect(probeIdentity("p", [bin])).not.toBe(before);
    expect(await cache.check("p", [bin], probe)).toEqual({ available: true, cached: false });
    expect(probe.calls).toBe(2);
  });

  it("looks a command up on the search path, so one installed in another folder of PATH is another key", () => {
    const dir = fresh();
    const env = { PATH: dir };
    const before = probeIdentity("p", ["vmlab-probe-tool"], env);
    writeFileSync(path.join(dir, "vmlab-probe-tool"), "#!/bin/sh\n");
    expect(probeIdentity("p", ["vmlab-probe-tool"], env)).not.toBe(before);
  });

  it("ignores a damaged entry: probes again and writes a good one", async () => {
    const dir = path.join(fresh(), "probes");
    const cache = createProbeCache(dir);
    await cache.check("p", ["setpriv"], counting(true));
    const [file] = readdirSync(dir);
    for (const damage of ["{not json", JSON.stringify({ available: "yes" }), ""]) {
      writeFileSync(path.join(dir, file!), damage);
      const probe = counting(false);
      expect(await cache.check("p", ["setpriv"], probe)).toEqual({ available: false, cached: false });
      expect(probe.calls).toBe(1);
      expect(await cache.check("p", ["setpriv"], probe)).toEqual({ available: false, cached: true });
    }
  });

  it("probes every time where the folder cannot be written, with the same answers", async () => {
    const parent = fresh();
    writeFileSync(path.join(parent, "probes"), "a file where the folder would be");
    const cache = createProbeCache(path.join(parent, "probes"));
    const probe = counting(true);
    expect(await cache.check("p", ["setpriv"], probe)).toEqual({ available: true, cached: false });
    expect(await cache.check("p", ["setpriv"], probe)).toEqual({ available: true, cached: false });
    expect(probe.calls).toBe(2);
  });

  it("skips an unreadable entry (a folder in its place) and still answers", async () => {
    const dir = path.join(fresh(), "probes");
    const cache = createProbeCache(dir);
    await cache.check("p", ["setpriv"], counting(true));
    const [file] = readdirSync(dir);
    rmSync(path.join(dir, file!));
    mkdirSync(path.join(dir, file!));
    chmodSync(path.join(dir, file!), 0o000);
    expect(await cache.check("p", ["setpriv"], counting(false))).toEqual({ available: false, cached: false });
  });

  it("probes afresh when asked to, and remembers the fresh answer", async () => {
    const cache = createProbeCache(path.join(fresh(), "probes"));
    await cache.check("p", ["setpriv"], counting(true));
    const probe = counting(false);
    expect(await cache.check("p", ["setpriv"], probe, { fresh: true })).toEqual({ available: false, cached: false });
    expect(await cache.check("p", ["setpriv"], probe)).toEqual({ available: false, cached: true });
    expect(probe.calls).toBe(1);
  });
});

const request: SandboxRequest = {
  harness: "trap", entry: "handlers.ts", exportName: "handlers", js: { "handlers.js": "" },
  cases: [{ id: "a", input: { guest: { segments: [], entry: 0 }, profile: "strict", maxSteps: 100 } }],
  limits: { caseSeconds: 1, memoryMb: 64 },
};

/** Probes whose remembered answers say "available" until asked afresh, when unshare says no. */
function staleProbes() {
  const asked: string[] = [];
  const probes: ProbeCache = {
    check: async (name, _commands, _probe, options = {}) => {
      asked.push(`${name}${options.fresh ? " (fresh)" : ""}`);
      if (!options.fresh) return { available: name !== "setpriv-prlimit", cached: true };
      return { available: false, cached: false };
    },
  };
  return { probes, asked };
}

describe("a remembered probe answer that no longer holds", () => {
  it("makes the runner probe afresh and start the child the way that works, so the case is graded", async () => {
    // Children start only when not run through unshare (as where user namespaces were switched off after the probe).
    const fake = fakeSpawner(grading(), true, (command) => command !== "unshare");
    const { probes, asked } = staleProbes();
    const sandbox = createSandbox({ spawn: fake.spawn, root: "/vmlab", childScript: "/c.js", nodeVersion: async () => "v20.19.0", watchMs: 10, probes });
    const results = await sandbox.run(request, { node: "/usr/bin/node" });
    expect(results.map((r) => r.status)).toEqual(["ok"]);
    expect(fake.spawned.map((c) => c.command)).toEqual(["unshare", "/usr/bin/node"]);
    expect(asked).toEqual(["unshare-rn", "setpriv-prlimit", "unshare-rn (fresh)", "setpriv-prlimit (fresh)"]);
  });

  it("is asked afresh once: a child that still cannot start fails its cases as before", async () => {
    const fake = fakeSpawner(grading(), true, (command) => command !== "unshare");
    const probes: ProbeCache = { check: async (_n, _c, _p, o = {}) => ({ available: true, cached: !o.fresh }) };
    const sandbox = createSandbox({ spawn: fake.spawn, root: "/vmlab", childScript: "/c.js", nodeVersion: async () => "v20.19.0", watchMs: 10, probes });
    const results = await sandbox.run(request, { node: "/usr/bin/node" });
    expect(results.map((r) => r.status)).toEqual(["crashed"]);
    expect(fake.spawned.map((c) => c.command)).toEqual(["unshare"]);
  });
});
