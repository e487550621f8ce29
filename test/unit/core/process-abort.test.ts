import { expect, test } from "vitest";
import { runProcess } from "../../../src/core/process.js";

test("aborting the signal stops the child (SIGTERM): it resolves as killed, never rejects", async () => {
  const controller = new AbortController();
  const started = Date.now();
  const running = runProcess("sleep", ["30"], { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const result = await running;
  expect(result.exitCode).toBe(128);
  expect(Date.now() - started).toBeLessThan(5000);
});
