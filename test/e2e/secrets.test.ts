import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";

// Issue #17, secrets: a private package index with basic auth, served here on loopback over HTTPS
// (the build containers use host networking), reached through `--secret id=PIP_INDEX_URL,env=...`
// with the real CLI, lifecycle, registry and a real wheel from PyPI. The image runs and imports the package; then
// the token is planted-and-scanned: it is in no CLI output, report, image layer, image config or
// label, cache entry (what the Action archives), and a changed token alone does not rebuild. uv,
// Poetry and Pipenv install from the same index through their own credential variables; conda from
// the local channel of scripts/conda-channel.sh (real conda packages), served here behind basic auth.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
const WHEEL = "tabulate-0.9.0-py3-none-any.whl";
const USER = "build";
const TOKEN = `tok${randomBytes(12).toString("hex")}`;
/** A second valid token: the fast path must not tell the two apart. */
const TOKEN2 = `tok${randomBytes(12).toString("hex")}`;
const WRONG = `tok${randomBytes(12).toString("hex")}`;
const repository = `e2e/secrets-${RUN_ID}`;
const image = `${REGISTRY}/${repository}:1`;

let work: string;
let app: string;
let cacheDir: string;
let server: Server;
let caBundle: string;
let uvApp: string;
let pipenvApp: string;
let poetryApp: string;
let condaApp: string;
let condaServer: Server;
/** The private conda channel's URL (no credentials: what the build may log and record). */
let condaChannel: string;
/** Package files the conda channel served to an authorised client. */
let condaFilesServed = 0;
let indexUrl: (token: string) => string;
/** Wheel downloads the index served to an authorised client. */
let wheelsServed = 0;

/** The wheel from PyPI (its JSON simple API, PEP 691), checked against the sha256 PyPI publishes. */
async function downloadWheel(): Promise<{ bytes: Buffer; sha256: string }> {
  const res = await fetch("https://pypi.org/simple/tabulate/", {
    headers: { Accept: "application/vnd.pypi.simple.v1+json" },
  });
  const meta = (await res.json()) as {
    files: { filename: string; url: string; hashes: { sha256: string } }[];
  };
  const file = meta.files.find((f) => f.filename === WHEEL);
  if (!file) throw new Error(`PyPI lists no ${WHEEL}`);
  const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== file.hashes.sha256) throw new Error(`${WHEEL}: sha256 ${sha256} is not PyPI's`);
  return { bytes, sha256 };
}

/**
 * A CA and a server certificate for localhost (openssl; pip's TLS refuses a bare IP address), and
 * the system's CAs plus ours for --ca-certs. Over HTTPS pip keeps what it downloads in its HTTP cache
 * (a cached layer), which the scan then covers; over plain HTTP it caches nothing.
 */
function makeTls(dir: string): { key: Buffer; cert: Buffer; bundle: string } {
  const ssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=e2e secrets CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  ssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=localhost",
  ]);
  writeFileSync(
    join(dir, "server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
      "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid,issuer\nsubjectKeyIdentifier=hash\n",
  );
  ssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "server.ext",
  ]);
  const bundle = join(dir, "ca-bundle.crt");
  writeFileSync(
    bundle,
    `${readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8")}\n${readFileSync(join(dir, "ca.pem"), "utf8")}`,
  );
  return { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")), bundle };
}

/** A PEP 503 simple index of one project that answers 401 without Basic auth of a valid token. */
function startIndex(
  wheel: { bytes: Buffer; sha256: string },
  tls: { key: Buffer; cert: Buffer },
): Promise<Server> {
  const valid = [TOKEN, TOKEN2].map((t) => `Basic ${Buffer.from(`${USER}:${t}`).toString("base64")}`);
  const s = createServer(tls, (req, res) => {
    if (!valid.includes(req.headers.authorization ?? "")) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="private index"' }).end("unauthorized\n");
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    const html = (body: string) =>
      res
        .writeHead(200, { "Content-Type": "text/html" })
        .end(`<!DOCTYPE html><html><body>${body}</body></html>`);
    if (path === "/simple/") return html('<a href="tabulate/">tabulate</a>');
    if (path === "/simple/tabulate/")
      return html(`<a href="/files/${WHEEL}#sha256=${wheel.sha256}">${WHEEL}</a>`);
    if (path === `/files/${WHEEL}`) {
      wheelsServed++;
      // Cacheable, as real indexes serve files: pip's HTTP cache (a cached layer) then keeps it.
      res
        .writeHead(200, {
          "Content-Type": "application/octet-stream",
          "Cache-Control": "public, max-age=86400",
        })
        .end(wheel.bytes);
      return;
    }
    res.writeHead(404).end("not found\n");
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

/**
 * scripts/conda-channel.sh's channel directory served over HTTP, every request needing Basic auth of
 * a valid token (rattler sends it from its auth file; the buildpack never puts it in a URL).
 */
function startCondaChannel(): Promise<Server> {
  // Idempotent: builds the channel once (cached under .infra and the machine cache).
  execFileSync("bash", [join(REPO, "scripts", "conda-channel.sh")], { stdio: "inherit" });
  const root = join(REPO, ".infra", "conda-channel", "www");
  const valid = [TOKEN, TOKEN2].map((t) => `Basic ${Buffer.from(`${USER}:${t}`).toString("base64")}`);
  const s = createHttpServer((req, res) => {
    if (!valid.includes(req.headers.authorization ?? "")) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="private channel"' }).end("unauthorized\n");
      return;
    }
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/"));
    const file = join(root, path);
    if (path.includes("..") || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end("not found\n");
      return;
    }
    if (/\.(?:tar\.bz2|conda)$/.test(file)) condaFilesServed++;
    res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "e2e-secrets-"));
  const tls = makeTls(work);
  caBundle = tls.bundle;
  const wheel = await downloadWheel();
  server = await startIndex(wheel, tls);
  const { port } = server.address() as AddressInfo;
  indexUrl = (token) => `https://${USER}:${token}@localhost:${port}/simple`;
  app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "requirements.txt"), "tabulate==0.9.0\n");
  writeFileSync(
    join(app, "app.py"),
    'import tabulate\nprint(tabulate.tabulate([["private", tabulate.__version__]], headers=["index", "tabulate"]))\n',
  );
  writeFileSync(join(app, "Procfile"), "web: python app.py\n");
  uvApp = writeUvApp(join(work, "uv-app"), `https://localhost:${port}`, wheel);
  poetryApp = writePoetryApp(join(work, "poetry-app"), `https://localhost:${port}`, wheel);
  pipenvApp = writePipenvApp(join(work, "pipenv-app"), `https://localhost:${port}`, wheel);
  condaServer = await startCondaChannel();
  condaChannel = `http://127.0.0.1:${(condaServer.address() as AddressInfo).port}/conda-forge`;
  condaApp = writeCondaApp(join(work, "conda-app"), condaChannel);
  cacheDir = join(work, "cache");
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await new Promise((resolve) => condaServer?.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * A uv project whose lock names the private index (as `uv lock` writes it, credentials never in it);
 * uv reads the index's credentials from UV_INDEX_PRIVATE_USERNAME/PASSWORD.
 */
function writeUvApp(dir: string, base: string, wheel: { bytes: Buffer; sha256: string }): string {
  mkdirSync(dir);
  writeFileSync(
    join(dir, "pyproject.toml"),
    `[project]\nname = "private-app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n` +
      `dependencies = ["tabulate==0.9.0"]\n\n[[tool.uv.index]]\nname = "private"\nurl = "${base}/simple"\ndefault = true\n`,
  );
  writeFileSync(
    join(dir, "uv.lock"),
    `version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n` +
      `[[package]]\nname = "private-app"\nversion = "0.1.0"\nsource = { virtual = "." }\n` +
      `dependencies = [\n    { name = "tabulate" },\n]\n\n` +
      `[package.metadata]\nrequires-dist = [{ name = "tabulate", specifier = "==0.9.0" }]\n\n` +
      `[[package]]\nname = "tabulate"\nversion = "0.9.0"\nsource = { registry = "${base}/simple" }\n` +
      `wheels = [\n    { url = "${base}/files/${WHEEL}", hash = "sha256:${wheel.sha256}", size = ${wheel.bytes.length} },\n]\n`,
  );
  writeFileSync(join(dir, "app.py"), readFileSync(join(app, "app.py")));
  writeFileSync(join(dir, "Procfile"), "web: python app.py\n");
  return dir;
}

/** Pure: JSON with object keys sorted at every level and no spaces (Python's json.dumps(sort_keys=True)). */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** Pure: Python's json.dumps(value, sort_keys=True): keys sorted, ", " and ": " between items. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}: ${pythonJson((value as Record<string, unknown>)[k])}`)
      .join(", ")}}`;
  return JSON.stringify(value);
}

/**
 * A Poetry project with a private [[tool.poetry.source]]; its lock's content-hash as Poetry computes it
 * (the relevant [project] keys and tool.poetry's source). Credentials come from
 * POETRY_HTTP_BASIC_PRIVATE_USERNAME/PASSWORD.
 */
function writePoetryApp(dir: string, base: string, wheel: { sha256: string }): string {
  mkdirSync(dir);
  const source = { name: "private", url: `${base}/simple`, priority: "primary" };
  writeFileSync(
    join(dir, "pyproject.toml"),
    `[project]\nname = "private-app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n` +
      `dependencies = ["tabulate (==0.9.0)"]\n\n[tool.poetry]\npackage-mode = false\n\n` +
      `[[tool.poetry.source]]\nname = "private"\nurl = "${source.url}"\npriority = "primary"\n`,
  );
  const relevant = {
    project: { "requires-python": ">=3.11", dependencies: ["tabulate (==0.9.0)"] },
    tool: { poetry: { source: [source] } },
  };
  const contentHash = createHash("sha256").update(pythonJson(relevant)).digest("hex");
  writeFileSync(
    join(dir, "poetry.lock"),
    `[[package]]\nname = "tabulate"\nversion = "0.9.0"\ndescription = "Pretty-print tabular data"\n` +
      `optional = false\npython-versions = ">=3.7"\ngroups = ["main"]\nfiles = [\n` +
      `    {file = "${WHEEL}", hash = "sha256:${wheel.sha256}"},\n]\n\n` +
      `[package.extras]\nwidechars = ["wcwidth"]\n\n` +
      `[package.source]\ntype = "legacy"\nurl = "${source.url}"\nreference = "private"\n\n` +
      `[metadata]\nlock-version = "2.1"\npython-versions = ">=3.11"\ncontent-hash = "${contentHash}"\n`,
  );
  writeFileSync(join(dir, "app.py"), readFileSync(join(app, "app.py")));
  writeFileSync(join(dir, "Procfile"), "web: python app.py\n");
  return dir;
}

/**
 * A Pipenv project whose Pipfile source URL takes the token from ${INDEX_TOKEN} (Pipenv expands it
 * when installing; the lock keeps the placeholder). The lock's _meta.hash is Pipenv's Pipfile hash.
 */
function writePipenvApp(dir: string, base: string, wheel: { sha256: string }): string {
  mkdirSync(dir);
  const source = {
    name: "private",
    url: `https://${USER}:\${INDEX_TOKEN}@${base.replace(/^https:\/\//, "")}/simple`,
    verify_ssl: true,
  };
  const packages = { tabulate: "==0.9.0" };
  writeFileSync(
    join(dir, "Pipfile"),
    `[[source]]\nurl = "${source.url}"\nverify_ssl = true\nname = "private"\n\n[packages]\ntabulate = "==0.9.0"\n`,
  );
  const hashed = { _meta: { sources: [source], requires: {} }, default: packages, develop: {} };
  const hash = createHash("sha256").update(sortedJson(hashed)).digest("hex");
  const lock = {
    _meta: { hash: { sha256: hash }, "pipfile-spec": 6, requires: {}, sources: [source] },
    default: { tabulate: { hashes: [`sha256:${wheel.sha256}`], index: "private", version: "==0.9.0" } },
    develop: {},
  };
  writeFileSync(join(dir, "Pipfile.lock"), `${JSON.stringify(lock, null, 4)}\n`);
  writeFileSync(join(dir, "app.py"), readFileSync(join(app, "app.py")));
  writeFileSync(join(dir, "Procfile"), "web: python app.py\n");
  return dir;
}

/**
 * A conda app whose environment.yml names the private channel with the token as ${CONDA_TOKEN} in its
 * user info (conda expands variables in channel URLs; the buildpack hands the credentials to rattler).
 */
function writeCondaApp(dir: string, channel: string): string {
  mkdirSync(dir);
  const url = channel.replace("http://", `http://${USER}:\${CONDA_TOKEN}@`);
  writeFileSync(
    join(dir, "environment.yml"),
    `name: app\nchannels:\n  - ${url}\ndependencies:\n  - python=3.11\n  - tabulate=0.9.0\n`,
  );
  writeFileSync(join(dir, "app.py"), readFileSync(join(app, "app.py")));
  writeFileSync(join(dir, "Procfile"), "web: python app.py\n");
  return dir;
}

/** Builds with the index URL of `token` as the secret PIP_INDEX_URL (its value from this env, never argv). */
async function build(token: string, to: string, extra: string[] = []) {
  const reportFile = join(work, `report-${randomBytes(4).toString("hex")}.json`);
  const result = await cli(
    [
      "build",
      app,
      "--image",
      to,
      "--builder",
      builder,
      "--cache-dir",
      cacheDir,
      "--report",
      reportFile,
      "--ca-certs",
      caBundle,
      "--secret",
      "id=PIP_INDEX_URL,env=E2E_PRIVATE_INDEX",
      ...extra,
    ],
    { E2E_PRIVATE_INDEX: indexUrl(token) },
  );
  return { ...result, reportFile };
}

/** The forms a token could leak in: as is, and inside a Basic auth header. */
function leakForms(token: string): string[] {
  return [token, Buffer.from(`${USER}:${token}`).toString("base64")];
}

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
}

/** The files under `dir` (gzipped ones decompressed) whose bytes hold one of `needles`. */
function filesHolding(dir: string, needles: string[]): string[] {
  return filesUnder(dir).filter((path) => {
    let bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    return needles.some((n) => bytes.includes(n));
  });
}

/** The image as Docker has it (every layer tar, the config with its labels) holds none of `needles`. */
async function expectCleanImage(ref: string, needles: string[]): Promise<void> {
  const saved = mkdtempSync(join(work, "saved-"));
  const save = await docker(["save", "-o", join(saved, "image.tar"), ref]);
  expect(save.code, save.output).toBe(0);
  execFileSync("tar", ["-C", saved, "-xf", join(saved, "image.tar")]);
  rmSync(join(saved, "image.tar"));
  const layerTars = filesUnder(saved).filter((f) => f.endsWith("layer.tar") || /blobs\/sha256\//.test(f));
  expect(layerTars.length).toBeGreaterThan(2);
  expect(filesHolding(saved, needles)).toEqual([]);
  // The scan reads what it should: the package's files in a layer, the inputs in the config.
  expect(filesHolding(saved, ["tabulate/__init__.py"]).length).toBeGreaterThan(0);
  expect(filesHolding(saved, ["dev.ml-buildpacks.inputs"]).length).toBeGreaterThan(0);
  // The inputs label is there (so the scan looked at it) and names no secret.
  const inspect = await docker(["image", "inspect", ref, "--format", "{{json .Config.Labels}}"]);
  const labels = JSON.parse(inspect.output) as Record<string, string>;
  expect(labels["io.buildpacks.project.metadata"]).toContain("dev.ml-buildpacks.inputs");
  expect(JSON.stringify(labels)).not.toContain("PIP_INDEX_URL");
}

async function runApp(ref: string): Promise<void> {
  const run = await docker(["run", "--rm", "--network", "host", "--pull", "always", ref]);
  expect(run.code, run.output).toBe(0);
  expect(run.output).toMatch(/private\s+0\.9\.0/);
}

describe("build secrets: a private index token", () => {
  let firstOutput = "";

  test("the build installs from the private index through --secret, and the image runs", async () => {
    const result = await build(TOKEN, image);
    firstOutput = result.output;
    expect(result.code, result.output).toBe(0);
    expect(wheelsServed).toBeGreaterThan(0);
    expect(readReport(result.reportFile).imageRef).toContain(repository);
    await runApp(image);
  });

  test("the token is in no log, report, image layer, config or label, nor in the cache", async () => {
    const needles = leakForms(TOKEN);
    for (const n of needles) expect(firstOutput).not.toContain(n);
    const reports = readdirSync(work).filter((f) => f.startsWith("report-"));
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports)
      for (const n of needles) expect(readFileSync(join(work, r), "utf8")).not.toContain(n);

    await expectCleanImage(image, needles);
    // The layer cache: what the Action saves as its cache archive. pip's cache is in it.
    expect(existsSync(join(cacheDir, "committed"))).toBe(true);
    expect(filesUnder(join(cacheDir, "committed")).filter((f) => f.endsWith(".tar")).length).toBeGreaterThan(
      0,
    );
    expect(filesHolding(cacheDir, needles)).toEqual([]);
    // The cached layers are scanned too: pip's HTTP cache holds the wheel (file names in its zip).
    expect(filesHolding(cacheDir, ["tabulate/__init__.py"]).length).toBeGreaterThan(0);
  });

  test("the scanner finds a planted token, plain and gzipped", () => {
    const planted = join(work, "planted");
    mkdirSync(join(planted, "deep"), { recursive: true });
    writeFileSync(join(planted, "deep", "plain"), `x${TOKEN}y`);
    writeFileSync(join(planted, "zipped"), gzipSync(Buffer.from(leakForms(TOKEN)[1] ?? "")));
    writeFileSync(join(planted, "clean"), "nothing here");
    expect(filesHolding(planted, leakForms(TOKEN)).sort()).toEqual(
      [join(planted, "deep", "plain"), join(planted, "zipped")].sort(),
    );
  });

  test("with --trust-builder (every phase in one container) it works and leaks nowhere either", async () => {
    const trusted = `${REGISTRY}/${repository}-trusted:1`;
    const result = await build(TOKEN, trusted, ["--trust-builder", "--no-fast-path"]);
    expect(result.code, result.output).toBe(0);
    const needles = leakForms(TOKEN);
    for (const n of needles) expect(result.output).not.toContain(n);
    await runApp(trusted);
    await expectCleanImage(trusted, needles);
    expect(filesHolding(cacheDir, needles)).toEqual([]);
  });

  test("uv: an index named in pyproject.toml, its password as the secret UV_INDEX_PRIVATE_PASSWORD", async () => {
    const uvImage = `${REGISTRY}/${repository}-uv:1`;
    const uvCache = join(work, "uv-cache");
    const result = await cli(
      [
        "build",
        uvApp,
        "--image",
        uvImage,
        "--builder",
        builder,
        "--cache-dir",
        uvCache,
        "--ca-certs",
        caBundle,
        // The user name is no secret (masking it would mask every "build" in the log): plain env.
        "--env",
        `UV_INDEX_PRIVATE_USERNAME=${USER}`,
        "--secret",
        "id=UV_INDEX_PRIVATE_PASSWORD,env=E2E_TOKEN",
      ],
      { E2E_TOKEN: TOKEN },
    );
    expect(result.code, result.output).toBe(0);
    const needles = leakForms(TOKEN);
    for (const n of needles) expect(result.output).not.toContain(n);
    await runApp(uvImage);
    await expectCleanImage(uvImage, needles);
    expect(filesHolding(uvCache, needles)).toEqual([]);
  });

  test("Poetry: a private [[tool.poetry.source]], its password as the secret POETRY_HTTP_BASIC_PRIVATE_PASSWORD", async () => {
    const poetryImage = `${REGISTRY}/${repository}-poetry:1`;
    const poetryCache = join(work, "poetry-cache");
    const result = await cli(
      [
        "build",
        poetryApp,
        "--image",
        poetryImage,
        "--builder",
        builder,
        "--cache-dir",
        poetryCache,
        "--ca-certs",
        caBundle,
        "--env",
        `POETRY_HTTP_BASIC_PRIVATE_USERNAME=${USER}`,
        "--secret",
        "id=POETRY_HTTP_BASIC_PRIVATE_PASSWORD,env=E2E_TOKEN",
      ],
      { E2E_TOKEN: TOKEN },
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("poetry check --lock");
    const needles = leakForms(TOKEN);
    for (const n of needles) expect(result.output).not.toContain(n);
    await runApp(poetryImage);
    await expectCleanImage(poetryImage, needles);
    expect(filesHolding(poetryCache, needles)).toEqual([]);
  });

  test("Pipenv: the Pipfile source URL expands INDEX_TOKEN, the token as the secret INDEX_TOKEN", async () => {
    const pipenvImage = `${REGISTRY}/${repository}-pipenv:1`;
    const pipenvCache = join(work, "pipenv-cache");
    const result = await cli(
      [
        "build",
        pipenvApp,
        "--image",
        pipenvImage,
        "--builder",
        builder,
        "--cache-dir",
        pipenvCache,
        "--ca-certs",
        caBundle,
        "--secret",
        "id=INDEX_TOKEN,env=E2E_TOKEN",
      ],
      { E2E_TOKEN: TOKEN },
    );
    expect(result.code, result.output).toBe(0);
    const needles = leakForms(TOKEN);
    for (const n of needles) expect(result.output).not.toContain(n);
    await runApp(pipenvImage);
    await expectCleanImage(pipenvImage, needles);
    expect(filesHolding(pipenvCache, needles)).toEqual([]);
  });

  test("conda: a channel behind basic auth, its environment.yml URL naming the secret CONDA_TOKEN", async () => {
    const condaImage = `${REGISTRY}/${repository}-conda:1`;
    const condaCache = join(work, "conda-cache");
    const sbomDir = join(work, "conda-sbom");
    const result = await cli(
      [
        "build",
        condaApp,
        "--image",
        condaImage,
        "--builder",
        builder,
        "--cache-dir",
        condaCache,
        "--sbom-output-dir",
        sbomDir,
        "--secret",
        "id=CONDA_TOKEN,env=E2E_TOKEN",
      ],
      { E2E_TOKEN: TOKEN },
    );
    expect(result.code, result.output).toBe(0);
    expect(condaFilesServed).toBeGreaterThan(0);
    // The channel is logged and recorded (layer metadata in a label, SBOM), without its credentials.
    expect(result.output).toContain(`channels ${condaChannel}`);
    const needles = leakForms(TOKEN);
    for (const n of needles) expect(result.output).not.toContain(n);
    await runApp(condaImage);
    await expectCleanImage(condaImage, needles);
    const inspect = await docker(["image", "inspect", condaImage, "--format", "{{json .Config.Labels}}"]);
    expect(inspect.output).toContain(condaChannel);
    // The purls name the channel (%-encoded), as the build reached it: no user info.
    expect(filesHolding(sbomDir, [`channel=${encodeURIComponent(condaChannel)}&`]).length).toBeGreaterThan(0);
    expect(filesHolding(sbomDir, needles)).toEqual([]);
    // rattler's repodata and package caches are in the cache (a cached layer): scanned, clean.
    expect(filesHolding(condaCache, ["repodata"]).length).toBeGreaterThan(0);
    expect(filesHolding(condaCache, needles)).toEqual([]);
  });

  test("conda: a wrong CONDA_TOKEN fails on the channel's 401, says how to pass credentials, masked, nothing pushed", async () => {
    const failing = `${REGISTRY}/${repository}-conda-wrong:1`;
    const result = await cli(
      [
        "build",
        condaApp,
        "--image",
        failing,
        "--builder",
        builder,
        // A cold cache: the repodata must come from the channel, not from the good build's cache.
        "--cache-dir",
        join(work, "conda-wrong-cache"),
        "--no-fast-path",
        "--secret",
        "id=CONDA_TOKEN,env=E2E_TOKEN",
      ],
      { E2E_TOKEN: WRONG },
    );
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain("A conda channel could not be reached");
    expect(result.output).toMatch(/401 Unauthorized/);
    expect(result.output).toContain(
      "The channel answered 401/403: its credentials are missing, wrong or expired.",
    );
    for (const n of leakForms(WRONG)) expect(result.output).not.toContain(n);
    expect(await registryHas(`${repository}-conda-wrong`, "1")).toBe(false);
  });

  test("a changed token alone is not a changed input: the fast path keeps the image", async () => {
    const result = await build(TOKEN2, image);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Up to date (inputs unchanged, no phase ran)");
    for (const n of leakForms(TOKEN2)) expect(result.output).not.toContain(n);
  });

  test("a buildpack that prints a secret's value has it masked in the log", async () => {
    // The python buildpack refuses PIP_TARGET and quotes its value: here that value is a secret.
    const leaky = `${REGISTRY}/${repository}-leaky:1`;
    const result = await cli(
      [
        "build",
        app,
        "--image",
        leaky,
        "--builder",
        builder,
        "--no-fast-path",
        "--secret",
        "id=PIP_TARGET,env=E2E_LEAKY",
      ],
      { E2E_LEAKY: `/tmp/${TOKEN}` },
    );
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain("PIP_TARGET=***: pip installs packages into that directory");
    expect(result.output).not.toContain(TOKEN);
    expect(await registryHas(`${repository}-leaky`, "1")).toBe(false);
  });

  test("a wrong token fails with pip's 401, the token masked and nothing pushed", async () => {
    const failing = `${REGISTRY}/${repository}-wrong:1`;
    // pip reports an index's HTTP errors at debug level only (-vv); PIP_VERBOSE=2 is how a user sees them.
    const result = await build(WRONG, failing, ["--no-fast-path", "--clear-cache", "--env", "PIP_VERBOSE=2"]);
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(/401 Client Error: Unauthorized/);
    expect(result.output).toContain("No matching distribution found for tabulate==0.9.0");
    expect(result.output).toContain("pip could not install requirements.txt");
    for (const n of leakForms(WRONG)) expect(result.output).not.toContain(n);
    expect(await registryHas(`${repository}-wrong`, "1")).toBe(false);
  });
});
