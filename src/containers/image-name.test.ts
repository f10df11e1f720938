// Tests for image references: Docker's normalisation, tags, digests and its error messages.
import { describe, expect, it } from "vitest";
import { familiarName, formatReference, parseReference, withDefaultTag } from "./image-name.js";

const digest = "sha256:" + "ab".repeat(32);

describe("parseReference", () => {
  it("puts a bare name under docker.io/library, as docker pull does", () => {
    expect(parseReference("alpine")).toEqual({ domain: "docker.io", path: "library/alpine" });
    expect(withDefaultTag(parseReference("alpine"))).toMatchObject({ tag: "latest" });
    expect(parseReference("user/app:1.0")).toEqual({ domain: "docker.io", path: "user/app", tag: "1.0" });
  });

  it("reads a registry host with a port as the domain, and localhost without one", () => {
    expect(parseReference("localhost:5000/app:1")).toEqual({ domain: "localhost:5000", path: "app", tag: "1" });
    expect(parseReference("localhost/app")).toEqual({ domain: "localhost", path: "app" });
    expect(parseReference("registry.example.org/team/app")).toMatchObject({ domain: "registry.example.org", path: "team/app" });
  });

  it("parses name:tag@digest with both kept, and prints the familiar form back", () => {
    const r = parseReference(`alpine:3.19@${digest}`);
    expect(r).toEqual({ domain: "docker.io", path: "library/alpine", tag: "3.19", digest });
    expect(formatReference(r)).toBe(`alpine:3.19@${digest}`);
    expect(familiarName(parseReference("localhost:5000/app"))).toBe("localhost:5000/app");
  });

  it("answers a malformed reference in Docker's words", () => {
    expect(() => parseReference("Alpine")).toThrow("invalid reference format: repository name (library/Alpine) must be lowercase");
    expect(() => parseReference("alpine:")).toThrow(/^invalid reference format$/);
    expect(() => parseReference("-app")).toThrow(/^invalid reference format$/);
    expect(() => parseReference(`app@sha256:${"z".repeat(64)}`)).toThrow(/invalid reference format/);
    expect(() => parseReference(`app@sha256:${"AB".repeat(32)}`)).toThrow(/invalid digest format/);
  });
});
