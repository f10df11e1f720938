// Self-checks for notebooks 8 and 9's exercises: a cpu.max value for a target share, and a cache-friendly Dockerfile.
import type { CheckResult } from "./checks.js";
import { DockerHost } from "../containers/docker-host.js";
import { dockerBuild, type ContextFile } from "../containers/index.js";
import { isVmlabError } from "../core/errors.js";

function verdict(title: string, problems: string[], passed: string[]): CheckResult {
  return { ok: problems.length === 0, title, problems, passed };
}

/**
 * Checks a cpu.max value by experiment: written to a CPU-bound container's cgroup on an idle 2-CPU host, it must hold
 * the container to `share` of one CPU (±1%) with enforcement periods of `periodUs` microseconds.
 */
export function checkCpuMax(value: string, share = 0.3, periodUs = 20_000): CheckResult {
  const title = `cpu.max for ${Math.round(share * 100)}% of a CPU in ${periodUs / 1000} ms periods`;
  const problems: string[] = [];
  const passed: string[] = [];
  if (typeof value !== "string") return verdict(title, [`cpuMax should be a string like "50000 100000", got ${typeof value}`], []);
  const host = new DockerHost({ cpus: 2 });
  const c = host.run("progrium/stress", ["--cpu", "1", "--timeout", "10"], { detach: true }).container;
  const path = c.cgroup!.path;
  try {
    host.kernel.writeCgroup(path, "cpu.max", value);
  } catch (e) {
    if (!isVmlabError(e)) throw e;
    return verdict(title, [`echo "${value}" > cpu.max fails: ${e.message.replace(/^cpu\.max: /, "")} (the period must be 1000–1000000 µs and the quota at least 1000 µs, or "max")`], []);
  }
  const read = () => Number(/usage_usec (\d+)/.exec(host.kernel.readCgroup(path, "cpu.stat"))![1]) / 1e6;
  const u0 = read();
  host.advance(4);
  const measured = (read() - u0) / 4;
  const [quota, period] = host.kernel.readCgroup(path, "cpu.max").trim().split(" ");
  if (Math.abs(measured - share) > 0.01) problems.push(`the container used ${(measured * 100).toFixed(1)}% of a CPU; the target is ${share * 100}% (quota / period = share)`);
  else passed.push(`the container used ${(measured * 100).toFixed(1)}% of a CPU`);
  if (Number(period) !== periodUs) problems.push(`the period is ${period} µs; it should be ${periodUs} µs (the second number of cpu.max)`);
  else passed.push(`the period is ${period} µs, so the quota of ${quota} µs is enforced every ${periodUs / 1000} ms`);
  return verdict(title, problems, passed);
}

const enc = new TextEncoder();

/**
 * Checks that a Dockerfile builds an image that runs `sh /app/main.sh`, and that changing the application (app/main.sh)
 * does not re-run the `apk add` step: the dependency layer must come from the cache on the rebuild.
 */
export function checkCacheFriendlyDockerfile(dockerfile: string): CheckResult {
  const title = "A Dockerfile whose dependency layer survives a code change";
  const problems: string[] = [];
  const passed: string[] = [];
  const host = new DockerHost();
  const ctx = (version: string) => new Map<string, ContextFile>([
    ["Dockerfile", { content: enc.encode(dockerfile), mode: 0o644, mtime: 1709280000 }],
    ["app/main.sh", { content: enc.encode(`echo app ${version}\n`), mode: 0o755, mtime: 1709280000 }],
    ["app/deps.txt", { content: enc.encode("curl\n"), mode: 0o644, mtime: 1709280000 }],
  ]);
  let second;
  try {
    dockerBuild(host, ctx("v1"), { tags: ["app:1"] });
    second = dockerBuild(host, ctx("v2"), { tags: ["app:2"] });
  } catch (e) {
    if (!isVmlabError(e)) throw e;
    return verdict(title, [`the build fails: ${e.message}`], []);
  }
  const run = host.run("app:2", [], {});
  if (run.stdout.trim() !== "app v2") problems.push(`the image should run the application and print "app v2", but it printed ${JSON.stringify(run.stdout.trim())}${run.stderr ? ` (stderr: ${run.stderr.trim()})` : ""} — check CMD and where main.sh is copied`);
  else passed.push("the rebuilt image runs the new code");
  const apk = second.steps.find((s) => s.kind === "RUN" && /apk add/.test(s.instruction));
  if (!apk) problems.push("the Dockerfile should install curl with RUN apk add …");
  else if (!apk.cached) problems.push(`after changing app/main.sh, "${apk.instruction}" ran again: a COPY of the changed files comes before it, so its cache key changed`);
  else passed.push(`"${apk.instruction}" came from the cache on the rebuild`);
  const curl = host.run("app:2", ["ls", "/usr/bin/curl"], { entrypoint: "" });
  if (!curl.stdout.includes("/usr/bin/curl")) problems.push("curl is not installed in the image");
  return verdict(title, problems, passed);
}
