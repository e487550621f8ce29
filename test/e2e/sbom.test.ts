import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type JsonObject, sbomProblems } from "../unit/libcnb/sbom-check.js";
import { type CliResult, cli, docker, REGISTRY, REPO, RUN_ID, runAsCnbUser } from "./helpers.js";

// One build (the real lifecycle, PyPI and Debian archive) of an app with requirements.txt and an
// Aptfile, with --sbom-output-dir: the SBOM the CLI reads back from the pushed image is checked
// against the formats' required fields, against the SBOM layer inside the image, and entry by entry
// against what is installed in the image (run as a container): every Python distribution of the venv
// with its version and the sha256 of its RECORD, every Debian package the buildpack unpacked (as the
// build resolved it, none the run image already has, each with its files in the layer), the Python
// the app runs on. Nothing missing, nothing extra.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
const PLATFORM_DIR = "linux-amd64";
const LAUNCH = join("layers", "sbom", "launch");
const PIP_VENV = join(LAUNCH, "ml-buildpacks_pip", "venv");
const DEB = join(LAUNCH, "ml-buildpacks_deb-packages", "packages");
const CPYTHON = join(LAUNCH, "ml-buildpacks_python", "cpython");
// Where the exporter puts /cnb/lifecycle/launcher.sbom.<ext> (builder create writes them).
const LAUNCHER = join(LAUNCH, "buildpacksio_lifecycle", "launcher");
// The CPython comes from the lab's python mirror, pinned by its TEST manifest (as test/e2e/python-versions.test.ts).
const MIRROR = `http://127.0.0.1:${process.env.PYTHON_MIRROR_PORT || "5481"}`;
const MIRROR_MANIFEST = join(REPO, ".infra", "python-mirror", "manifest.toml");
const DEB_ROOT = "/layers/ml-buildpacks_deb-packages/packages";
const CONDA_ENV = join(LAUNCH, "ml-buildpacks_conda", "env");
const CONDA_PORT = process.env.CONDA_CHANNEL_PORT || "5482";

// A conda environment's packages as the prefix records them (conda-meta/*.json), and the Python
// distributions in it that no conda package installed (the pip: section and what pip brought).
const CONDA_INVENTORY = `
import glob, hashlib, importlib.metadata as md, json, os
prefix = "/layers/ml-buildpacks_conda/env/prefix"
conda = [json.load(open(f)) for f in glob.glob(prefix + "/conda-meta/*.json")]
names = {c["name"] for c in conda}
dists = []
for d in md.distributions():
    if not str(d.locate_file("")).startswith(prefix) or d.metadata["Name"].lower() in names:
        continue
    record = next(f for f in d.files if f.name == "RECORD" and f.parent.name.endswith(".dist-info"))
    dists.append({"name": d.metadata["Name"], "version": d.version, "sha256": hashlib.sha256(record.locate().read_bytes()).hexdigest()})
print(json.dumps({"conda": [{k: c[k] for k in ("name", "version", "build", "subdir", "sha256")} for c in conda], "dists": dists}))
`;

// What the image has, as the app's own Python sees it (the launcher sets the venv's env).
const INVENTORY = `
import hashlib, importlib.metadata as md, json, os, platform
venv = os.environ["VIRTUAL_ENV"]
dists = []
for d in md.distributions():
    if not str(d.locate_file("")).startswith(venv):
        continue
    record = next(f for f in d.files if f.name == "RECORD" and f.parent.name.endswith(".dist-info"))
    sha = hashlib.sha256(record.locate().read_bytes()).hexdigest()
    dists.append({"name": d.metadata["Name"], "version": d.version, "sha256": sha})
print(json.dumps({"python": platform.python_version(), "dists": dists}))
`;

interface Component {
  name: string;
  version: string;
  purl: string;
  sha256: string | undefined;
}

let app: string;
let out: string;
let image: string;
let build: CliResult;

function buildArgs(outDir: string): string[] {
  return [
    "build",
    app,
    "--image",
    image,
    "--builder",
    builder,
    "--sbom-output-dir",
    outDir,
    "--env",
    `BP_PYTHON_MIRROR=${MIRROR}`,
    "--env",
    "BP_PYTHON_MANIFEST=python-manifest.toml",
    // CPython 3.11.2's pip trusts its own certifi, not the lab's proxy CA (see python-versions.test.ts).
    "--env",
    "PIP_CERT=/etc/ssl/certs/ca-certificates.crt",
  ];
}

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), "e2e-sbom-"));
  writeFileSync(join(app, "requirements.txt"), "requests==2.32.3\nsix==1.17.0\n");
  writeFileSync(join(app, "Aptfile"), "jq\n");
  writeFileSync(join(app, ".python-version"), "3.11\n");
  writeFileSync(join(app, "python-manifest.toml"), readFileSync(MIRROR_MANIFEST, "utf8"));
  writeFileSync(join(app, "app.py"), 'import requests, six\nprint("sbom app", requests.__version__)\n');
  out = mkdtempSync(join(tmpdir(), "e2e-sbom-out-"));
  image = `${REGISTRY}/e2e/sbom-${RUN_ID}:1`;
  build = await cli(buildArgs(out));
  written.push(out);
});

function readDoc(root: string, layerDir: string, ext: "cdx.json" | "spdx.json" | "syft.json"): JsonObject {
  return JSON.parse(readFileSync(join(root, PLATFORM_DIR, layerDir, `sbom.${ext}`), "utf8")) as JsonObject;
}

/** The components of a layer's CycloneDX document, checked to be the same set as its SPDX one. */
function components(layerDir: string, root = out): Component[] {
  const cdx = readDoc(root, layerDir, "cdx.json");
  const spdx = readDoc(root, layerDir, "spdx.json");
  expect(sbomProblems(cdx), layerDir).toEqual([]);
  expect(sbomProblems(spdx), layerDir).toEqual([]);
  const fromCdx = (cdx.components as JsonObject[]).map((c) => ({
    name: String(c.name),
    version: String(c.version),
    purl: String(c.purl),
    sha256: (c.hashes as { content: string }[] | undefined)?.[0]?.content,
  }));
  const fromSpdx = (spdx.packages as JsonObject[]).map((p) => ({
    name: String(p.name),
    version: String(p.versionInfo),
    purl: String((p.externalRefs as { referenceLocator: string }[])[0]?.referenceLocator),
    sha256: (p.checksums as { checksumValue: string }[] | undefined)?.[0]?.checksumValue,
  }));
  expect(fromSpdx).toEqual(fromCdx);
  return fromCdx;
}

async function inImage(
  command: string[],
  entrypoint = "/cnb/lifecycle/launcher",
  ref = image,
): Promise<string> {
  const r = await runAsCnbUser(ref, entrypoint, command);
  expect(r.code, r.output).toBe(0);
  return r.output;
}

/**
 * Runs a multi-line Python script with the app's launch env: bash pipes it to `launcher python -`
 * (the launcher joins a command's words for bash, which would lose the script's newlines and quotes).
 */
const runPython = (script: string, ref = image) =>
  inImage(
    ["-c", `echo ${Buffer.from(script).toString("base64")} | base64 -d | /cnb/lifecycle/launcher python -`],
    "bash",
    ref,
  );

/** Every dir an --sbom-output-dir wrote in this file, for the official validators at the end. */
const written: string[] = [];

const key = (c: { name: string; version: string }) => `${c.name.toLowerCase()}==${c.version}`;

/** SBOM entries compared with what the images hold, printed at the end (the issue's count). */
let checked = 0;
afterAll(() => console.log(`SBOM entries checked against the images: ${checked}`));

describe("the image's SBOM (--sbom-output-dir)", () => {
  test("the build pushes, and writes the SBOM layer per platform as pack sbom download lays it out", () => {
    expect(build.code, build.output).toBe(0);
    expect(build.output).toMatch(/SBOM: \d+ Python packages/);
    expect(build.output).toMatch(/SBOM of .* \(linux-amd64\): \d+ files in /);
    for (const dir of [PIP_VENV, DEB, CPYTHON])
      for (const ext of ["cdx.json", "spdx.json"])
        expect(existsSync(join(out, PLATFORM_DIR, dir, `sbom.${ext}`)), dir).toBe(true);
  });

  test("the launcher is in the launch SBOM: the lifecycle at the builder's version and every module Go linked in", async () => {
    expect(build.output).not.toContain("Did not find SBOM");
    const launcher = components(LAUNCHER);
    const syft = readDoc(out, LAUNCHER, "syft.json") as { artifacts: { purl: string }[] };
    expect(syft.artifacts.map((a) => a.purl).sort()).toEqual(launcher.map((c) => c.purl).sort());
    // The lifecycle version the builder reports, and its launcher is the binary the lab built.
    const version = await docker([
      "run",
      "--rm",
      "--entrypoint",
      "/cnb/lifecycle/lifecycle",
      builder,
      "-version",
    ]);
    expect(version.code, version.output).toBe(0);
    // Its stdout line (docker's own warnings may follow on stderr).
    const lifecycleVersion = /^\d+\.\d+\.\d+\S*$/m.exec(version.output)?.[0];
    expect(lifecycleVersion, version.output).toBeDefined();
    expect(launcher.map((c) => c.purl)).toContain(
      `pkg:golang/github.com/buildpacks/lifecycle@v${lifecycleVersion}`,
    );
    const hostLauncher = join(REPO, ".infra", "lifecycle", PLATFORM_DIR, "launcher");
    const inside = await inImage(["-c", "sha256sum /cnb/lifecycle/launcher"], "bash");
    expect(inside).toContain(createHash("sha256").update(readFileSync(hostLauncher)).digest("hex"));
    // Go's own reader of the same binary: every module and the toolchain, nothing missing or extra.
    const goSays = execFileSync("/usr/local/go/bin/go", ["version", "-m", hostLauncher], {
      encoding: "utf8",
    });
    const fromGo = [...goSays.matchAll(/^\t(?:mod|dep)\t(\S+)\t(\S+)/gm)].map((m) => `${m[1]}@${m[2]}`);
    const toolchain = /^[^\n]*: go(\S+)/.exec(goSays)?.[1];
    expect(fromGo.length).toBeGreaterThan(1);
    expect(launcher.map((c) => `${c.name}@${c.version}`).sort()).toEqual(
      [...fromGo, `stdlib@go${toolchain}`].sort(),
    );
    checked += launcher.length;
  });

  test("the files are the image's own SBOM layer, byte for byte", async () => {
    const files = [PIP_VENV, DEB, CPYTHON].flatMap((d) => [
      join(d, "sbom.cdx.json"),
      join(d, "sbom.spdx.json"),
    ]);
    const inside = await inImage(["-c", files.map((f) => `sha256sum /${f}`).join(" && ")], "bash");
    for (const f of files) {
      const sha = createHash("sha256")
        .update(readFileSync(join(out, PLATFORM_DIR, f)))
        .digest("hex");
      expect(inside).toContain(`${sha}  /${f}`);
    }
  });

  test("Python packages: exactly the venv's distributions, same versions, sha256 of each RECORD", async () => {
    const sbom = components(PIP_VENV);
    const actual = JSON.parse(
      (await runPython(INVENTORY)).split("\n").find((l) => l.startsWith("{")) ?? "{}",
    ) as {
      dists: { name: string; version: string; sha256: string }[];
    };
    expect(actual.dists.length).toBeGreaterThanOrEqual(6); // requests, its 4 dependencies, six
    expect(sbom.map(key).sort()).toEqual(actual.dists.map(key).sort());
    for (const d of actual.dists) {
      const c = sbom.find((s) => key(s) === key(d));
      expect(c?.sha256, d.name).toBe(d.sha256);
      expect(c?.purl).toMatch(/^pkg:pypi\/[a-z0-9-]+@/);
      checked++;
    }
  });

  test("Debian packages: exactly what the build resolved, none the run image has, each unpacked in the layer", async () => {
    const sbom = components(DEB);
    const start = build.output.indexOf("package(s) to install from");
    const section = build.output.slice(start, build.output.indexOf("Unpacking", start));
    const fromLog = [...section.matchAll(/\b([a-z0-9][a-z0-9.+-]*)=(\S+):(amd64|all)\b/g)].map(
      (m) => `${m[1]}=${m[2]}`,
    );
    expect(fromLog.length, build.output).toBeGreaterThan(0);
    expect(sbom.map((c) => `${c.name}=${c.version}`).sort()).toEqual(fromLog.sort());
    const runImage = new Set(
      (await inImage(["-c", "dpkg-query -W"], "bash"))
        .split("\n")
        .map((l) => (l.split("\t")[0] ?? "").replace(/:.*$/, "")),
    );
    const docs = await inImage(
      ["-c", sbom.map((c) => `test -e ${DEB_ROOT}/usr/share/doc/${c.name} && echo ok:${c.name}`).join("; ")],
      "bash",
    );
    for (const c of sbom) {
      expect(runImage.has(c.name), `${c.name} is in the run image`).toBe(false);
      expect(docs).toContain(`ok:${c.name}`);
      expect(c.sha256, c.name).toMatch(/^[0-9a-f]{64}$/);
      expect(c.purl).toMatch(new RegExp(`^pkg:deb/debian/${c.name.replace(/[.+]/g, "\\$&")}@.*arch=amd64`));
      checked++;
    }
    const jq = sbom.find((c) => c.name === "jq");
    // jq --version prints the upstream version (jq-1.7.1, or jq-1.7 for some builds): a prefix of the package's.
    const jqVersion = (await inImage(["jq", "--version"])).trim().replace(/^jq-/, "");
    expect(jqVersion).toMatch(/^\d+\.\d+/);
    expect(jq?.version.replace(/^\d+:/, "").startsWith(jqVersion), `${jqVersion} vs ${jq?.version}`).toBe(
      true,
    );
  });

  test("the Python the app runs on: version, the archive's pinned sha256 and where it came from", async () => {
    const [cpython, ...rest] = components(CPYTHON);
    expect(rest).toEqual([]);
    expect((await inImage(["python", "--version"])).trim()).toBe(`Python ${cpython?.version}`);
    const pinned = /sha256 = "([0-9a-f]{64})"/.exec(readFileSync(MIRROR_MANIFEST, "utf8"))?.[1];
    expect(cpython?.sha256).toBe(pinned);
    expect(cpython?.purl).toMatch(
      new RegExp(`^pkg:generic/cpython@${cpython?.version}\\?checksum=sha256%3A${pinned}&download_url=http`),
    );
    checked++;
  });

  test("a rebuild that reuses the previous image's venv keeps its SBOM (the lifecycle restores it with the layer)", async () => {
    const again = mkdtempSync(join(tmpdir(), "e2e-sbom-again-"));
    const rebuild = await cli([...buildArgs(again), "--no-fast-path"]);
    expect(rebuild.code, rebuild.output).toBe(0);
    expect(rebuild.output).toContain("Reusing virtual environment");
    for (const ext of ["cdx.json", "spdx.json"]) {
      const file = join(PLATFORM_DIR, PIP_VENV, `sbom.${ext}`);
      expect(readFileSync(join(again, file), "utf8")).toBe(readFileSync(join(out, file), "utf8"));
    }
  });

  test("a build the fast path answers (no phase runs) still writes the image's SBOM", async () => {
    const again = mkdtempSync(join(tmpdir(), "e2e-sbom-fast-"));
    const r = await cli(buildArgs(again));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain("no phase ran");
    for (const dir of [PIP_VENV, DEB, CPYTHON])
      for (const ext of ["cdx.json", "spdx.json"]) {
        const file = join(PLATFORM_DIR, dir, `sbom.${ext}`);
        expect(readFileSync(join(again, file), "utf8"), file).toBe(readFileSync(join(out, file), "utf8"));
      }
  });
});

describe("a conda environment's SBOM", () => {
  test("exactly the prefix's conda packages (locked sha256) and the Python packages pip added", async () => {
    // Idempotent: builds the lab's conda channel once (cached under .infra), starts its server.
    execFileSync("bash", [join(REPO, "scripts", "conda-channel.sh")], { stdio: "inherit" });
    const condaApp = mkdtempSync(join(tmpdir(), "e2e-sbom-conda-"));
    writeFileSync(
      join(condaApp, "environment.yml"),
      "name: sbom\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - tabulate\n  - pip\n  - pip:\n    - six==1.17.0\n",
    );
    writeFileSync(join(condaApp, "app.py"), 'import six, tabulate\nprint("conda sbom app")\n');
    const condaOut = mkdtempSync(join(tmpdir(), "e2e-sbom-conda-out-"));
    const ref = `${REGISTRY}/e2e/sbom-conda-${RUN_ID}:1`;
    const r = await cli([
      "build",
      condaApp,
      "--image",
      ref,
      "--builder",
      builder,
      "--sbom-output-dir",
      condaOut,
      "--env",
      `BP_CONDA_CHANNEL_ALIAS=http://127.0.0.1:${CONDA_PORT}`,
    ]);
    expect(r.code, r.output).toBe(0);
    written.push(condaOut);
    const sbom = components(CONDA_ENV, condaOut);
    const actual = JSON.parse(
      (await runPython(CONDA_INVENTORY, ref)).split("\n").find((l) => l.startsWith("{")) ?? "{}",
    ) as {
      conda: { name: string; version: string; build: string; subdir: string; sha256: string }[];
      dists: { name: string; version: string; sha256: string }[];
    };
    const condaSbom = sbom.filter((c) => c.purl.startsWith("pkg:conda/"));
    const pypiSbom = sbom.filter((c) => c.purl.startsWith("pkg:pypi/"));
    expect(condaSbom.length + pypiSbom.length).toBe(sbom.length);
    expect(condaSbom.map(key).sort()).toEqual(actual.conda.map(key).sort());
    for (const c of actual.conda) {
      const s = condaSbom.find((x) => key(x) === key(c));
      expect(s?.sha256, c.name).toBe(c.sha256);
      expect(s?.purl).toContain(`build=${c.build}`);
      expect(s?.purl).toContain(`subdir=${c.subdir}`);
      checked++;
    }
    expect(actual.dists.some((d) => d.name === "six")).toBe(true);
    expect(pypiSbom.map(key).sort()).toEqual(actual.dists.map(key).sort());
    for (const d of actual.dists) {
      expect(pypiSbom.find((x) => key(x) === key(d))?.sha256, d.name).toBe(d.sha256);
      checked++;
    }
  });
});

describe("the local executor (GitLab jobs, Tekton steps)", () => {
  test("the CLI inside the builder writes the same layout; the stack's Python is listed by version", async () => {
    const job = mkdtempSync(join(tmpdir(), "e2e-sbom-local-"));
    mkdirSync(join(job, "app"));
    writeFileSync(join(job, "app", "requirements.txt"), "six==1.17.0\n");
    writeFileSync(join(job, "app", "app.py"), 'import six\nprint("local", six.__version__)\n');
    const ref = `${REGISTRY}/e2e/sbom-local-${RUN_ID}:1`;
    const script = `ml-buildpacks build /job/app --image ${ref} --builder ${builder} --executor local --sbom-output-dir /job/out --ca-certs /host-ca.crt && chmod -R a+rwX /job/out`;
    const r = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      "--user",
      "0",
      "-v",
      `${job}:/job`,
      "-v",
      "/etc/ssl/certs/ca-certificates.crt:/host-ca.crt:ro",
      "--entrypoint",
      "sh",
      builder,
      "-c",
      script,
    ]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain("local executor: builder");
    const localOut = join(job, "out");
    written.push(localOut);
    const venv = components(PIP_VENV, localOut);
    expect(venv.map(key)).toEqual(["six==1.17.0"]);
    const [cpython, ...rest] = components(join(LAUNCH, "ml-buildpacks_python", "python"), localOut);
    expect(rest).toEqual([]);
    expect(cpython?.purl).toBe(`pkg:generic/cpython@${cpython?.version}`);
    const version = (await inImage(["python", "--version"], undefined, ref)).split("\n");
    expect(version.find((l) => l.startsWith("Python "))).toBe(`Python ${cpython?.version}`);
    checked += 2;
  });
});

// The formats' own validators, from PyPI (pinned): CycloneDX's JSON schema for 1.5
// (cyclonedx-python-lib) and the SPDX 2.3 validation of spdx-tools, run in the build image. Two
// broken copies (no documentNamespace; a component without a name) show they can fail.
const VALIDATORS = ["cyclonedx-python-lib[json-validation]==11.12.0", "spdx-tools==0.8.5"];
const VALIDATE = `set -e
python3 -m venv /tmp/v >/dev/null
/tmp/v/bin/pip install -q --disable-pip-version-check ${VALIDATORS.map((v) => `"${v}"`).join(" ")}
cat > /tmp/cdx.py <<'PY'
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
errors = JsonStrictValidator(SchemaVersion.V1_5).validate_str(open(sys.argv[1]).read())
print(("INVALID " if errors else "valid ") + sys.argv[1])
PY
for f in $(find /sbom -name '*cdx.json'); do /tmp/v/bin/python /tmp/cdx.py "$f"; done
for f in $(find /sbom -name '*spdx.json'); do
  if /tmp/v/bin/pyspdxtools -i "$f" >/dev/null 2>&1; then echo "valid $f"; else echo "INVALID $f"; fi
done
`;

describe("the official validators", () => {
  test("every CycloneDX and SPDX document written is valid; broken ones are not", async () => {
    const broken = mkdtempSync(join(tmpdir(), "e2e-sbom-broken-"));
    const spdx = readDoc(out, PIP_VENV, "spdx.json");
    delete spdx.documentNamespace;
    writeFileSync(join(broken, "broken.spdx.json"), JSON.stringify(spdx));
    const cdx = readDoc(out, PIP_VENV, "cdx.json");
    delete (cdx.components as JsonObject[])[0]?.name;
    writeFileSync(join(broken, "broken.cdx.json"), JSON.stringify(cdx));
    const mounts = [...written, broken].flatMap((d, i) => ["-v", `${d}:/sbom/${i}:ro`]);
    const r = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      "--user",
      "0",
      // pip trusts the lab's TLS-intercepting proxy through the host's bundle, as builds do (--ca-certs).
      "-v",
      "/etc/ssl/certs/ca-certificates.crt:/host-ca.crt:ro",
      "-e",
      "PIP_CERT=/host-ca.crt",
      ...mounts,
      "--entrypoint",
      "bash",
      `${REGISTRY}/ml-buildpacks/build:cpu-amd64`,
      "-c",
      VALIDATE,
    ]);
    expect(r.code, r.output).toBe(0);
    const verdicts = r.output.split("\n").filter((l) => /^(valid|INVALID) /.test(l));
    const invalid = verdicts.filter((l) => l.startsWith("INVALID")).map((l) => l.replace(/^.*\//, ""));
    expect(invalid.sort(), r.output).toEqual(["broken.cdx.json", "broken.spdx.json"]);
    // pip: 3 layers x 2 formats; conda: 1 x 2; local executor: 2 x 2; the launcher's in each of the
    // three builds' SBOMs x 2; the two broken ones.
    expect(verdicts.length, r.output).toBe(20);
  });
});
