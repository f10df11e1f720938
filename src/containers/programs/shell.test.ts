// Tests for the model's shell and busybox applets, run in a container: what a Dockerfile's RUN lines rely on.
import { describe, expect, it } from "vitest";
import { DockerHost } from "../docker-host.js";

const host = new DockerHost();
const sh = (script: string) => {
  const r = host.run("alpine", ["sh", "-c", script], { rm: true });
  return { out: r.stdout, err: r.stderr, code: r.exitCode };
};

describe("the shell", () => {
  it("runs lists, && and ||, for loops, variables and exit codes", () => {
    expect(sh('A=1; B="two words"; echo $A "$B" ${C:-dflt}; false || echo recovered && echo chained; for i in 1 2 3; do echo -n $i; done; echo').out).toBe("1 two words dflt\nrecovered\nchained\n123\n");
    expect(sh("exit 7").code).toBe(7);
    expect(sh("nosuch; echo $?").out).toBe("127\n");
    expect(sh("nosuch").err).toBe("sh: nosuch: not found\n");
  });

  it("redirects output into files, appends, and reports what cannot be created", () => {
    expect(sh("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; wc -l /tmp/f").out).toBe("one\ntwo\n2 /tmp/f\n");
    expect(sh("echo x > /nope/f").err).toBe("sh: can't create /nope/f: nonexistent directory\n");
    expect(sh("echo hidden 2>/dev/null >&2; echo shown").out).toBe("shown\n");
  });

  it("expands globs against the file system, leaving a pattern with no match as it is", () => {
    expect(sh("mkdir -p /d; touch /d/a.txt /d/b.txt /d/c.log; echo /d/*.txt; echo /d/*.none").out).toBe("/d/a.txt /d/b.txt\n/d/*.none\n");
  });

  it("refuses what it does not model with one clear message", () => {
    expect(sh("ps | grep sleep")).toMatchObject({ code: 2, err: "sh: pipes (|) are not modelled by vmlab's shell: run the commands one after the other\n" });
    expect(sh("echo $(date)").err).toMatch(/command substitution .* is not modelled/);
    expect(sh("if true; then echo; fi").err).toMatch(/'if' is not modelled/);
  });
});

describe("busybox applets", () => {
  it("copies, moves and removes with busybox's messages", () => {
    expect(sh("mkdir /src; echo hi > /src/f; cp -r /src /dst; mv /dst/f /dst/g; ls /dst; cat /dst/g").out).toBe("g\nhi\n");
    expect(sh("cp /nope /x").err).toBe("cp: can't stat '/nope': No such file or directory\n");
    expect(sh("mkdir /dd; cp /dd /ee").err).toBe("cp: omitting directory '/dd'\n");
    expect(sh("rm /etc").err).toBe("rm: '/etc' is a directory\n");
    expect(sh("rm /nope").err).toBe("rm: can't remove '/nope': No such file or directory\n");
    expect(sh("rm -f /nope").code).toBe(0);
  });

  it("lists with ls -l in busybox's format, and reports the host's memory in free", () => {
    expect(sh("ls -l /etc/alpine-release").out).toMatch(/^-rw-r--r--\s+1 root\s+root\s+7 Jan 27 00:00 \/etc\/alpine-release\n$/);
    expect(sh("free").out).toMatch(/^\s+total\s+used\s+free.*\nMem:\s+4194304\s/);
  });
});
