import { describe, expect, it } from "vitest";
import { formatDuration } from "../../../src/libcnb/log.js";
import { memoryLogger, steppingClock } from "../../../src/libcnb/testing.js";

describe("formatDuration", () => {
  it.each([
    [0, "< 0.1s"],
    [99, "< 0.1s"],
    [1234, "1.2s"],
    [59_940, "59.9s"],
    [65_000, "1m 05s"],
  ])("%d ms -> %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("logger", () => {
  it("prints headers, steps and details", () => {
    const log = memoryLogger();
    log.header("Installing requirements");
    log.step("Creating virtual environment");
    log.detail(["a", "b"]);
    expect(log.text()).toBe("\n[Installing requirements]\n- Creating virtual environment\n  a\n  b\n");
  });

  it("appends the duration to a timed step", async () => {
    const log = memoryLogger(steppingClock(1500));
    const v = await log.timed("Creating virtual environment", async () => 42);
    expect(v).toBe(42);
    expect(log.text()).toBe("- Creating virtual environment ... (1.5s)\n");
  });

  it("closes a timed step's line when something else is printed meanwhile", async () => {
    const log = memoryLogger(steppingClock(200));
    await log.timed("Probing", async () => log.detail("found x"));
    expect(log.text()).toBe("- Probing ...\n  found x\n  Done (0.2s)\n");
  });

  it("marks a failed timed step and rethrows", async () => {
    const log = memoryLogger(steppingClock(300));
    await expect(
      log.timed("Failing", async () => {
        throw new Error("x");
      }),
    ).rejects.toThrow("x");
    expect(log.text()).toBe("- Failing ... failed (0.3s)\n");
  });

  it("streams tool output indented, line by line, with a duration", async () => {
    const log = memoryLogger(steppingClock(2000));
    await log.streamed("Running pip install", async (out) => {
      out.write("Collecting six\nDown");
      out.write("loading six.whl\r\nno newline at end");
    });
    expect(log.text()).toBe(
      [
        "- Running pip install",
        "",
        "      Collecting six",
        "      Downloading six.whl",
        "      no newline at end",
        "",
        "  Done (2.0s)",
        "",
      ].join("\n"),
    );
  });

  it("prints warnings with a body", () => {
    const log = memoryLogger();
    log.warning("No process found", "Add a Procfile.");
    expect(log.text()).toBe("\n! WARNING: No process found\n! Add a Procfile.\n\n");
  });
});
