// The Binder / JupyterHub configuration (binder/, read by repo2docker) agrees with the project: the Node it installs satisfies package.json's engines, postBuild installs from the lockfile, builds, and registers the kernel the notebooks name. (Binder itself cannot be reached from the tests: this checks the files, not a build on mybinder.org.)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string }; scripts: Record<string, string>; devDependencies: Record<string, string>; dependencies: Record<string, string> };

describe("the binder/ configuration", () => {
  const env = parseYaml(readFileSync(join(root, "binder/environment.yml"), "utf8")) as { channels: string[]; dependencies: string[] };
  const postBuild = readFileSync(join(root, "binder/postBuild"), "utf8");

  it("installs a Node.js that package.json's engines accept, and Jupyter", () => {
    const node = env.dependencies.find((d) => d.startsWith("nodejs"))!;
    expect(pkg.engines.node).toBe(">=20.19");
    expect(node).toMatch(/^nodejs>=20\.19(,|$)/);
    expect(env.dependencies.some((d) => d.startsWith("jupyterlab"))).toBe(true);
    expect(env.channels).toContain("conda-forge");
  });

  it("runs postBuild as an executable script that installs from the lockfile, builds with the project's script and registers tslab", () => {
    expect(statSync(join(root, "binder/postBuild")).mode & 0o111).not.toBe(0);
    expect(postBuild.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    const steps = postBuild.split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("set "));
    expect(steps.slice(1)).toEqual(["npm ci --no-audit --no-fund", "npm run build", 'node node_modules/tslab/bin/tslab install --sys-prefix --python=python3 --binary="$PWD/node_modules/.bin/tslab"']);
    expect(pkg.scripts.build).toBeDefined();
    expect({ ...pkg.dependencies, ...pkg.devDependencies }.tslab).toBeDefined();
  });

  it("registers the kernel every notebook names", () => {
    const kernels = readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).map((f) => (JSON.parse(readFileSync(join(root, "notebooks", f), "utf8")) as { metadata: { kernelspec: { name: string } } }).metadata.kernelspec.name);
    expect(kernels.length).toBeGreaterThan(0);
    expect(new Set(kernels)).toEqual(new Set(["tslab"]));
  });
});
