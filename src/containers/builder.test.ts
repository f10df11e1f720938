// Tests for docker build: layers and config-only steps, the build cache (content, not mtime), whiteouts that do not
// shrink an image, pushes that upload only changed layers, .dockerignore, and Dockerfile errors by line.
import { describe, expect, it } from "vitest";
import { build, type BuildContext, type ContextFile } from "./builder.js";
import { DockerHost } from "./docker-host.js";

const enc = new TextEncoder();
const file = (text: string, mtime = 1709280000, mode = 0o644): ContextFile => ({ content: enc.encode(text), mode, mtime });

const DOCKERFILE = `# a small web app
FROM alpine:3.19
RUN apk add --no-cache curl
ENV GREETING=hello \\
    PORT=8080
COPY app.sh /app/
RUN chmod 755 /app/app.sh && echo built > /app/stamp
WORKDIR /app
EXPOSE 8080
CMD ["/app/app.sh"]
`;

function context(app: ContextFile, extra: Record<string, ContextFile> = {}): BuildContext {
  return new Map([["Dockerfile", file(DOCKERFILE)], ["app.sh", app], ...Object.entries(extra)]);
}

describe("docker build", () => {
  it("makes a layer for each RUN and COPY, and only history for ENV, WORKDIR, EXPOSE and CMD", () => {
    const host = new DockerHost();
    const r = build(host, context(file("#!/bin/sh\necho $GREETING\n")), { tags: ["app:1"] });
    const base = host.images.get("alpine:3.19");
    expect(r.image.layers.length - base.layers.length).toBe(3);
    const added = r.image.config.history.slice(base.config.history.length);
    expect(added.map((h) => [h.created_by, h.empty_layer ?? false])).toEqual([
      ["RUN /bin/sh -c apk add --no-cache curl # buildkit", false],
      ["ENV GREETING=hello PORT=8080", true],
      ["COPY app.sh /app/ # buildkit", false],
      ["RUN /bin/sh -c chmod 755 /app/app.sh && echo built > /app/stamp # buildkit", false],
      ["WORKDIR /app", true],
      ["EXPOSE map[8080/tcp:{}]", true],
      ['CMD ["/app/app.sh"]', true],
    ]);
    expect(r.image.runConfig).toMatchObject({ Cmd: ["/app/app.sh"], WorkingDir: "/app", ExposedPorts: { "8080/tcp": {} } });
    expect(r.image.runConfig.Env).toContain("GREETING=hello");
    expect(host.run("app:1").stdout).toBe("hello\n");
    expect(r.log).toMatch(/#\d+ \[2\/4\] RUN apk add --no-cache curl\n#\d+ 0\.\d+ fetch https:\/\/dl-cdn/);
  });

  it("rebuilds a COPY whose file content changed and every step after it, but hits the cache when only the mtime changed", () => {
    const host = new DockerHost();
    const first = build(host, context(file("#!/bin/sh\necho one\n", 1709280000)), { tags: ["app:1"] });
    const touched = build(host, context(file("#!/bin/sh\necho one\n", 1709290000)), { tags: ["app:1"] });
    expect(touched.steps.filter((s) => !s.cached && s.layer).map((s) => s.instruction)).toEqual([]);
    expect(touched.image.id).toBe(first.image.id);
    const changed = build(host, context(file("#!/bin/sh\necho two\n")), { tags: ["app:2"] });
    const fsSteps = changed.steps.filter((s) => s.kind === "RUN" || s.kind === "COPY");
    expect(fsSteps.map((s) => [s.instruction, s.cached])).toEqual([
      ["RUN apk add --no-cache curl", true],
      ["COPY app.sh /app/", false],
      ["RUN chmod 755 /app/app.sh && echo built > /app/stamp", false],
    ]);
    expect(changed.log).toMatch(/\[2\/4\] RUN apk add --no-cache curl\n#\d+ CACHED/);
  });

  it("pushes a rebuilt image uploading only the layers that changed", () => {
    const host = new DockerHost();
    build(host, context(file("#!/bin/sh\necho one\n")), { tags: ["localhost:5000/app:1"] });
    const firstPush = host.push("localhost:5000/app:1");
    expect(firstPush.report.layers.every((l) => l.action === "pushed")).toBe(true);
    const rebuilt = build(host, context(file("#!/bin/sh\necho two\n")), { tags: ["localhost:5000/app:2"] });
    const second = host.push("localhost:5000/app:2");
    const pushed = second.report.layers.filter((l) => l.action === "pushed").map((l) => l.digest);
    expect(pushed).toEqual(rebuilt.image.layers.slice(-2).map((l) => l.digest));
    expect(second.output).toContain(`${rebuilt.image.layers[0]!.digest.slice(7, 19)}: Layer already exists`);
    expect(second.report.bytes).toBeLessThan(firstPush.report.bytes / 10);
    const other = new DockerHost();
    other.registries.set("localhost:5000", host.registries.get("localhost:5000")!);
    other.pull("localhost:5000/app:1");
    const pulled = other.pull("localhost:5000/app:2");
    expect(pulled.report.layers.filter((l) => l.action === "pulled")).toHaveLength(2);
  });

  it("does not shrink the image when a later layer deletes a file: the whiteout hides it, the bytes stay", () => {
    const host = new DockerHost();
    const ctx: BuildContext = new Map([
      ["Dockerfile", file("FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n")],
    ]);
    const r = build(host, ctx, { tags: ["fat:1"] });
    const sizes = r.steps.filter((s) => s.kind === "RUN").map((s) => s.layer!.size);
    expect(sizes[0]).toBeGreaterThan(8 * 2 ** 20);
    expect(sizes[2]).toBeLessThan(8 * 1024);
    const lastLayer = r.image.layers.at(-1)!;
    expect(lastLayer.whiteouts().length).toBe(4);
    const withoutDelete = host.images.get("fat:1").layers.slice(0, -1).reduce((n, l) => n + l.contentSize, 0);
    expect(r.image.size).toBeGreaterThanOrEqual(withoutDelete);
    expect(host.run("fat:1", ["ls", "/var/lib/apt/lists"]).stdout).toBe("");
    const oneLayer = build(host, new Map([["Dockerfile", file("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n")]]), { tags: ["slim:1"] });
    expect(oneLayer.image.size).toBeLessThan(r.image.size - 8 * 2 ** 20);
  });

  it("leaves out what .dockerignore excludes, re-including negated patterns", () => {
    const host = new DockerHost();
    const ctx: BuildContext = new Map([
      ["Dockerfile", file("FROM alpine:3.19\nCOPY . /src/\n")],
      [".dockerignore", file("# no secrets, no logs\n*.log\nsecrets/\n!keep.log\n**/tmp\n")],
      ["main.c", file("int main(){}")],
      ["debug.log", file("x")],
      ["keep.log", file("y")],
      ["secrets/key", file("k")],
      ["a/b/tmp/t", file("t")],
      ["a/b/ok", file("o")],
    ]);
    const r = build(host, ctx, { tags: ["src:1"] });
    const out = host.run("src:1", ["sh", "-c", "ls /src /src/a/b"]).stdout;
    expect(out).toBe("/src:\nDockerfile\na\nkeep.log\nmain.c\n/src/a/b:\nok\n");
    expect(host.run("src:1", ["ls", "-a", "/src"]).stdout).toContain(".dockerignore\n");
    expect(r.steps.at(-1)!.cached).toBe(false);
  });

  it("fails a RUN that exits non-zero, naming the process, its exit code and the Dockerfile line", () => {
    const host = new DockerHost();
    const ctx: BuildContext = new Map([["Dockerfile", file("FROM debian:bookworm-slim\n\nRUN apt-get install -y curl\n")]]);
    expect(() => build(host, ctx)).toThrow(expect.objectContaining({
      code: "BUILD_RUN_FAILED",
      message: 'failed to solve: process "/bin/sh -c apt-get install -y curl" did not complete successfully: exit code: 100',
      where: { file: "Dockerfile", line: 3 },
    }));
  });

  it("reports a bad Dockerfile line with its number, the instruction and the fix", () => {
    const host = new DockerHost();
    const bad = (text: string) => () => build(host, new Map([["Dockerfile", file(text)]]));
    expect(bad("FROM alpine\nRUNN echo hi\n")).toThrow(expect.objectContaining({ message: "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean run?)", hint: "write RUN" }));
    expect(bad("FROM alpine\nCOPY onlyone\n")).toThrow(/line 2: COPY requires at least two arguments/);
    expect(bad("RUN echo\n")).toThrow(/line 1: RUN before FROM/);
    expect(bad("FROM alpine\nENV =x\n")).toThrow(/line 2: ENV names can not be blank/);
    expect(bad("FROM alpine\nCOPY missing.txt /\n")).toThrow(/"\/missing.txt": not found/);
  });

  it("copies between stages of a multi-stage build, and substitutes ARG and ENV values", () => {
    const host = new DockerHost();
    const df = "ARG BASE=alpine:3.19\nFROM ${BASE} AS builder\nARG NAME=world\nRUN mkdir -p /out && echo hello $NAME > /out/greeting\nFROM busybox\nCOPY --from=builder /out/greeting /greeting\nCMD [\"cat\", \"/greeting\"]\n";
    const r = build(host, new Map([["Dockerfile", file(df)]]), { tags: ["multi:1"], buildArgs: { NAME: "students" } });
    expect(host.run("multi:1").stdout).toBe("hello students\n");
    expect(r.image.layers.length).toBe(host.images.get("busybox").layers.length + 1);
  });
});
