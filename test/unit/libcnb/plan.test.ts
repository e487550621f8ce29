import { describe, expect, it } from "vitest";
import { fail, parseBuildpackPlan, pass, renderBuildPlan } from "../../../src/libcnb/plan.js";
import { parseToml } from "../../../src/libcnb/toml.js";

describe("renderBuildPlan", () => {
  it("renders provides and requires as arrays of tables", () => {
    const text = renderBuildPlan({ provides: [{ name: "python" }], requires: [{ name: "python" }] });
    expect(text).toContain("[[provides]]");
    expect(text).toContain("[[requires]]");
    expect(parseToml(text)).toEqual({ provides: [{ name: "python" }], requires: [{ name: "python" }] });
  });

  it("keeps require metadata in a metadata table (the lifecycle rejects a top-level version)", () => {
    const text = renderBuildPlan({
      requires: [{ name: "python", metadata: { version: "3.13", build: true } }],
    });
    expect(parseToml(text)).toEqual({
      requires: [{ name: "python", metadata: { version: "3.13", build: true } }],
    });
  });

  it("renders alternatives under [[or]]", () => {
    const text = renderBuildPlan({
      provides: [{ name: "a" }],
      requires: [{ name: "a" }],
      or: [{ requires: [{ name: "b" }] }],
    });
    expect(parseToml(text)).toEqual({
      provides: [{ name: "a" }],
      requires: [{ name: "a" }],
      or: [{ requires: [{ name: "b" }] }],
    });
  });

  it("renders an empty plan as an empty file", () => {
    expect(renderBuildPlan({})).toBe("");
    expect(renderBuildPlan({ provides: [], requires: [] })).toBe("");
  });
});

describe("pass / fail", () => {
  it("builds detect results", () => {
    expect(pass()).toEqual({ pass: true, plan: {} });
    expect(fail("looked for a, b in the app: none found")).toEqual({
      pass: false,
      reasons: ["looked for a, b in the app: none found"],
    });
  });
});

describe("parseBuildpackPlan", () => {
  it("reads entries with their metadata", () => {
    const plan = parseBuildpackPlan(
      '[[entries]]\nname = "python"\n\n[[entries]]\nname = "python"\n  [entries.metadata]\n  version = "3.13"\n',
    );
    expect(plan.entries).toEqual([
      { name: "python", metadata: {} },
      { name: "python", metadata: { version: "3.13" } },
    ]);
  });

  it("accepts an empty plan", () => {
    expect(parseBuildpackPlan("")).toEqual({ entries: [] });
  });
});
