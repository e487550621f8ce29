import { describe, expect, it } from "vitest";
import { hashCheckFailed, parseHashProblems } from "../src/errors.js";

// pip 23-25's words, as printed on this machine.
const MISSING = `ERROR: In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:
    wcwidth from https://files.pythonhosted.org/packages/fa/e8/wcwidth-0.9.4-cp310-abi3-manylinux2014_x86_64.whl (from -r requirements.txt (line 2))
ERROR: Hashes are required in --require-hashes mode, but they are missing from some requirements. Here is a list of those requirements along with the hashes their downloaded archives actually had. Add lines like these to your requirements files to prevent tampering. (If you did not enable --require-hashes manually, note that it turns on automatically when any package has a hash.)
    wcwidth==0.2.13 --hash=sha256:3da69048e4540d84af32131829ff948f1e022c1c6bdb8d6102117aac784f6859
`;

describe("pip hash-checking failures", () => {
  it("finds unpinned and unhashed requirements", () => {
    expect(parseHashProblems(MISSING)).toEqual({
      mismatched: [],
      unpinned: ["wcwidth"],
      missing: [
        "wcwidth==0.2.13 --hash=sha256:3da69048e4540d84af32131829ff948f1e022c1c6bdb8d6102117aac784f6859",
      ],
    });
  });

  it("is undefined for other failures", () => {
    expect(parseHashProblems("ERROR: No matching distribution found for six==99\n")).toBeUndefined();
  });

  it("says what to add, naming the file and the packages", () => {
    const e = hashCheckFailed(
      "requirements.txt",
      parseHashProblems(MISSING) ?? { mismatched: [], missing: [], unpinned: [] },
    );
    expect(e.title).toBe("pip's hash check failed for requirements.txt: wcwidth");
    expect(e.body).toContain("  wcwidth==0.2.13 --hash=sha256:3da6");
    expect(e.body).toContain("Pin them (name==version) with their --hash in requirements.txt.");
  });
});
