import { describe, expect, it } from "vitest";
import { renderBuildToml, renderLaunchToml, validateProcesses } from "../../../src/libcnb/launch.js";
import { parseToml } from "../../../src/libcnb/toml.js";

describe("renderLaunchToml", () => {
  it("renders processes with command arrays (Buildpack API 0.9+) and labels", () => {
    const text = renderLaunchToml({
      processes: [
        { type: "web", command: ["python3", "app.py"], default: true },
        {
          type: "worker",
          command: ["bash", "-c", "celery -A tasks worker"],
          args: ["--x"],
          workingDir: "src",
        },
      ],
      labels: [{ key: "io.ml-buildpacks.python.version", value: "3.13.5" }],
    });
    expect(parseToml(text)).toEqual({
      processes: [
        { type: "web", command: ["python3", "app.py"], args: [], default: true },
        {
          type: "worker",
          command: ["bash", "-c", "celery -A tasks worker"],
          args: ["--x"],
          "working-dir": "src",
        },
      ],
      labels: [{ key: "io.ml-buildpacks.python.version", value: "3.13.5" }],
    });
    expect(text).not.toContain("direct");
  });

  it("renders nothing for an empty config", () => {
    expect(renderLaunchToml({})).toBe("");
  });
});

describe("validateProcesses", () => {
  it("accepts valid processes", () => {
    expect(validateProcesses([{ type: "web", command: ["x"], default: true }])).toEqual([]);
  });

  it("reports what the lifecycle would reject", () => {
    expect(
      validateProcesses([
        { type: "a/b", command: ["x"], default: true },
        { type: "c", command: [], default: true },
        { type: "c", command: ["y"] },
      ]),
    ).toEqual([
      'process type "a/b" may not contain whitespace or any of / > < : | & \\',
      'process "c" has no command',
      'process type "c" is defined more than once',
      "more than one default process: a/b, c",
    ]);
  });
});

describe("renderBuildToml", () => {
  it("lists unmet plan entries", () => {
    expect(parseToml(renderBuildToml(["python"]))).toEqual({ unmet: [{ name: "python" }] });
    expect(renderBuildToml([])).toBe("");
  });
});
