// The bad-input catalogue: one test per broken input a user can hand us. Each asserts what the user
// reads: what is wrong, in which file (and line, where there is one), and what to change in their
// own file or setting. Files are written to a real temp app dir and read the way the buildpacks read
// them (nodeAppFiles: strict UTF-8, symlinks checked) where that is part of the case.
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseTags } from "../../../buildpacks/business-tags/src/tags.js";
import { parseEnvironment } from "../../../buildpacks/conda/src/environment.js";
import { parseExplicit } from "../../../buildpacks/conda/src/explicit.js";
import { readSource } from "../../../buildpacks/conda/src/source.js";
import { parseAptfile } from "../../../buildpacks/deb-packages/src/aptfile.js";
import { parseHardware } from "../../../buildpacks/hardware/src/hardware-file.js";
import { fingerprintRequirements } from "../../../buildpacks/pip/src/requirements.js";
import { readProject as readPipenv } from "../../../buildpacks/pipenv/src/project.js";
import { readProject as readPoetry } from "../../../buildpacks/poetry/src/project.js";
import { parseProcfile } from "../../../buildpacks/processes/src/procfile.js";
import { parseProjectProcesses } from "../../../buildpacks/processes/src/project-toml.js";
import { parseVersionFile } from "../../../buildpacks/python/src/python-version.js";
import { readProject as readUv, readGroups as readUvGroups } from "../../../buildpacks/uv/src/project.js";
import { parseCommand } from "../../../src/cli/args.js";
import { buildTargets } from "../../../src/core/build/targets.js";
import {
  parseBuilderConfig,
  readBuildpackDescriptor,
  resolveOrder,
} from "../../../src/core/builder/config.js";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { layerEntries } from "../../../src/core/fast-path/app-tar.js";
import { listSourceTree } from "../../../src/core/fast-path/source-digest.js";
import { parseImageRef } from "../../../src/core/image-ref.js";
import { detectFailureReasons } from "../../../src/core/lifecycle/output.js";
import { parseTagRequest } from "../../../src/core/manifest-tag.js";
import { resolveRegistryAuth } from "../../../src/core/registry/credentials.js";
import { parseInputs } from "../../../src/github/inputs.js";
import { parseMergeInputs } from "../../../src/github/merge-inputs.js";
import { type AppFiles, nodeAppFiles } from "../../../src/libcnb/files.js";
import { runGitlabBuild, runTektonBuild } from "./run-script.js";
import { expectAt, expectSays, expectUserError, shown } from "./user-error.js";

/** A temp app dir with these files (string or bytes), read as the buildpacks read it. */
function app(files: Record<string, string | Uint8Array> = {}): { dir: string; files: AppFiles } {
  const dir = mkdtempSync(join(tmpdir(), "bad-input-app-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, files: nodeAppFiles(dir) };
}

const read = (a: AppFiles, file: string) => a.readText(file) ?? "";
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);
const DIGEST = `sha256:${"a".repeat(64)}`;
const PYPROJECT = '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.11"\n';

describe("builder.toml", () => {
  test("a TOML syntax error names the file, line and column", () => {
    const err = expectUserError(
      () => parseBuilderConfig('[stack]\nid = "x\n', "builder.toml"),
      "builder.toml",
    );
    expectAt(err, "builder.toml", 2);
    expectSays(err, "builder.toml is not valid TOML", "fix the syntax at the line shown");
  });

  test("an unfilled template placeholder names its line and says to pass --namespace/--version", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder a builder.toml template holds
    const text = '[[buildpacks]]\nuri = "x"\n\n[build]\nimage = "${namespace}/build:1"\n';
    const err = expectUserError(() => parseBuilderConfig(text, "builder.toml"), "builder.toml");
    expectAt(err, "builder.toml", 5);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder as the message names it
    expectSays(err, "unfilled placeholder ${namespace}", "--namespace");
  });

  test('an unknown key with regex characters ("[run" quoted) is named with its line', () => {
    const err = expectUserError(() =>
      parseBuilderConfig('# ours\n"[run" = 1\n[build]\nimage = "b"\n', "builder.toml"),
    );
    expectAt(err, "builder.toml", 2);
    expectSays(err, 'unknown key "[run"', "remove it; known keys:");
  });

  test("an order entry naming a buildpack that is not in [[buildpacks]] names its line and the known ones", () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-input-builder-"));
    mkdirSync(join(dir, "bp"));
    writeFileSync(
      join(dir, "bp", "buildpack.toml"),
      'api = "0.10"\n[buildpack]\nid = "x/bp"\nversion = "1.0.0"\n',
    );
    const text =
      '[build]\nimage = "b"\n[[run.images]]\nimage = "r"\n[[buildpacks]]\nuri = "bp"\n[[order]]\n[[order.group]]\nid = "x/(other)"\n';
    const file = join(dir, "builder.toml");
    const config = parseBuilderConfig(text, file);
    const err = expectUserError(() => resolveOrder(config, [readBuildpackDescriptor(join(dir, "bp"))], text));
    expectAt(err, file, 9);
    expectSays(err, "order group entry x/(other) is not among the [[buildpacks]]", "use one of: x/bp@1.0.0");
  });
});

describe("project.toml", () => {
  test("a syntax error names project.toml and its line", () => {
    const err = expectUserError(
      () => parseProjectProcesses('[[io.buildpacks.processes]]\ntype = "web"\ncommand = [\n', "project.toml"),
      "project.toml",
    );
    expectAt(err, "project.toml");
    expectSays(err, "project.toml is not valid TOML", "Fix the syntax of project.toml");
  });

  test("an unknown key in a process names the process's header line", () => {
    const text =
      '[_]\nschema-version = "0.2"\n\n[[io.buildpacks.processes]]\ntype = "web"\ncmd = "python app.py"\n';
    const err = expectUserError(() => parseProjectProcesses(text, "project.toml"), "project.toml");
    expectAt(err, "project.toml", 4);
    expectSays(err, 'unknown key "cmd"');
  });

  test("an empty command names the process and says what a command is", () => {
    const text = '[[io.buildpacks.processes]]\ntype = "web"\ncommand = []\n';
    const err = expectUserError(() => parseProjectProcesses(text, "project.toml"), "project.toml");
    expectAt(err, "project.toml", 1);
    expectSays(err, '"command" must be a non-empty string or array of strings (process "web")');
  });

  test("two default processes are refused, naming both and saying to keep one", () => {
    const proc = (t: string) => `[[io.buildpacks.processes]]\ntype = "${t}"\ncommand = "x"\ndefault = true\n`;
    const err = expectUserError(() => parseProjectProcesses(proc("web") + proc("worker"), "project.toml"));
    expectSays(err, "web, worker", "Mark at most one with default = true");
  });
});

describe("Procfile", () => {
  test("a line without 'type: command' names its line and shows the format", () => {
    const err = expectUserError(() => parseProcfile("web: gunicorn app:app\npython worker.py\n", "Procfile"));
    expectAt(err, "Procfile", 2);
    expectSays(err, "Procfile line 2 is not a process definition", "python worker.py");
  });

  test("a process type given twice names both lines", () => {
    const err = expectUserError(() => parseProcfile("web: a\nworker: b\nweb: c\n", "Procfile"), "Procfile");
    expectSays(err, "web", /line 3|3/, /line 1|1/);
  });

  test("a 2 MB Procfile is refused as too large, saying what a Procfile holds", () => {
    const { files } = app({ Procfile: `web: ${"x".repeat(2 * 1024 * 1024)}\n` });
    const err = expectUserError(() => parseProcfile(read(files, "Procfile"), "Procfile"), "Procfile");
    expectSays(err, "Procfile is too large", "<type>: <command>");
  });
});

describe("hardware.txt", () => {
  test("an unknown target names the line and lists the valid ones", () => {
    const err = expectUserError(() => parseHardware("# ours\ngpu\n", "hardware.txt"), "hardware.txt");
    expectAt(err, "hardware.txt", 2);
    expectSays(err, "gpu", "cuda");
  });

  test("a 100 KB hardware.txt is refused as too large, saying what it holds", () => {
    const err = expectUserError(
      () => parseHardware(`cuda\n${"# x\n".repeat(30_000)}`, "hardware.txt"),
      "hardware.txt",
    );
    expectSays(err, "hardware.txt is too large", "write only the hardware target (cpu, cuda, aws or coral)");
  });

  test("two targets are refused, naming both lines", () => {
    const err = expectUserError(() => parseHardware("cuda\ncoral\n", "hardware.txt"), "hardware.txt");
    expectSays(err, "more than one hardware target", "cuda", "coral");
  });

  test("a UTF-16 hardware.txt (PowerShell's echo) says how to save it as UTF-8", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("cuda\r\n", "utf16le")]);
    const { files } = app({ "hardware.txt": utf16 });
    const err = expectUserError(() => read(files, "hardware.txt"), "hardware.txt");
    expectSays(err, "hardware.txt is not UTF-8 text", "UTF-16", "Set-Content -Encoding utf8");
  });
});

describe("business-tags.yaml", () => {
  test("broken YAML names the line", () => {
    const err = expectUserError(
      () => parseTags("team: vision\ncost-center: [4711\nowner: x\n", "business-tags.yaml"),
      "business-tags.yaml",
    );
    expectSays(err, "business-tags.yaml is not valid YAML", /line \d/);
    expect((err as { line?: number }).line).toBeGreaterThanOrEqual(2);
  });

  test("a label given twice is named with the line of the second", () => {
    const err = expectUserError(() => parseTags("team: a\nowner: b\nteam: c\n", "business-tags.yaml"));
    expectAt(err, "business-tags.yaml", 3);
    expectSays(err, "business-tags.yaml is not valid YAML", "team");
  });

  test("a key under a reserved prefix names the key, its line and the prefix", () => {
    const err = expectUserError(() => parseTags("team: a\nio.buildpacks.x: b\n", "business-tags.yaml"));
    expectAt(err, "business-tags.yaml", 2);
    expectSays(err, "io.buildpacks.x", "io.buildpacks.");
  });

  test("a nested map as a value names the key and says values are strings", () => {
    const err = expectUserError(() => parseTags("team:\n  name: vision\n", "business-tags.yaml"));
    expectAt(err, "business-tags.yaml", 1);
    expectSays(err, "team");
  });

  test("a PNG saved as business-tags.yaml is reported as not text, with its line", () => {
    const { files } = app({ "business-tags.yaml": PNG });
    const err = expectUserError(() => read(files, "business-tags.yaml"), "business-tags.yaml");
    expectAt(err, "business-tags.yaml", 1);
    expectSays(err, "business-tags.yaml is not UTF-8 text", "save business-tags.yaml as UTF-8");
  });
});

describe("Aptfile", () => {
  test("a 50 MB Aptfile is refused as too large before anything is parsed", () => {
    const { files } = app({ Aptfile: "libgl1\n".repeat((50 * 1024 * 1024) / 7) });
    const err = expectUserError(() => parseAptfile(read(files, "Aptfile"), "Aptfile"), "Aptfile");
    expectSays(err, "Aptfile is too large", "one per line");
  });

  test("a .deb URL names the line and says only package names are installed", () => {
    const err = expectUserError(
      () => parseAptfile("libgl1\nhttps://example.com/x_1.0_amd64.deb\n", "Aptfile"),
      "Aptfile",
    );
    expectAt(err, "Aptfile", 2);
    expectSays(err, "is a URL or a .deb file", "Name the package instead");
  });

  test("two packages on one line name the line and say one per line", () => {
    const err = expectUserError(() => parseAptfile("libgl1 libglib2.0-0\n", "Aptfile"), "Aptfile");
    expectAt(err, "Aptfile", 1);
    expectSays(err, "names more than one package", "Put each package on its own line");
  });

  test("a :repo: line (Heroku's apt buildpack) names the line and says to remove it", () => {
    const err = expectUserError(() => parseAptfile(":repo:deb http://x stable main\n", "Aptfile"), "Aptfile");
    expectAt(err, "Aptfile", 1);
    expectSays(err, "adds an apt repository", "Remove the line");
  });

  test("an Aptfile symlinked out of the app (../../x, dangling) is refused, not silently ignored", () => {
    const { dir, files } = app();
    symlinkSync("../../x", join(dir, "Aptfile"));
    const err = expectUserError(() => files.isFile("Aptfile"), "Aptfile");
    expectSays(err, "Aptfile is a symlink to", "outside the app", "commit the file itself as Aptfile");
  });
});

describe("environment.yml", () => {
  test("no dependencies key names the file and shows the format", () => {
    const err = expectUserError(
      () => parseEnvironment("name: app\nchannels: [conda-forge]\n", "environment.yml"),
      "environment.yml",
    );
    expectSays(err, "environment.yml has no dependencies", "dependencies");
  });

  test("dependencies written as one string names the line and says to list them", () => {
    const err = expectUserError(
      () => parseEnvironment("name: app\ndependencies: numpy pandas\n", "environment.yml"),
      "environment.yml",
    );
    expectAt(err, "environment.yml", 2);
    expectSays(err, '"dependencies" must be a list', 'starting with "- "');
  });

  test("broken YAML names the line", () => {
    const err = expectUserError(
      () => parseEnvironment("dependencies:\n  - numpy\n - pandas\n", "environment.yml"),
      "environment.yml",
    );
    expect((err as { line?: number }).line).toBeGreaterThanOrEqual(2);
    expectSays(err, "environment.yml");
  });

  test("a 2 MB environment.yml is refused as too large", () => {
    const text = `dependencies:\n${"  - numpy\n".repeat(220_000)}`;
    const err = expectUserError(() => parseEnvironment(text, "environment.yml"), "environment.yml");
    expectSays(err, "environment.yml is too large", "or commit a conda lock");
  });
});

describe("lockfiles", () => {
  test("uv.lock with a TOML error names its line and says to run uv lock", () => {
    const { files } = app({
      "pyproject.toml": PYPROJECT,
      "uv.lock": 'version = 1\n[[package]]\nname = "a\n',
    });
    const err = expectUserError(() => readUv(files), "uv.lock");
    expectAt(err, "uv.lock", 3);
    expectSays(err, "uv.lock is not valid TOML", "uv lock");
  });

  test("uv.lock without pyproject.toml says to commit it or delete the lock", () => {
    const { files } = app({ "uv.lock": "version = 1\n" });
    const err = expectUserError(() => readUv(files), "uv.lock");
    expectSays(err, "uv.lock was found, but no pyproject.toml", "Commit pyproject.toml next to uv.lock");
  });

  test("BP_UV_GROUPS with a name that is no group name names it and the form", () => {
    const err = expectUserError(() => readUvGroups({ BP_UV_GROUPS: "dev, ml;rm -rf" }));
    expectSays(err, "BP_UV_GROUPS", "ml;rm", '"dev,ml"');
  });

  test("only a conda lock for another platform: names the file and how to generate this one", () => {
    const { files } = app({ "conda-osx-arm64.lock": "@EXPLICIT\n" });
    const err = expectUserError(() => readSource(files, "linux-64"), "conda-osx-arm64.lock");
    expectSays(err, "conda-linux-64.lock is missing", "conda-lock --kind explicit --platform linux-64");
  });

  test("poetry.lock with a TOML error says to run poetry lock", () => {
    const { files } = app({ "pyproject.toml": PYPROJECT, "poetry.lock": "[[package]\n" });
    const err = expectUserError(() => readPoetry(files), "poetry.lock");
    expectAt(err, "poetry.lock", 1);
    expectSays(err, "poetry.lock is not valid TOML", "poetry lock");
  });

  test("a Pipfile.lock that is not JSON names the line and says to run pipenv lock", () => {
    const { files } = app({ Pipfile: "[packages]\n", "Pipfile.lock": '{\n  "_meta": {\n    "hash": \n}\n' });
    const err = expectUserError(() => readPipenv(files), "Pipfile.lock");
    expectSays(err, "Pipfile.lock is not valid JSON", "pipenv lock");
  });

  test("a conda lock line before @EXPLICIT names the line and says how to regenerate it", () => {
    const err = expectUserError(
      () => parseExplicit("https://c/x-1-0.conda#abc\n@EXPLICIT\n", "conda-linux-64.lock"),
      "conda-linux-64.lock",
    );
    expectAt(err, "conda-linux-64.lock", 1);
    expectSays(err, "before @EXPLICIT", "conda-lock --kind explicit");
  });

  test("a 3 GB file named requirements.txt is refused by its size before it is read", () => {
    const { dir, files } = app({ "requirements.txt": "" });
    truncateSync(join(dir, "requirements.txt"), 3 * 1024 ** 3); // sparse: costs no disk
    const err = expectUserError(() => fingerprintRequirements(files, "requirements.txt"), "requirements.txt");
    expectSays(
      err,
      "requirements.txt is too large to be read as text (3072 MiB)",
      "rename or move the large file",
    );
  });

  test("a PNG named requirements.txt is reported as not text, not handed to pip", () => {
    const { files } = app({ "requirements.txt": PNG });
    const err = expectUserError(() => fingerprintRequirements(files, "requirements.txt"), "requirements.txt");
    expectSays(err, "requirements.txt is not UTF-8 text", "save requirements.txt as UTF-8");
  });

  test("requirements.txt -> /etc/passwd is refused: the link leaves the app", () => {
    const { dir, files } = app();
    symlinkSync("/etc/passwd", join(dir, "requirements.txt"));
    const err = expectUserError(() => files.readText("requirements.txt"), "requirements.txt");
    expectSays(
      err,
      "requirements.txt is a symlink to /etc/passwd, outside the app",
      "commit the file itself",
    );
  });

  test("a link to a file inside the app is followed, even one named '..reqs.txt' (not a bad input)", () => {
    const { dir, files } = app({ "..reqs.txt": "numpy\n" });
    symlinkSync("..reqs.txt", join(dir, "requirements.txt"));
    expect(files.readText("requirements.txt")).toBe("numpy\n");
  });

  test("a file under a symlinked folder that leaves the app is refused too", () => {
    const { dir, files } = app();
    const outside = mkdtempSync(join(tmpdir(), "bad-input-outside-"));
    writeFileSync(join(outside, "base.txt"), "numpy\n");
    symlinkSync(outside, join(dir, "reqs"));
    const err = expectUserError(() => files.readText("reqs/base.txt"), "reqs/base.txt");
    expectSays(err, "outside the app", "the link at a file inside the app directory");
  });
});

describe(".python-version", () => {
  test('"python3.12" names the line and shows the expected form', () => {
    const err = expectUserError(() => parseVersionFile("python3.12\n", ".python-version"), ".python-version");
    expectAt(err, ".python-version", 1);
    expectSays(err, 'invalid Python version: "python3.12"', '"3.13"');
  });

  test("an empty .python-version (comments only) says to write a version or delete it", () => {
    const err = expectUserError(
      () => parseVersionFile("# pinned later\n\n", ".python-version"),
      ".python-version",
    );
    expectSays(err, ".python-version contains no Python version", 'e.g. "3.13"', "delete .python-version");
  });

  test("two versions (pyenv's multi-version form) are refused, naming both", () => {
    const err = expectUserError(() => parseVersionFile("3.12\n3.11\n", ".python-version"), ".python-version");
    expectAt(err, ".python-version", 2);
    expectSays(err, "more than one Python version", "line 1: 3.12", "line 2: 3.11");
  });
});

describe("image references and tags", () => {
  test("an upper-case repository says repositories are lower case", () => {
    const err = expectUserError(() => parseImageRef("ghcr.io/Team/App:1"));
    expectSays(
      err,
      "ghcr.io/Team/App:1",
      "upper-case letters; repository names are lower case",
      "ghcr.io/team/app:1.0",
    );
  });

  test("a space in a reference is named", () => {
    const err = expectUserError(() => parseImageRef("ghcr.io/team/my app:1"));
    expectSays(err, "contains a space", "registry/repository[:tag]");
  });

  test("a tag over 128 characters says how long it is and the limit", () => {
    const err = expectUserError(() => parseImageRef(`ghcr.io/team/app:${"v".repeat(129)}`));
    expectSays(err, "the tag is 129 characters long, at most 128 are allowed");
  });

  test("a tag starting with '-' or '.' names the rule", () => {
    const err = expectUserError(() => parseImageRef("ghcr.io/team/app:-rc1"));
    expectSays(err, '"-rc1"', "letters, digits");
  });

  test("a malformed digest is named", () => {
    const err = expectUserError(() => parseImageRef("ghcr.io/team/app@sha256:abc"));
    expectSays(err, '"sha256:abc" is not a sha256 digest');
  });

  test("manifest tag: a digest where a tag is needed says to name a tag", () => {
    const err = expectUserError(() => parseTagRequest("ghcr.io/team/app:1", [`ghcr.io/team/app@${DIGEST}`]));
    expectSays(err, "is a digest, not a tag", "registry/repository:1.0");
  });

  test("a build's image given as a digest only (nothing to push to) says to give a tag", () => {
    const err = expectUserError(() =>
      buildTargets({
        image: `ghcr.io/team/app@${DIGEST}`,
        additionalTags: [],
        previousImage: undefined,
        runImage: undefined,
      }),
    );
    expectSays(
      err,
      "the image ghcr.io/team/app@sha256:",
      "is a digest, but a build pushes a new image to a tag",
      "give a tag",
    );
  });

  test("a build's further tag given as a digest says to give a tag", () => {
    const err = expectUserError(() =>
      buildTargets({
        image: "ghcr.io/team/app:1",
        additionalTags: [`ghcr.io/team/app@${DIGEST}`],
        previousImage: undefined,
        runImage: undefined,
      }),
    );
    expectSays(err, "the tag ghcr.io/team/app@sha256:", "give a tag");
  });
});

describe("GitHub Action inputs", () => {
  const given = (values: Record<string, string>) => (name: string) =>
    ({ image: "ghcr.io/team/app:1", ...values })[name] ?? "";

  test('publish: "yes" names the input and the values it takes', () => {
    const err = expectUserError(() => parseInputs(given({ publish: "yes" })));
    expectSays(err, 'input "publish" must be true or false, not "yes"', "publish: true");
  });

  test("an unknown platform names the input and the platforms there are", () => {
    const err = expectUserError(() => parseInputs(given({ platform: "windows/amd64" })));
    expectSays(err, 'input "platform"', "linux/amd64", "leave it empty");
  });

  test("an env line without = names the line of the input", () => {
    const err = expectUserError(() => parseInputs(given({ env: "A=1\nPIP_INDEX_URL\n" })));
    expectSays(err, 'input "env" line 2 is not KEY=VALUE', "one KEY=VALUE per line");
  });

  test("a bad secrets line names the line but never shows its text", () => {
    const err = expectUserError(() =>
      parseInputs(given({ secrets: "https://user:s3cr3t@pypi.example/simple" })),
    );
    expectSays(err, 'input "secrets" line 1', "NAME=VALUE");
    expect(shown(err)).not.toContain("s3cr3t");
  });

  test("an image input that is not a reference names the input's value and the form", () => {
    const err = expectUserError(() => parseInputs(given({ image: "ghcr.io/team/app:1 latest" })));
    expectSays(err, "is not a valid image reference", "registry/repository[:tag]");
  });

  test("merge action: image as a digest says the index needs a tag", () => {
    const err = expectUserError(() =>
      parseMergeInputs((n) => ({ image: `ghcr.io/team/app@${DIGEST}`, digests: DIGEST })[n] ?? ""),
    );
    expectSays(err, 'input "image" must be a tag', "image: ghcr.io/org/app:");
  });
});

describe("CLI arguments and --secret", () => {
  test("--secret with an inline value is refused and the value is not echoed", () => {
    const err = expectUserError(() =>
      parseCommand(["build", ".", "--image", "ghcr.io/t/a:1", "--secret", "id=TOKEN,value=hunter22"]),
    );
    expectSays(err, "--secret", "id=NAME,env=VAR");
    expect(err).toBeInstanceOf(MlBuildpacksError);
  });

  test("--secret src= naming a file that cannot be read names the file", () => {
    const err = expectUserError(() =>
      parseCommand(["build", ".", "--image", "ghcr.io/t/a:1", "--secret", "id=TOKEN,src=/nonexistent/token"]),
    );
    expectSays(err, "the file /nonexistent/token cannot be read");
  });

  test("--env without = names the entry and the form", () => {
    const err = expectUserError(() =>
      parseCommand(["build", ".", "--image", "ghcr.io/t/a:1", "--env", "DEBUG"]),
    );
    expectSays(err, '"DEBUG" is not of the form KEY=VALUE', "--env PIP_INDEX_URL=");
  });

  test("--memory that is not a size names the option and an example", () => {
    const err = expectUserError(() =>
      parseCommand(["build", ".", "--image", "ghcr.io/t/a:1", "--memory", "lots"]),
    );
    expectSays(err, '--memory "lots" is not a memory size', "--memory 2g");
  });
});

describe("Docker config and registry credentials", () => {
  const dockerConfig = (text: string) => () =>
    resolveRegistryAuth(["ghcr.io"], { DOCKER_CONFIG: "/home/ci/.docker" }, () => text, {
      runHelper: () => ({ status: 1, stdout: "", stderr: "credentials not found" }),
    });
  const FILE = "/home/ci/.docker/config.json";

  test("a config.json that is not JSON names the file and line and says docker login rewrites it", () => {
    const err = expectUserError(
      dockerConfig('{\n  "auths": {\n    "ghcr.io": {"auth": "x"},\n  }\n}\n'),
      FILE,
    );
    expectAt(err, FILE, 4);
    expectSays(err, "is not valid JSON", "docker login");
  });

  test("an auth that is not base64 of user:password names the registry", () => {
    const err = expectUserError(dockerConfig('{"auths": {"ghcr.io": {"auth": "not-base64!"}}}'), FILE);
    expectSays(err, 'auths["ghcr.io"].auth is not base64 of "user:password"', "docker login <registry>");
  });

  test("an auths entry that is a string (hand-edited) names the registry", () => {
    const err = expectUserError(dockerConfig('{"auths": {"ghcr.io": "dXNlcjpwYXNz"}}'), FILE);
    expectSays(err, 'auths["ghcr.io"] is not an object');
  });

  test("a config.json that is a JSON array names the file", () => {
    const err = expectUserError(dockerConfig("[]"), FILE);
    expectSays(err, "is not a JSON object", "DOCKER_CONFIG");
  });

  test("a broken CNB_REGISTRY_AUTH is named, its value (a credential) is not shown", () => {
    const err = expectUserError(() =>
      resolveRegistryAuth(["ghcr.io"], { CNB_REGISTRY_AUTH: "Basic dXNlcjpzM2NyM3Q=" }),
    );
    expectSays(err, "CNB_REGISTRY_AUTH is not a JSON object", "unset it");
    expect(shown(err)).not.toContain("dXNlcjpzM2NyM3Q");
  });
});

describe("Tekton Task params", () => {
  test("CACHE=maybe: the step exits 2 naming the param and its values", () => {
    const r = runTektonBuild({ APP_IMAGE: "registry.example/team/app:1", CACHE: "maybe" });
    expect(r.code).toBe(2);
    expect(r.output).toContain('param CACHE must be true or false, not "maybe"');
  });

  test("FAST_PATH=yes: the step exits 2 naming the param", () => {
    const r = runTektonBuild({ APP_IMAGE: "registry.example/team/app:1", FAST_PATH: "yes" });
    expect(r.code).toBe(2);
    expect(r.output).toContain('param FAST_PATH must be true or false, not "yes"');
  });

  test("COMPRESSION=best: the CLI names the value and the modes there are", () => {
    const r = runTektonBuild({ APP_IMAGE: "registry.example/team/app:1", COMPRESSION: "best" });
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/compression.*best/i);
    expect(r.output).toMatch(/fast/);
  });

  test("an ENV_VARS item without = names the entry", () => {
    const r = runTektonBuild({ APP_IMAGE: "registry.example/team/app:1" }, ["DEBUG"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain('"DEBUG" is not of the form KEY=VALUE');
  });
});

describe("GitLab component inputs", () => {
  test("args with a misspelt option: the job fails naming the option and pointing at --help", () => {
    const r = runGitlabBuild({ ML_BUILDPACKS_ARGS: "--default-proces web" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("Unknown option '--default-proces'");
    expect(r.output).toContain("ml-buildpacks --help");
  });

  test("an env input entry without = names the entry", () => {
    const r = runGitlabBuild({ ML_BUILDPACKS_BUILD_ENV: "A=1 DEBUG" });
    expect(r.code).toBe(2);
    expect(r.output).toContain('"DEBUG" is not of the form KEY=VALUE');
  });

  test("secrets naming a CI/CD variable that is not set names the variable", () => {
    const r = runGitlabBuild({ ML_BUILDPACKS_SECRETS: "PRIVATE_INDEX_URL" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("the environment variable PRIVATE_INDEX_URL is not set");
  });
});

describe("file names in the app", () => {
  test("a file name that is not UTF-8 is refused naming it (escaped) and how to rename it", () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-input-names-"));
    mkdirSync(join(dir, "data"));
    writeFileSync(
      Buffer.concat([Buffer.from(`${dir}/data/caf`), Buffer.from([0xe9, 0x2e, 0x63, 0x73, 0x76])]),
      "x",
    );
    const err = expectUserError(() => listSourceTree(dir, []));
    expectSays(err, "not UTF-8: caf\\xe9.csv", "rename it");
    expectAt(err, join(dir, "data", "caf\\xe9.csv"));
  });

  test("a file name with a newline is not an error: it is carried into the app layer exactly", () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-input-names-"));
    writeFileSync(join(dir, "notes\nfinal.txt"), "x");
    const tree = listSourceTree(dir, []);
    expect(tree.entries.map((e) => e.path)).toEqual(["notes\nfinal.txt"]);
    expect(layerEntries(tree).some((e) => e.name.endsWith("notes\nfinal.txt"))).toBe(true);
  });
});

describe("how a buildpack's detect error reaches the end of the log", () => {
  test("the failure summary names each buildpack's error title and file in one line", () => {
    const lines = [
      "======== Output: ml-buildpacks/pip@0.1.0 ========",
      "",
      "! ERROR: requirements.txt is a symlink to /etc/passwd, outside the app",
      "!   in requirements.txt",
      "!",
      "! requirements.txt (or a folder above it) links to /etc/passwd.",
      "======== Output: ml-buildpacks/uv@0.1.0 ========",
      "looked for uv.lock in the app: none found",
      "======== Results ========",
    ];
    expect(detectFailureReasons(lines)).toEqual([
      "ml-buildpacks/pip@0.1.0: requirements.txt is a symlink to /etc/passwd, outside the app (requirements.txt); its message is above",
      "ml-buildpacks/uv@0.1.0: looked for uv.lock in the app: none found",
    ]);
  });
});
