// Tests for the registry: tags move, digests do not, and name:tag@digest pulls the digest's image.
import { describe, expect, it } from "vitest";
import { DockerHost } from "./docker-host.js";

describe("registry", () => {
  it("moves a tag to a new image while the old digest still names the old one", () => {
    const host = new DockerHost();
    const v1 = host.commit(host.run("alpine", ["touch", "/v1"]).container.id, "localhost:5000/app:latest");
    const first = host.push("localhost:5000/app:latest").report.manifestDigest;
    const v2 = host.commit(host.run("alpine", ["touch", "/v2"]).container.id, "localhost:5000/app:latest");
    host.push("localhost:5000/app:latest");
    const other = new DockerHost();
    other.registries.set("localhost:5000", host.registries.get("localhost:5000")!);
    expect(other.pull("localhost:5000/app:latest").image.id).toBe(v2.id);
    expect(other.pull(`localhost:5000/app@${first}`).image.id).toBe(v1.id);
    expect(other.pull(`localhost:5000/app:whatever@${first}`).image.id).toBe(v1.id);
    expect(() => other.pull("localhost:5000/app:v9")).toThrow("manifest for localhost:5000/app:v9 not found: manifest unknown");
    expect(() => other.pull("localhost:5001/app")).toThrow('Get "https://localhost:5001/v2/": dial tcp: lookup localhost: no such host');
  });
});
