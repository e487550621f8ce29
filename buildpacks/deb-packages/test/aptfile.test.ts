import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { aptArgument, parseAptfile } from "../src/aptfile.js";

function error(text: string): BuildpackError {
  try {
    parseAptfile(text, "Aptfile");
  } catch (e) {
    return e as BuildpackError;
  }
  throw new Error("expected an error");
}

describe("Aptfile", () => {
  it("reads one package per line with comments, blank lines and version pins", () => {
    const reqs = parseAptfile(
      "# GUI\nlibgl1\n\n  libglib2.0-0  # glib\nlibfoo=1:2.3-4+b1\nlibgl1\n",
      "Aptfile",
    );
    expect(reqs.map((r) => [aptArgument(r), r.line, r.origin])).toEqual([
      ["libgl1", 2, "Aptfile:2"],
      ["libglib2.0-0", 4, "Aptfile:4"],
      ["libfoo=1:2.3-4+b1", 5, "Aptfile:5"],
    ]);
  });

  it.each([
    ["libgl1\nlibgl1 libglib2.0-0\n", 2, "names more than one package"],
    ["https://example.com/x.deb\n", 1, "is a URL or a .deb file"],
    ["\n\n:repo:deb http://x y main\n", 3, "adds an apt repository"],
    ["LibGL1\n", 1, "is not a Debian package name"],
    ["libgl1=\n", 1, "is not a Debian package name"],
    ["libgl1=1.0\nlibgl1=2.0\n", 2, "asks for libgl1 twice"],
  ])("rejects %j at line %i", (text, line, title) => {
    const e = error(text);
    expect(e).toBeInstanceOf(BuildpackError);
    expect(e.title).toContain(title);
    expect(e.file).toBe("Aptfile");
    expect(e.line).toBe(line);
  });
});
