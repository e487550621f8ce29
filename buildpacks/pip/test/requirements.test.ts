import { describe, expect, it } from "vitest";
import { memoryAppFiles } from "#libcnb/testing";
import { fingerprintRequirements, logicalLines, sha256 } from "../src/requirements.js";

describe("logicalLines", () => {
  it("drops comments and blank lines, joins continuations and keeps line numbers", () => {
    const text = "# top\nnumpy==2.0  # pinned\n\npandas \\\n  ==2.2\nurl#frag\n";
    expect(logicalLines(text)).toEqual([
      { text: "numpy==2.0", line: 2 },
      { text: "pandas   ==2.2", line: 4 },
      { text: "url#frag", line: 6 },
    ]);
  });
});

describe("fingerprintRequirements", () => {
  it("hashes requirements.txt exactly like sha256sum", () => {
    const text = "numpy==2.5.5\npandas==3.1.1\n";
    const fp = fingerprintRequirements(memoryAppFiles({ "requirements.txt": text }), "requirements.txt");
    expect(fp).toEqual({
      sha256: sha256(text),
      includedSha256: "",
      included: [],
      localPaths: [],
      hashed: false,
    });
    expect(fp.sha256).toBe(sha256(Buffer.from(text)));
  });

  it("follows -r and -c includes recursively, relative to the including file", () => {
    const files = {
      "requirements.txt": "-r requirements/base.txt\n--constraint=constraints.txt\nflask\n",
      "requirements/base.txt": "-rcommon.txt\nnumpy\n",
      "requirements/common.txt": "-r base.txt\nsix\n",
      "constraints.txt": "numpy<3\n",
    };
    const fp = fingerprintRequirements(memoryAppFiles(files), "requirements.txt");
    expect(fp.included).toEqual(["requirements/base.txt", "requirements/common.txt", "constraints.txt"]);
    expect(fp.includedSha256).toMatch(/^[0-9a-f]{64}$/);

    const changed = fingerprintRequirements(
      memoryAppFiles({ ...files, "requirements/common.txt": "-r base.txt\nsix==1.17\n" }),
      "requirements.txt",
    );
    expect(changed.sha256).toBe(fp.sha256);
    expect(changed.includedSha256).not.toBe(fp.includedSha256);
  });

  it("notes a missing include in the hash without failing (pip will report it)", () => {
    const fp = fingerprintRequirements(
      memoryAppFiles({ "requirements.txt": "-r nope.txt\n" }),
      "requirements.txt",
    );
    expect(fp.included).toEqual(["nope.txt"]);
  });

  it("finds local paths, which can change without requirements.txt changing", () => {
    const text = [
      "numpy==2.5.5",
      "-e .",
      "./libs/featurizer",
      "wheels/model-1.0-py3-none-any.whl",
      "mypkg @ file:///workspace/mypkg",
      "-e git+https://github.com/org/repo@v1#egg=repo",
      "torch @ https://download.pytorch.org/whl/cpu/torch-2.5.0.whl",
      "--index-url https://pypi.org/simple",
      'scipy; python_version >= "3.10"',
    ].join("\n");
    const fp = fingerprintRequirements(memoryAppFiles({ "requirements.txt": text }), "requirements.txt");
    expect(fp.localPaths).toEqual([
      { file: "requirements.txt", line: 2, spec: "-e ." },
      { file: "requirements.txt", line: 3, spec: "./libs/featurizer" },
      { file: "requirements.txt", line: 4, spec: "wheels/model-1.0-py3-none-any.whl" },
      { file: "requirements.txt", line: 5, spec: "mypkg @ file:///workspace/mypkg" },
    ]);
  });

  it.each([
    [
      "tabulate==0.9.0 --hash=sha256:024ca478df22e9340661486f85298cff5f6dcdba14f3813e8830015b9ed1948f\n",
      true,
    ],
    [
      "tabulate==0.9.0 \\\n    --hash sha256:024ca478df22e9340661486f85298cff5f6dcdba14f3813e8830015b9ed1948f\n",
      true,
    ],
    ["--require-hashes\ntabulate==0.9.0\n", true],
    ["tabulate==0.9.0  # --hash is what we should add\n", false],
    ["hashlib-tools==1.0\n", false],
  ])("knows when pip will run in hash-checking mode: %j -> %s", (text, hashed) => {
    expect(
      fingerprintRequirements(memoryAppFiles({ "requirements.txt": text }), "requirements.txt").hashed,
    ).toBe(hashed);
  });

  it("sees a --hash in an included file", () => {
    const files = { "requirements.txt": "-r base.txt\n", "base.txt": "six==1.17.0 --hash=sha256:ab\n" };
    expect(fingerprintRequirements(memoryAppFiles(files), "requirements.txt").hashed).toBe(true);
  });
});
