import { describe, expect, it } from "vitest";
import { formatCommand, mergeEnv, nodeExec } from "../../../src/libcnb/exec.js";

describe("nodeExec", () => {
  it("captures stdout, stderr and the exit code, and streams output", async () => {
    let streamed = "";
    const r = await nodeExec("sh", ["-c", 'echo out; echo err >&2; echo "$FOO"; exit 3'], {
      env: { FOO: "bar" },
      output: { write: (c) => (streamed += c), end: () => {} },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("out\nbar\n");
    expect(r.stderr).toBe("err\n");
    expect(streamed).toContain("out\n");
    expect(streamed).toContain("err\n");
  });

  it("reports a command that cannot be started as 127", async () => {
    const r = await nodeExec("/nonexistent/tool", []);
    expect(r.code).toBe(127);
    expect(r.spawnError).toMatch(/ENOENT/);
  });
});

describe("mergeEnv", () => {
  it("overrides and removes variables", () => {
    expect(mergeEnv({ A: "1", B: "2" }, { B: undefined, C: "3" })).toEqual({ A: "1", C: "3" });
  });
});

describe("formatCommand", () => {
  it("quotes arguments that need it", () => {
    expect(formatCommand("pip", ["install", "-r", "requirements.txt"])).toBe(
      "pip install -r requirements.txt",
    );
    expect(formatCommand("bash", ["-c", "echo it's"])).toBe("bash -c 'echo it'\\''s'");
  });
});
