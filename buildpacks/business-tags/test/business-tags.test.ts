import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { build } from "../src/build.js";
import { detect } from "../src/detect.js";
import { parseTags } from "../src/tags.js";
import { buildContext } from "./helpers.js";

function error(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BuildpackError);
    return e as BuildpackError;
  }
  throw new Error("expected an error");
}

describe("business-tags.yaml", () => {
  it("turns a flat map into labels, keeping numbers and booleans as written", () => {
    const tags = parseTags(
      '# tags\nteam: vision\ncost-center: 00123\nprice: 1.50\npublic: true\nnote: "a: b"\n',
    );
    expect(tags.map((t) => [t.key, t.value, t.line])).toEqual([
      ["team", "vision", 2],
      ["cost-center", "00123", 3],
      ["price", "1.50", 4],
      ["public", "true", 5],
      ["note", "a: b", 6],
    ]);
    expect(parseTags("# nothing yet\n")).toEqual([]);
  });

  it.each([
    ["team: vision\nowners:\n  - a\n", 2, "the value of owners is a nested map or list"],
    ["team: vision\nmeta:\n  a: 1\n", 2, "the value of meta is a nested map or list"],
    ["team: [vision\ncost: 1\n", 2, "is not valid YAML"],
    ["Team: x\n", 1, '"Team" is not a valid label name'],
    ["a..b: x\n", 1, "is not a valid label name"],
    ["io.buildpacks.x: y\n", 1, "reserved prefix io.buildpacks."],
    ["team:\n", 1, "team has no value"],
    ["- a\n- b\n", 1, "must be a map"],
    ["team: a\nteam: b\n", 2, "is not valid YAML"],
  ])("rejects %j at line %i", (text, line, title) => {
    const e = error(() => parseTags(text));
    expect(e.title).toContain(title);
    expect([e.file, e.line]).toEqual(["business-tags.yaml", line]);
  });
});

describe("business-tags buildpack", () => {
  it("detects the file, or required tags without it", () => {
    expect(detect(buildContext({ "business-tags.yaml": "team: a\n" })).pass).toBe(true);
    expect(detect(buildContext({})).pass).toBe(false);
    expect(detect({ ...buildContext({}), platformEnv: { BP_REQUIRED_BUSINESS_TAGS: "team" } }).pass).toBe(
      true,
    );
  });

  it("returns the labels and checks the required ones", () => {
    const ctx = { ...buildContext({ "business-tags.yaml": "team: vision\ncost-center: 4711\n" }) };
    ctx.platformEnv = { BP_REQUIRED_BUSINESS_TAGS: "team, cost-center" };
    expect(build(ctx)).toEqual({
      labels: [
        { key: "team", value: "vision" },
        { key: "cost-center", value: "4711" },
      ],
    });
    expect(ctx.logger.text()).toContain("all present");
  });

  it("fails naming the missing required tags", () => {
    const ctx = { ...buildContext({ "business-tags.yaml": "team: vision\n" }) };
    ctx.platformEnv = { BP_REQUIRED_BUSINESS_TAGS: "team,cost-center,owner" };
    const e = error(() => build(ctx));
    expect(e.title).toBe("Required business tags missing: cost-center, owner");
    expect(e.body).toContain("    cost-center: <value>");
    const none = { ...buildContext({}), platformEnv: { BP_REQUIRED_BUSINESS_TAGS: "team" } };
    expect(error(() => build(none)).body).toContain("The app has no business-tags.yaml");
  });
});
