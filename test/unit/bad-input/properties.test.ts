// Property tests: every parser of user input, fed arbitrary text (structured lines, random code points,
// random bytes, NUL, CR/CRLF, byte order marks, deep nesting), returns or throws our typed user error
// naming the file. Any other exception fails the property (fast-check prints the shrunk input).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseTags } from "../../../buildpacks/business-tags/src/tags.js";
import { parseEnvironment } from "../../../buildpacks/conda/src/environment.js";
import { parseExplicit } from "../../../buildpacks/conda/src/explicit.js";
import { parseMatchSpec } from "../../../buildpacks/conda/src/lock-freshness.js";
import { readSource } from "../../../buildpacks/conda/src/source.js";
import { parseAptfile } from "../../../buildpacks/deb-packages/src/aptfile.js";
import { parseHardware } from "../../../buildpacks/hardware/src/hardware-file.js";
import { fingerprintRequirements } from "../../../buildpacks/pip/src/requirements.js";
import { readProject as readPipenv } from "../../../buildpacks/pipenv/src/project.js";
import { readProject as readPoetry } from "../../../buildpacks/poetry/src/project.js";
import { parseProcfile } from "../../../buildpacks/processes/src/procfile.js";
import { parseProjectProcesses } from "../../../buildpacks/processes/src/project-toml.js";
import { parseVersionFile } from "../../../buildpacks/python/src/python-version.js";
import { readConstraints } from "../../../buildpacks/python/src/request.js";
import { readProject as readUv } from "../../../buildpacks/uv/src/project.js";
import { parseCommand } from "../../../src/cli/args.js";
import { parseBuilderConfig, resolveOrder } from "../../../src/core/builder/config.js";
import { parseImageRef } from "../../../src/core/image-ref.js";
import { parseTagRequest } from "../../../src/core/manifest-tag.js";
import { resolveRegistryAuth } from "../../../src/core/registry/credentials.js";
import { parseEnvEntries, parseMemoryLimit } from "../../../src/core/request.js";
import { parseSecretSpecs } from "../../../src/core/secrets.js";
import { parseTomlFile } from "../../../src/core/toml.js";
import { parseInputs } from "../../../src/github/inputs.js";
import { parseMergeInputs } from "../../../src/github/merge-inputs.js";
import { actionMode, toRebaseRequest } from "../../../src/github/rebase-mode.js";
import { decodeUtf8, nodeAppFiles } from "../../../src/libcnb/files.js";
import { memoryAppFiles } from "../../../src/libcnb/testing.js";
import { anyBytes, anyText, RUNS, userErrorOf } from "./user-error.js";

/** A text-file parser: property over anyText, and over bytes decoded the way the buildpacks read files. */
function fileProperty(
  name: string,
  file: string,
  tokens: readonly string[],
  parse: (text: string) => unknown,
) {
  test(`${name}: any text is parsed or refused naming ${file}`, () => {
    fc.assert(
      fc.property(anyText(tokens), (text) => {
        userErrorOf(() => parse(text), file);
      }),
      RUNS,
    );
  });
  test(`${name}: any bytes (read as UTF-8, strictly) are parsed or refused naming ${file}`, () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        userErrorOf(() => parse(decodeUtf8(file, bytes)), file);
      }),
      RUNS,
    );
  });
  test(`${name}: a 5 MB file of one repeated line does not crash`, () => {
    const line = `${tokens[0] ?? "x"}\n`;
    userErrorOf(() => parse(line.repeat(Math.ceil(5_000_000 / line.length))), file);
  });
}

const TOML_TOKENS = [
  "[",
  "]",
  "[[",
  "]]",
  "=",
  '"',
  "'''",
  '"""',
  "{",
  "}",
  ",",
  ".",
  "true",
  "1979-05-27",
  "0x1F",
];

describe("app files (buildpacks)", () => {
  fileProperty("hardware.txt", "hardware.txt", ["cuda", "cpu", "aws", "coral", "# c"], (t) =>
    parseHardware(t, "hardware.txt"),
  );
  fileProperty(
    "business-tags.yaml",
    "business-tags.yaml",
    [
      "team: vision",
      "cost-center: 4711",
      "- ",
      "&a",
      "*a",
      "!!binary",
      "{",
      "}",
      "[",
      "]",
      "? ",
      "---",
      "<<: *a",
    ],
    (t) => parseTags(t, "business-tags.yaml"),
  );
  fileProperty("Procfile", "Procfile", ["web: python app.py", "web:", "worker", ": x"], (t) =>
    parseProcfile(t, "Procfile"),
  );
  fileProperty(
    "project.toml",
    "project.toml",
    [
      ...TOML_TOKENS,
      "[[io.buildpacks.processes]]",
      'type = "web"',
      'command = ["a"]',
      "default = true",
      "args",
    ],
    (t) => parseProjectProcesses(t, "project.toml"),
  );
  fileProperty("Aptfile", "Aptfile", ["libgl1", "libgl1=1.7.0-1", ":repo:", "http://x/a.deb", "#"], (t) =>
    parseAptfile(t, "Aptfile"),
  );
  fileProperty(
    "environment.yml",
    "environment.yml",
    ["dependencies:", "  - numpy", "  - pip:", "    - x", "channels:", "name: x", "- ", "&a", "*a", "{", "["],
    (t) => parseEnvironment(t, "environment.yml"),
  );
  fileProperty(
    "conda lock",
    "conda-linux-64.lock",
    ["@EXPLICIT", "https://c/x-1-0.conda#", "a".repeat(64), "sha256:", "md5="],
    (t) => parseExplicit(t, "conda-linux-64.lock"),
  );
  fileProperty(".python-version", ".python-version", ["3.12", "3.12.4", "system", "pypy3"], (t) =>
    parseVersionFile(t, ".python-version"),
  );
  fileProperty(
    "requirements.txt",
    "requirements.txt",
    ["-r requirements.txt", "-r other.txt", "-c", "-e .", "--hash=sha256:a", "numpy==1.0", "\\"],
    (t) =>
      fingerprintRequirements(memoryAppFiles({ "requirements.txt": t, "other.txt": t }), "requirements.txt"),
  );

  const pyproject = '[project]\nname = "a"\nrequires-python = ">=3.11"\n';
  fileProperty(
    "uv.lock",
    "uv.lock",
    [...TOML_TOKENS, "[[package]]", 'name = "a"', 'source = { editable = "." }'],
    (t) => readUv(memoryAppFiles({ "uv.lock": t, "pyproject.toml": pyproject })),
  );
  fileProperty(
    "poetry.lock",
    "poetry.lock",
    [...TOML_TOKENS, "[[package]]", "[metadata]", 'content-hash = "x"'],
    (t) => readPoetry(memoryAppFiles({ "poetry.lock": t, "pyproject.toml": pyproject })),
  );
  fileProperty(
    "Pipfile.lock",
    "Pipfile.lock",
    ['{"_meta":', '{"hash":{"sha256":"x"}}', '"default":', "{", "}", "[", "]", "null"],
    (t) => readPipenv(memoryAppFiles({ "Pipfile.lock": t, Pipfile: "[packages]\n" })),
  );
  fileProperty("Pipfile", "Pipfile", [...TOML_TOKENS, "[requires]", 'python_version = "3.12"'], (t) =>
    readPipenv(
      memoryAppFiles({ "Pipfile.lock": '{"_meta":{"hash":{"sha256":"x"}},"default":{}}', Pipfile: t }),
    ),
  );
  fileProperty(
    "pyproject.toml (Python constraint)",
    "pyproject.toml",
    [...TOML_TOKENS, "[project]", "requires-python = ", '">=3.11,<3.13"', "~=", "!="],
    (t) => readConstraints(memoryAppFiles({ "pyproject.toml": t })),
  );
  fileProperty(
    "Pipfile (Python constraint)",
    "Pipfile",
    [...TOML_TOKENS, "[requires]", 'python_version = "3.12"', 'python_full_version = "3.12.4"'],
    (t) => readConstraints(memoryAppFiles({ Pipfile: t })),
  );
  fileProperty(
    "environment.yml (Python pin)",
    "environment.yml",
    ["dependencies:", "  - python=3.11", "  - python>=3.10,<3.13", "  - python 3.12.*", "  - pip:"],
    (t) => readConstraints(memoryAppFiles({ "environment.yml": t })),
  );
  test("conda match specs: any spec is parsed or set aside, never a crash", () => {
    fc.assert(
      fc.property(
        anyText(["numpy", ">=", "=", "1.2.*", "[build=py311*]", "::", "conda-forge::", " ", ","]),
        (spec) => {
          parseMatchSpec(spec);
        },
      ),
      RUNS,
    );
  });

  fileProperty("runtime.txt", "runtime.txt", ["python-3.12.4", "python-", "3.12"], (t) =>
    readConstraints(memoryAppFiles({ "runtime.txt": t })),
  );
  fileProperty(
    "environment.yml (conda source)",
    "environment.yml",
    ["dependencies:", "  - python=3.11", "  - numpy"],
    (t) => readSource(memoryAppFiles({ "environment.yml": t }), "linux-64"),
  );
});

describe("platform inputs (CLI, action, Tekton, GitLab all end here)", () => {
  fileProperty("any TOML file", "x.toml", TOML_TOKENS, (t) => parseTomlFile(t, "x.toml"));
  fileProperty(
    "builder.toml",
    "builder.toml",
    [
      ...TOML_TOKENS,
      "[[order]]",
      "[[order.group]]",
      "[stack]",
      "[[buildpacks]]",
      `$\{namespace}`,
      'uri = "x"',
    ],
    (t) => parseBuilderConfig(t, "builder.toml"),
  );

  test("builder.toml: any quoted key or order id (regex characters too) is refused naming builder.toml", () => {
    // ASCII mostly: that is where ( [ * + ? and friends are.
    const text = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 20 }) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }) },
    );
    fc.assert(
      fc.property(text, text, (key, id) => {
        const order = `[build]\nimage = "b"\n[[run.images]]\nimage = "r"\n[[order]]\n[[order.group]]\nid = ${JSON.stringify(id)}\n`;
        userErrorOf(() => parseBuilderConfig(`${JSON.stringify(key)} = 1\n`, "builder.toml"), "builder.toml");
        userErrorOf(() => resolveOrder(parseBuilderConfig(order, "builder.toml"), [], order), "builder.toml");
      }),
      RUNS,
    );
  });

  const readDockerConfig = (text: string) => () =>
    resolveRegistryAuth(["ghcr.io", "index.docker.io"], { DOCKER_CONFIG: "/cfg" }, () => text, {
      runHelper: () => ({ status: 1, stdout: "", stderr: "credentials not found" }),
    });
  fileProperty(
    "docker config.json",
    "/cfg/config.json",
    [
      '{"auths":',
      '{"ghcr.io":',
      '{"auth":',
      '"dTpw"',
      "null",
      "5",
      "[",
      "]",
      "{",
      "}",
      '"credsStore":"x"',
      '"credHelpers":',
    ],
    (t) => readDockerConfig(t)(),
  );
  test("CNB_REGISTRY_AUTH: any value is used or refused naming the variable", () => {
    fc.assert(
      fc.property(anyText(['{"ghcr.io":', '"Basic x"', "null", "5", "{", "}"]), (value) => {
        userErrorOf(
          () => resolveRegistryAuth(["ghcr.io"], { CNB_REGISTRY_AUTH: value }),
          "CNB_REGISTRY_AUTH",
        );
      }),
      RUNS,
    );
  });

  const refParts = [
    "ghcr.io/",
    "127.0.0.1:5000/",
    "a/b",
    ":",
    "@sha256:",
    "a".repeat(64),
    "UPPER",
    "library/",
    "//",
    "-",
    "_",
    ".",
  ];
  test("image references: any string is parsed or refused", () => {
    fc.assert(
      fc.property(anyText(refParts), (ref) => {
        const err = userErrorOf(() => parseImageRef(ref));
        if (err) expect(err.message.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
  test("manifest tag: any source and tags are accepted or refused", () => {
    fc.assert(
      fc.property(anyText(refParts), fc.array(anyText(refParts), { maxLength: 3 }), (src, tags) => {
        userErrorOf(() => parseTagRequest(src, tags));
      }),
      RUNS,
    );
  });

  test("--secret specs: any spec and any sources are accepted or refused", () => {
    const parts = ["id=", "env=", "src=", ",", "PIP_INDEX_URL", "CNB_X", "TOKEN", "/f", "="];
    fc.assert(
      fc.property(
        fc.array(anyText(parts), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("TOKEN", "PIP_INDEX_URL", "X"), anyText()),
        fc.option(anyText(), { nil: undefined }),
        (specs, env, file) => {
          userErrorOf(() => parseSecretSpecs(specs, { env, readFile: () => file }));
        },
      ),
      RUNS,
    );
  });

  const ACTION_INPUTS = [
    "path",
    "image",
    "tags",
    "flavor",
    "builder",
    "run-image",
    "previous-image",
    "env",
    "secrets",
    "publish",
    "cache",
    "cache-scope",
    "trust-builder",
    "fast-path",
    "compression",
    "memory",
    "clear-cache",
    "platform",
    "insecure-registries",
    "sbom-output-dir",
  ];
  const inputValue = anyText([
    "ghcr.io/o/app:1",
    "true",
    "false",
    "A=b",
    "linux/amd64",
    "1g",
    "cuda",
    ":1",
    ",",
  ]);
  test("action inputs: any values are accepted or refused", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...ACTION_INPUTS), inputValue),
        fc.boolean(),
        (values, withImage) => {
          const all = withImage ? { image: "ghcr.io/o/app:1", ...values } : values;
          userErrorOf(() => parseInputs((n) => all[n] ?? ""));
        },
      ),
      RUNS,
    );
  });
  test("merge action inputs: any values are accepted or refused", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("image", "images", "digests"), inputValue), (values) => {
        userErrorOf(() => parseMergeInputs((n) => values[n] ?? ""));
      }),
      RUNS,
    );
  });

  test("build env entries and memory limits: any value is accepted or refused", () => {
    fc.assert(
      fc.property(
        fc.array(anyText(["A=b", "=", "CNB_X=1", "PATH=", "a b=c"]), { maxLength: 4 }),
        anyText(["1g", "6m", "0", "k", "1.5g"]),
        (entries, memory) => {
          userErrorOf(() => parseEnvEntries(entries));
          userErrorOf(() => parseMemoryLimit("--memory", memory));
        },
      ),
      RUNS,
    );
  });
  test("action rebase mode: any mode and inputs are accepted or refused", () => {
    const names = ["image", "run-image", "flavor", "builder", "insecure-registries"];
    fc.assert(
      fc.property(inputValue, fc.dictionary(fc.constantFrom(...names), inputValue), (mode, values) => {
        userErrorOf(() => actionMode(mode));
        userErrorOf(() => toRebaseRequest((n) => values[n] ?? "", {}, undefined));
      }),
      RUNS,
    );
  });

  const argTokens = [
    "build",
    "builder",
    "create",
    "manifest",
    "tag",
    "rebase",
    "--image",
    "--tag",
    "--env",
    "--secret",
    "--builder",
    "--run-image",
    "--platform",
    "--cache-dir",
    "--memory",
    "--compression",
    "--publish",
    "--no-fast-path",
    "--report",
    "--",
    "-",
    "ghcr.io/o/app:1",
    "A=b",
    "id=X,env=Y",
    "linux/amd64",
    ".",
    "--help",
  ];
  test("CLI argv (what the GitLab component and the Tekton Task call): any argv is a command or a usage error", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...argTokens) },
            { weight: 1, arbitrary: anyText() },
          ),
          {
            maxLength: 10,
          },
        ),
        (argv) => {
          userErrorOf(() =>
            parseCommand(
              argv,
              {},
              () => false,
              () => undefined,
            ),
          );
        },
      ),
      RUNS,
    );
  });
});

describe("app dir links (what nodeAppFiles reads)", () => {
  const target = fc.oneof(
    fc.constantFrom(
      "/etc/passwd",
      "../x",
      "../../x",
      "sub/../../x",
      "a",
      "self",
      "sub",
      "sub/f",
      ".",
      "..",
      "/",
      "/nonexistent",
    ),
    fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 30 }).filter((t) => !t.includes("\0")),
  );
  test("a file that is any symlink is read, reported missing, or refused as leaving the app; never a crash", () => {
    fc.assert(
      fc.property(target, fc.constantFrom("requirements.txt", "sub/requirements.txt"), (to, rel) => {
        const root = mkdtempSync(join(tmpdir(), "bad-input-links-"));
        try {
          mkdirSync(join(root, "sub"));
          writeFileSync(join(root, "sub", "f"), "numpy\n");
          writeFileSync(join(root, "a"), "numpy\n");
          symlinkSync(to === "self" ? (rel.split("/").pop() ?? rel) : to, join(root, rel));
          const files = nodeAppFiles(root);
          userErrorOf(() => files.isFile(rel) && files.readText(rel), rel);
          userErrorOf(() => files.exists(rel), rel);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
