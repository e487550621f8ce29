import { describe, expect, test } from "vitest";
import { parseTags } from "../../../buildpacks/business-tags/src/tags.js";
import { parseEnvironment } from "../../../buildpacks/conda/src/environment.js";
import { flowNesting, MAX_YAML_NESTING } from "../../../src/libcnb/yaml-nesting.js";

// 6000 levels crashed V8 itself inside the yaml parser (found by the bad-input properties).
const deep = `${'{"a":'.repeat(6000)}1${"}".repeat(6000)}\n`;

describe("YAML nesting guard", () => {
  test("measures the deepest [ / { and its line", () => {
    expect(flowNesting("a: [1, {b: [2]}]\n")).toEqual({ depth: 3, line: 1 });
    expect(flowNesting("a: 1\nb: [[x]]\n")).toEqual({ depth: 2, line: 2 });
  });

  test("business-tags.yaml nested thousands deep is refused naming the file and line, not a crash", () => {
    expect(() => parseTags(deep, "business-tags.yaml")).toThrow(
      /business-tags\.yaml line 1: nested 6000 levels deep/,
    );
  });

  test("environment.yml nested thousands deep is refused naming the file", () => {
    expect(() => parseEnvironment(`dependencies: ${deep}`, "environment.yml")).toThrow(
      /environment\.yml line 1: nested/,
    );
  });

  test("ordinary files pass", () => {
    expect(flowNesting("dependencies: [python=3.11, {pip: [six]}]").depth).toBeLessThanOrEqual(
      MAX_YAML_NESTING,
    );
    expect(parseTags("team: vision\n", "business-tags.yaml")).toHaveLength(1);
  });
});
