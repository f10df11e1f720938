// Tests for `vmlab sim`: the experiments' text and JSON, the committed synthetic sample, and one clear error with exit code 2 for bad input.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { vmlabRoot } from "../../src/core/package-root.js";
import { main } from "../main.js";

async function vmlab(argv: string[], cwd = vmlabRoot()): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {} });
  return { code, out, err };
}

const simfaas = ["--rate", "0.9", "--warm-ms", "1991", "--cold-ms", "2244", "--expire-s", "600", "--max-concurrency", "1000"];

describe("vmlab sim openlambda", () => {
  it("prints exactly the JSON shape of the issue, with Lambda near 1.6 s and Beanstalk near 20 s", async () => {
    const r = await vmlab(["sim", "openlambda", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(["lambda", "container_service"]);
    expect(Object.keys(j.lambda)).toEqual(["median_s", "p99_s"]);
    expect(Object.keys(j.container_service)).toEqual(["median_s", "p99_s"]);
    expect(j.lambda.median_s).toBeGreaterThan(1.35);
    expect(j.lambda.median_s).toBeLessThan(1.85);
    expect(j.container_service.median_s).toBeCloseTo(20, 0);
  });

  it("prints both medians, both CDFs and the parameters' sources as text", async () => {
    const r = await vmlab(["sim", "openlambda", "--memory-mb", "512"]);
    expect(r.out).toMatch(/AWS Lambda\s+0\.716/);
    expect(r.out).toMatch(/Elastic Beanstalk\s+20/);
    expect(r.out).toMatch(/^50%\s+0\.716\s+20$/m);
    expect(r.out).toContain("aws-lambda-memory");
  });

  it("refuses a negative memory with exit code 2", async () => {
    const r = await vmlab(["sim", "openlambda", "--memory-mb", "-256"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: --memory-mb expects a number > 0 (MB), got '-256'\nhint: e.g. --memory-mb 256\n");
  });
});

describe("vmlab sim steady", () => {
  it("prints the steady-state measures as JSON", async () => {
    const r = await vmlab(["sim", "steady", ...simfaas, "--duration-s", "50000", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.mean_running).toBeCloseTo(1.79, 1);
    expect(j.rejection_probability).toBe(0);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(["cold_start_probability", "rejection_probability", "mean_running", "mean_idle", "mean_instances"]));
  });

  it("answers a negative time or a missing option with one message and exit code 2", async () => {
    const negative = await vmlab(["sim", "steady", ...simfaas.slice(0, 6), "--expire-s", "-600", "--max-concurrency", "10"]);
    expect(negative.code).toBe(2);
    expect(negative.err).toMatch(/^error: --expire-s expects a number ≥ 0 \(s\), got '-600'\n/);
    const missing = await vmlab(["sim", "steady", "--rate", "1"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/error: required option '--warm-ms <ms>' not specified/);
  });
});

describe("vmlab sim keepalive", () => {
  it("compares policies on the committed synthetic sample", async () => {
    const r = await vmlab(["sim", "keepalive", "--trace", "data/azure-synthetic", "--policy", "fixed,hybrid", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.applications).toBe(20);
    expect(j.policies.map((p: { policy: string }) => p.policy)).toEqual(["fixed-10min", "hybrid"]);
    expect(j.policies[1].coldStarts).toBeLessThan(j.policies[0].coldStarts);
  });

  it("reads the 2021 schema too, and prints a table", async () => {
    const r = await vmlab(["sim", "keepalive", "--trace", "data/azure-synthetic/invocations_2021_schema.csv", "--policy", "none"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^no-unloading\s+\d+/m);
    expect(r.out).toMatch(/note: the 2021 schema records no memory/);
  });

  it("suggests the nearest policy name for a typo", async () => {
    const r = await vmlab(["sim", "keepalive", "--trace", "data/azure-synthetic", "--policy", "fixed,hybird"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: unknown keep-alive policy 'hybird'\nhint: did you mean 'hybrid'?\n");
  });

  it("points at the file and line of a malformed trace row", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "vmlab-sim-"));
    writeFileSync(join(cwd, "bad.csv"), "app,func,end_timestamp,duration\na,f,10.5,0.2\nb,g,eleven,0.1\n");
    const r = await vmlab(["sim", "keepalive", "--trace", "bad.csv"], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toBe("bad.csv:3:5: error: end_timestamp is 'eleven', not a number ≥ 0\n");
    const missing = await vmlab(["sim", "keepalive", "--trace", "bda.csv"], cwd);
    expect(missing.err).toMatch(/^error: cannot read trace 'bda\.csv': no such file or directory\nhint: did you mean 'bad\.csv'\?/);
  });
});

describe("vmlab sim billing and borg", () => {
  it("bills 60 M invocations of 28 ms at 1 GB $100 before December 2020 and $28 after", async () => {
    const r = await vmlab(["sim", "billing", "--json"]);
    const j = JSON.parse(r.out);
    expect(j.before.computeCost).toBeCloseTo(100, 2);
    expect(j.after.computeCost).toBeCloseTo(28, 2);
    const text = await vmlab(["sim", "billing"]);
    expect(text.out).toMatch(/100 ms \(before Dec 2020\)\s+100 ms\s+6,000,000\s+\$100\.00/);
  });

  it("runs the Borg start-up model and refuses an unknown placement", async () => {
    const r = await vmlab(["sim", "borg", "--json"]);
    expect(JSON.parse(r.out).median_s).toBeGreaterThan(20);
    const bad = await vmlab(["sim", "borg", "--placement", "pacakge-aware"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("did you mean 'package-aware'?");
  });
});

describe("vmlab sim synth-trace", () => {
  it("regenerates data/azure-synthetic byte for byte with the default seed", async () => {
    const out = mkdtempSync(join(tmpdir(), "vmlab-synth-"));
    const r = await vmlab(["sim", "synth-trace", "--out", out]);
    expect(r.code).toBe(0);
    const committed = join(vmlabRoot(), "data", "azure-synthetic");
    const written = readdirSync(out).sort();
    expect(written).toEqual(readdirSync(committed).filter((f) => f.endsWith(".csv")).sort());
    for (const f of written) expect(readFileSync(join(out, f), "utf8")).toBe(readFileSync(join(committed, f), "utf8"));
  });
});
