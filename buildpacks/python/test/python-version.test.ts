import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { parseVersionFile } from "../src/python-version.js";

function errorOf(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

describe("parseVersionFile", () => {
  it.each([
    ["3.12\n", "3.12", 1],
    ["3.12.4", "3.12.4", 1],
    ["3", "3", 1],
    ["# pinned for torch\n\n  3.13  \n", "3.13", 3],
    ["3.13 # trailing comment\r\n", "3.13", 1],
  ])("reads %j", (text, version, line) => {
    expect(parseVersionFile(text)).toEqual({ text: version, line, file: ".python-version" });
  });

  it("treats 'system' as no request", () => {
    expect(parseVersionFile("system\n")).toBeUndefined();
  });

  it("rejects an empty file", () => {
    expect(errorOf(() => parseVersionFile("\n# nothing\n")).title).toBe(
      ".python-version contains no Python version",
    );
  });

  it("rejects several versions, pointing at the second", () => {
    const err = errorOf(() => parseVersionFile("3.12\n3.11\n"));
    expect(err.title).toBe(".python-version lists more than one Python version");
    expect(err.line).toBe(2);
  });

  it.each(["3.12.0rc1", "pypy3.10", "3.12-dev", "latest", "3.12.1.1"])(
    "rejects %j with file and line",
    (v) => {
      const err = errorOf(() => parseVersionFile(`\n${v}\n`));
      expect(err.title).toContain("invalid Python version");
      expect(err.file).toBe(".python-version");
      expect(err.line).toBe(2);
    },
  );
});
