import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError } from "../../../src/libcnb/errors.js";
import { nodeAppFiles } from "../../../src/libcnb/files.js";

function appWith(name: string, bytes: Uint8Array): ReturnType<typeof nodeAppFiles> {
  const dir = mkdtempSync(join(tmpdir(), "libcnb-files-"));
  writeFileSync(join(dir, name), bytes);
  return nodeAppFiles(dir);
}

function errorOf(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

describe("nodeAppFiles().readText", () => {
  it("reads UTF-8, dropping a byte order mark; undefined for a missing file", () => {
    const app = appWith("a.txt", Buffer.from("\uFEFF3.12 – ok\n", "utf8"));
    expect(app.readText("a.txt")).toBe("3.12 – ok\n");
    expect(app.readText("missing.txt")).toBeUndefined();
  });

  it("reports bytes that are not UTF-8 as the file's encoding problem, with the line", () => {
    const app = appWith(".python-version", Buffer.from([0x23, 0x0a, 0x33, 0x2e, 0x31, 0xe9, 0x0a]));
    const err = errorOf(() => app.readText(".python-version"));
    expect(err.title).toBe(".python-version is not UTF-8 text");
    expect([err.file, err.line]).toEqual([".python-version", 2]);
    expect(err.body).toContain("save .python-version as UTF-8");
  });

  it("recognises UTF-16 (what PowerShell's > writes)", () => {
    const app = appWith(".python-version", Buffer.from("\uFEFF3.12\r\n", "utf16le"));
    const err = errorOf(() => app.readText(".python-version"));
    expect(err.body).toContain("is encoded as UTF-16");
    expect(err.body).toContain("Set-Content -Encoding utf8");
  });
});
