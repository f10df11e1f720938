// `vmlab docker` as a shell session uses it: commands share one simulated host through the state file, print Docker's
// columns, exit with Docker's codes, and answer mistakes in Docker's words.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { vmlabRoot } from "../../src/core/package-root.js";

function session() {
  const cwd = mkdtempSync(join(tmpdir(), "vmlab-docker-"));
  let clock = Date.UTC(2024, 2, 1, 10, 0, 0);
  const docker = async (...argv: string[]) => {
    let out = "";
    let err = "";
    clock += 2000;
    const code = await main(["docker", ...argv], { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { VMLAB_DOCKER_NOW: String(clock) } });
    return { code, out, err };
  };
  return { cwd, docker };
}

describe("vmlab docker", () => {
  it("builds, runs, lists and removes across commands through the state file", async () => {
    const { cwd, docker } = session();
    writeFileSync(join(cwd, "Dockerfile"), 'FROM alpine:3.19\nENV WHO=students\nCOPY hello.sh /hello.sh\nCMD ["sh", "/hello.sh"]\n');
    writeFileSync(join(cwd, "hello.sh"), "echo hello $WHO\n");
    const b = await docker("build", "-t", "hello:1", ".");
    expect(b.code).toBe(0);
    expect(b.err).toMatch(/#\d+ \[2\/2\] COPY hello.sh \/hello.sh\n#\d+ DONE/);
    expect(existsSync(join(cwd, ".vmlab", "docker-state.json"))).toBe(true);
    const r = await docker("run", "--name", "greeter", "hello:1");
    expect(r).toMatchObject({ code: 0, out: "hello students\n" });
    const ps = await docker("ps", "-a");
    expect(ps.out.split("\n")[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(ps.out).toMatch(/[0-9a-f]{12}\s+hello:1\s+"sh \/hello.sh"\s+\d+ seconds ago\s+Exited \(0\) \d+ seconds ago\s+greeter/);
    expect((await docker("logs", "greeter")).out).toBe("hello students\n");
    const images = await docker("images");
    expect(images.out).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n/);
    expect(images.out).toMatch(/^hello\s+1\s+[0-9a-f]{12}\s+\d+ seconds ago\s+\d+(\.\d+)?MB$/m);
    const hist = await docker("history", "hello:1");
    expect(hist.out).toMatch(/<missing>\s+\d+ seconds ago\s+ENV WHO=students\s+0B/);
    expect((await docker("rm", "greeter")).out).toBe("greeter\n");
    expect((await docker("ps", "-a", "-q")).out).toBe("");
    const rebuilt = await docker("build", "-t", "hello:1", ".");
    expect(rebuilt.err).toMatch(/COPY hello.sh \/hello.sh\n#\d+ CACHED/);
  });

  it("keeps detached containers running between commands: exec, commit, stop", async () => {
    const { docker } = session();
    const id = (await docker("run", "-d", "--name", "box", "alpine", "sleep", "1000")).out.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await docker("exec", "box", "sh", "-c", "echo changed > /etc/motd; ps")).out).toMatch(/^\s+1 root\s+0:00 sleep 1000$/m);
    expect((await docker("ps")).out).toMatch(/Up \d+ seconds\s+box/);
    const img = (await docker("commit", "-m", "motd", "box", "box:snap")).out.trim();
    expect(img).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await docker("run", "--rm", "box:snap", "cat", "/etc/motd")).out).toBe("changed\n");
    const stop = await docker("stop", "-t", "3", "box");
    expect(stop).toMatchObject({ code: 0, out: "box\n" });
    expect((await docker("ps", "-a")).out).toMatch(/Exited \(137\) .*box/);
    const inspect = JSON.parse((await docker("inspect", "box")).out);
    expect(inspect[0]).toMatchObject({ Name: "/box", State: { Status: "exited", ExitCode: 137 } });
  });

  it("exits with the container's code, 125 when the daemon refuses, 127 when the command is missing", async () => {
    const { docker } = session();
    expect((await docker("run", "alpine", "sh", "-c", "exit 3")).code).toBe(3);
    const missing = await docker("run", "alpine", "nosuchcmd");
    expect(missing.code).toBe(127);
    expect(missing.err).toContain('exec: "nosuchcmd": executable file not found in $PATH');
    await docker("run", "-d", "--name", "web", "-p", "8080:80", "nginx:alpine");
    const clash = await docker("run", "-d", "--name", "web", "nginx:alpine");
    expect(clash.code).toBe(125);
    expect(clash.err).toMatch(/^error: Error response from daemon: Conflict\. The container name "\/web" is already in use/);
    const port = await docker("run", "-d", "-p", "8080:80", "nginx:alpine");
    expect(port.code).toBe(125);
    expect(port.err).toContain("Bind for 0.0.0.0:8080 failed: port is already allocated");
    const img = await docker("run", "nosuchimage");
    expect(img.code).toBe(125);
    expect(img.err).toContain("pull access denied for nosuchimage, repository does not exist");
    const bad = await docker("run", "Alpine");
    expect(bad.err).toContain("invalid reference format: repository name (library/Alpine) must be lowercase");
    const rm = await docker("rm", "web");
    expect(rm.code).toBe(1);
    expect(rm.err).toContain('cannot remove container "/web": container is running');
    const nope = await docker("logs", "wbe");
    expect(nope).toMatchObject({ code: 1 });
    expect(nope.err).toContain("Error response from daemon: No such container: wbe\nhint: did you mean 'web'?");
    const cg = await docker("run", "--cpus", "9", "alpine", "true");
    expect(cg.err).toContain("range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
  });

  it("manages networks, where names resolve on user-defined bridges", async () => {
    const { docker } = session();
    expect((await docker("network", "create", "appnet")).out).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await docker("network", "ls")).out).toMatch(/^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE\n[0-9a-f]{12}\s+appnet\s+bridge\s+local\n[0-9a-f]{12}\s+bridge\s+bridge\s+local\n[0-9a-f]{12}\s+host\s+host\s+local\n[0-9a-f]{12}\s+none\s+null\s+local\n$/);
    await docker("run", "-d", "--name", "api", "--network", "appnet", "nginx:alpine");
    const ok = await docker("run", "--rm", "--network", "appnet", "alpine", "nslookup", "api");
    expect(ok.out).toMatch(/Name:\tapi\nAddress: 172\.18\.0\.2/);
    const inspect = JSON.parse((await docker("network", "inspect", "appnet")).out);
    expect(Object.values(inspect[0].Containers)).toEqual([expect.objectContaining({ Name: "api", IPv4Address: "172.18.0.2/16" })]);
    const busy = await docker("network", "rm", "appnet");
    expect(busy.code).toBe(1);
    expect(busy.err).toContain("has active endpoints");
    const unknown = await docker("run", "--network", "apnet", "alpine", "true");
    expect(unknown.err).toContain("network apnet not found\nhint: did you mean 'appnet'?");
    expect((await docker("network", "rm", "bridge")).err).toContain("bridge is a pre-defined network and cannot be removed");
  });

  it("tags, pushes only missing layers, pulls, removes images and saves an OCI layout; --json where asked", async () => {
    const { cwd, docker } = session();
    await docker("pull", "alpine:3.19");
    await docker("tag", "alpine:3.19", "localhost:5000/base:1");
    const push = JSON.parse((await docker("push", "--json", "localhost:5000/base:1")).out);
    expect(push.layers.map((l: { action: string }) => l.action)).toEqual(["pushed"]);
    await docker("run", "--name", "c1", "alpine:3.19", "touch", "/new");
    await docker("commit", "c1", "localhost:5000/base:2");
    const second = await docker("push", "localhost:5000/base:2");
    expect(second.out).toMatch(/: Layer already exists\n/);
    expect(second.out).toMatch(/: Pushed\n/);
    const rmi = await docker("rmi", "localhost:5000/base:1");
    expect(rmi.out).toBe("Untagged: localhost:5000/base:1\n");
    expect((await docker("rmi", "alpine:3.19")).err).toContain('conflict: unable to remove repository reference "alpine:3.19" (must force) - container');
    const save = await docker("save", "--oci", "out", "alpine:3.19");
    expect(save.out).toMatch(/^wrote 1 image\(s\) to out: \d+ new blob\(s\), \d+ bytes\n$/);
    expect(JSON.parse(readFileSync(join(cwd, "out", "index.json"), "utf8")).manifests[0].annotations["org.opencontainers.image.ref.name"]).toBe("alpine:3.19");
    const lines = (await docker("images", "--json")).out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.some((i: { Tags: string[] }) => i.Tags.includes("alpine:3.19"))).toBe(true);
    expect((await docker("save", "alpine:3.19")).code).toBe(2);
  });

  it("reports a bad Dockerfile line with its number and the fix, and keeps state in --state FILE", async () => {
    const { cwd, docker } = session();
    writeFileSync(join(cwd, "Dockerfile"), "FROM alpine\nRUNN echo hi\n");
    const r = await docker("--state", "s.json", "build", ".");
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: failed to solve: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean run?) (Dockerfile:2)\nhint: write RUN\n");
    expect(existsSync(join(cwd, "s.json"))).toBe(true);
  });
});

describe("vmlab docker in a real shell", () => {
  it("runs a bash session of separate processes that share one host, with Docker's exit codes in $?", async () => {
    const { execFileSync } = await import("node:child_process");
    const cwd = mkdtempSync(join(tmpdir(), "vmlab-docker-sh-"));
    const bin = join(vmlabRoot(), "bin/vmlab.js");
    const script = [
      `docker() { "${process.execPath}" "${bin}" docker "$@"; }`,
      "docker run -d --name box alpine sleep 1000 > id.txt",
      "docker exec box hostname",
      "docker ps | tail -n +2 | awk '{ print $NF }'",
      "docker run --rm alpine sh -c 'exit 3'; echo \"exit=$?\"",
      "docker run --rm no-such-image:9 true 2> err.txt; echo \"exit=$?\"",
      "docker stop box",
    ].join("\n");
    const out = execFileSync("bash", ["-c", script], { cwd, encoding: "utf8", env: { ...process.env, CI: "1" } });
    expect(readFileSync(join(cwd, "id.txt"), "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe(readFileSync(join(cwd, "id.txt"), "utf8").slice(0, 12));
    expect(lines.slice(1)).toEqual(["box", "exit=3", "exit=125", "box"]);
    expect(readFileSync(join(cwd, "err.txt"), "utf8")).toMatch(/no-such-image/);
  }, 60_000);
});
