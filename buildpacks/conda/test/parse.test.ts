import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryAppFiles } from "#libcnb/testing";
import { errorOf } from "#pybuild/testing";
import { channelAlias, channelUrls, condaSubdir, mirrorUrl } from "../src/channels.js";
import { condaFiles } from "../src/detect.js";
import { parseEnvironment } from "../src/environment.js";
import { parseExplicit } from "../src/explicit.js";
import { RATTLER_VERSION } from "../src/layers/rattler.js";
import { localPipRequirements } from "../src/pip-section.js";
import { checkOnlyConda, readSource } from "../src/source.js";

const ENV =
  "name: app\nchannels:\n  - conda-forge\n  - https://example.com/my-channel/\ndependencies:\n  - python=3.11\n  - numpy >=2  # comment\n";

describe("environment.yml", () => {
  it("reads name, channels and dependencies with their lines", () => {
    const env = parseEnvironment(ENV, "environment.yml");
    expect(env.name).toBe("app");
    expect(env.channels).toEqual([
      { value: "conda-forge", line: 3 },
      { value: "https://example.com/my-channel/", line: 4 },
    ]);
    expect(env.dependencies).toEqual([
      { value: "python=3.11", line: 6 },
      { value: "numpy >=2", line: 7 },
    ]);
  });

  it("bad YAML names the file and the line", () => {
    // Inline, not a fixture file: biome would reject a broken .yml in the tree.
    const text = "name: broken\ndependencies:\n  - python=3.11\n  - numpy: [2.2\n  - tabulate\n";
    const err = errorOf(() => parseEnvironment(text, "environment.yml"));
    expect(err.title).toMatch(/^environment.yml is not valid YAML \(line \d+\)$/);
    expect(err.file).toBe("environment.yml");
    expect(err.line).toBe(5);
  });

  it.each([
    ["no dependencies key", "name: x\nchannels: [conda-forge]\n", "environment.yml has no dependencies"],
    ["empty dependencies", "dependencies: []\n", "environment.yml has no dependencies"],
    ["a list at the top", "- numpy\n", "environment.yml is not a map of name, channels and dependencies"],
    [
      "dependencies a string",
      "dependencies: numpy\n",
      'environment.yml line 1: "dependencies" must be a list',
    ],
    [
      "a nested map",
      "dependencies:\n  - numpy: 2\n",
      'environment.yml line 2: "numpy: 2" is not a valid dependencies entry',
    ],
  ])("%s is an error", (_, text, title) => {
    expect(errorOf(() => parseEnvironment(text, "environment.yml")).title).toBe(title);
  });

  it("reads the pip section's requirements and its line, apart from the conda dependencies", () => {
    const env = parseEnvironment(
      "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - six==1.17.0\n      - --index-url https://pypi.example/simple\n",
      "environment.yml",
    );
    expect(env.dependencies.map((d) => d.value)).toEqual(["python=3.11", "pip"]);
    expect(env.pip).toEqual([
      { value: "six==1.17.0", line: 5 },
      { value: "--index-url https://pypi.example/simple", line: 6 },
    ]);
    expect(env.pipLine).toBe(4);
  });

  it("a pip section that is not a list of strings is an error with its line", () => {
    expect(
      errorOf(() => parseEnvironment("dependencies:\n  - pip\n  - pip: six\n", "environment.yml")).title,
    ).toBe('environment.yml line 3: "pip" must be a list');
    expect(
      errorOf(() => parseEnvironment("dependencies:\n  - pip\n  - pip:\n      - six: 1\n", "environment.yml"))
        .title,
    ).toBe('environment.yml line 4: "six: 1" is not a valid pip entry');
  });
});

const SHA = "a".repeat(64);
const MD5 = "b".repeat(32);

describe("explicit locks", () => {
  it("reads sha256 and md5 lines with their line numbers", () => {
    const text = `# comment\n@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/noarch/tabulate-0.9.0-pyhd8ed1ab_0.tar.bz2#sha256:${SHA}\nhttps://conda.anaconda.org/conda-forge/linux-64/numpy-2.2.6-py311_0.conda#${MD5}\n`;
    expect(parseExplicit(text, "conda-linux-64.lock")).toEqual([
      {
        url: "https://conda.anaconda.org/conda-forge/noarch/tabulate-0.9.0-pyhd8ed1ab_0.tar.bz2",
        kind: "sha256",
        hash: SHA,
        line: 3,
      },
      {
        url: "https://conda.anaconda.org/conda-forge/linux-64/numpy-2.2.6-py311_0.conda",
        kind: "md5",
        hash: MD5,
        line: 4,
      },
    ]);
  });

  it.each([
    [
      "no @EXPLICIT",
      `https://x/a/b-1-0.conda#${SHA}\n`,
      "conda-linux-64.lock line 1: a package line before @EXPLICIT",
    ],
    ["only the header", "@EXPLICIT\n", "conda-linux-64.lock lists no packages"],
    ["empty file", "", "conda-linux-64.lock is not an explicit conda lock"],
    [
      "no hash",
      "@EXPLICIT\nhttps://x/c/linux-64/b-1-0.conda\n",
      "conda-linux-64.lock line 2: no hash after the URL",
    ],
    [
      "bad hash",
      "@EXPLICIT\nhttps://x/c/linux-64/b-1-0.conda#sha256:abc\n",
      "conda-linux-64.lock line 2: the hash is not a sha256 or md5 digest",
    ],
    [
      "not a package URL",
      `@EXPLICIT\nnumpy=2.2.6#${SHA}\n`,
      "conda-linux-64.lock line 2: not an http(s) URL of a .conda or .tar.bz2 file",
    ],
  ])("%s is an error", (_, text, title) => {
    expect(errorOf(() => parseExplicit(text, "conda-linux-64.lock")).title).toBe(title);
  });
});

describe("channels", () => {
  it("names go under the alias, URLs stay, defaults are Anaconda's, none is conda-forge", () => {
    expect(
      channelUrls(["conda-forge", "https://example.com/c/", "defaults"], "http://127.0.0.1:5482"),
    ).toEqual([
      "http://127.0.0.1:5482/conda-forge",
      "https://example.com/c",
      "https://repo.anaconda.com/pkgs/main",
      "https://repo.anaconda.com/pkgs/r",
    ]);
    expect(channelUrls([], "https://conda.anaconda.org")).toEqual(["https://conda.anaconda.org/conda-forge"]);
  });

  it("BP_CONDA_CHANNEL_ALIAS, trailing slashes trimmed; lock URLs on the default alias follow it", () => {
    expect(channelAlias({})).toBe("https://conda.anaconda.org");
    const alias = channelAlias({ BP_CONDA_CHANNEL_ALIAS: " http://mirror:8080/ " });
    expect(alias).toBe("http://mirror:8080");
    expect(mirrorUrl("https://conda.anaconda.org/conda-forge/noarch/a-1-0.conda", alias)).toBe(
      "http://mirror:8080/conda-forge/noarch/a-1-0.conda",
    );
    expect(mirrorUrl("https://other.example/c/noarch/a-1-0.conda", alias)).toBe(
      "https://other.example/c/noarch/a-1-0.conda",
    );
  });

  it("conda subdirs per architecture", () => {
    expect(condaSubdir("amd64")).toBe("linux-64");
    expect(condaSubdir("arm64")).toBe("linux-aarch64");
  });
});

describe("source and the one-package-manager rule", () => {
  it("detects environment.yml, environment.yaml and conda-<subdir>.lock", () => {
    expect(
      condaFiles(memoryAppFiles({ "environment.yaml": "", "conda-linux-64.lock": "", "conda.lock": "" })),
    ).toEqual(["environment.yaml", "conda-linux-64.lock"]);
  });

  it("environment.yml with requirements.txt or poetry.lock fails listing every file", () => {
    const err = errorOf(() =>
      checkOnlyConda(memoryAppFiles({ "environment.yml": ENV, "requirements.txt": "", "poetry.lock": "" })),
    );
    expect(err.title).toBe(
      "This app has files for 3 package managers: environment.yml, requirements.txt, poetry.lock",
    );
    expect(err.body).toContain(
      "  - environment.yml (conda)\n  - requirements.txt (pip)\n  - poetry.lock (Poetry)",
    );
  });

  it("both environment.yml and environment.yaml is an error", () => {
    expect(
      errorOf(() => checkOnlyConda(memoryAppFiles({ "environment.yml": ENV, "environment.yaml": ENV })))
        .title,
    ).toBe("This app has both environment.yml and environment.yaml");
  });

  it("the lock for the build's platform wins over environment.yml; a lock for another platform only is an error", () => {
    const lock =
      `@EXPLICIT\nhttps://x/c/linux-64/python-3.11.2-0.conda#${SHA}\n` +
      `https://x/c/linux-64/numpy-2.2.6-py311_0.conda#${SHA}\n`;
    const source = readSource(
      memoryAppFiles({ "environment.yml": ENV, "conda-linux-64.lock": lock }),
      "linux-64",
    );
    expect(source.kind).toBe("explicit");
    expect(source.file).toBe("conda-linux-64.lock");
    const err = errorOf(() =>
      readSource(memoryAppFiles({ "environment.yml": ENV, "conda-linux-64.lock": lock }), "linux-aarch64"),
    );
    expect(err.title).toBe("No conda lock for this build's platform: conda-linux-aarch64.lock is missing");
  });

  it("environment.yml: its sha256, channels and specs", () => {
    const source = readSource(memoryAppFiles({ "environment.yml": ENV }), "linux-64");
    expect(source).toMatchObject({
      kind: "environment",
      file: "environment.yml",
      channels: [
        { value: "conda-forge", line: 3 },
        { value: "https://example.com/my-channel/", line: 4 },
      ],
      specs: ["python=3.11", "numpy >=2"],
      name: "app",
    });
    expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

it("RATTLER_VERSION is the version pinned in bin/tool-requirements.txt", () => {
  const text = readFileSync(join(import.meta.dirname, "..", "bin", "tool-requirements.txt"), "utf8");
  expect(text).toContain(`py-rattler==${RATTLER_VERSION} \\`);
  expect(text.match(/--hash=sha256:[0-9a-f]{64}/g)).toHaveLength(2);
});

describe("localPipRequirements", () => {
  it("finds editables and paths in the pip section, not index or VCS requirements", () => {
    expect(
      localPipRequirements([
        "tabulate==0.9.0",
        "-e .",
        "./libs/core",
        "file:///wheels/x.whl",
        "wheels/y-1.0-py3-none-any.whl",
        "git+https://example.com/repo.git",
        "pkg @ https://example.com/pkg.tar.gz",
      ]),
    ).toEqual(["-e .", "./libs/core", "file:///wheels/x.whl", "wheels/y-1.0-py3-none-any.whl"]);
  });
});
