import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runProcess } from "../../src/core/process.js";
import type { BuildReport } from "../../src/core/report.js";
import { copyApp, docker, REGISTRY, REPO, RUN_ID } from "./helpers.js";
import { layerSbomDir, sbomPackages, venvDistributions } from "./support/venv-sbom.js";

// The action run by act (a real Actions runner) on this host, with act's own cache server on
// 127.0.0.1, so @actions/cache talks to a real cache service.
const ACT = join(REPO, ".infra", "bin", "act");
// The machine's trust store, so pip in the build containers trusts what this host trusts.
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const builder = `${REGISTRY}/ml-buildpacks/builder:cpu`;
let cacheServerDir: string;
let app: string;
let warmDigest: string;

interface ActRun {
  code: number;
  log: string;
  out: string;
}

async function act(name: string, env: Record<string, string>): Promise<ActRun> {
  const out = mkdtempSync(join(tmpdir(), `act-${name}-`));
  const jobEnv: Record<string, string> = {
    APP_DIR: app,
    IMAGE: `${REGISTRY}/e2e/action-${RUN_ID}:latest`,
    BUILDER: builder,
    CACHE_INPUT: "",
    CACHE_SCOPE: "",
    // The cache tests need the phases to run; the fast path has its own test.
    FAST_PATH: "false",
    SBOM_DIR: "",
    OUT_DIR: out,
    REPO_DIR: REPO,
    ML_BUILDPACKS_CA_CERTS: process.env.ML_BUILDPACKS_CA_CERTS || SYSTEM_CA_BUNDLE,
    ...env,
  };
  const args = [
    "workflow_dispatch",
    "-W",
    "test/e2e/github/build.yml",
    "-P",
    "ubuntu-latest=-self-hosted",
    "--cache-server-addr",
    "127.0.0.1",
    "--cache-server-path",
    cacheServerDir,
    "--artifact-server-addr",
    "127.0.0.1",
    "--action-offline-mode",
    "--pull=false",
    ...Object.entries(jobEnv).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
  ];
  const lines: string[] = [];
  // A clean environment: the host's variables would otherwise leak into the job.
  const result = await runProcess(ACT, args, {
    cwd: REPO,
    env: cleanEnv(),
    onLine: (line) => {
      lines.push(line);
      process.stdout.write(`    | ${line}\n`);
    },
  });
  return { code: result.exitCode, log: lines.join("\n"), out };
}

function cleanEnv(): Record<string, string | undefined> {
  const keep = ["PATH", "HOME", "USER", "LANG", "TMPDIR"];
  return Object.fromEntries(
    Object.keys(process.env).map((k) => [k, keep.includes(k) ? process.env[k] : undefined]),
  );
}

const read = (run: ActRun, file: string) => readFileSync(join(run.out, file), "utf8").trim();
const metadata = (run: ActRun) => JSON.parse(read(run, "metadata.json")) as BuildReport;

function newestCacheArchive(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(cacheServerDir, "cache"));
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`no cache archive under ${cacheServerDir}`);
  return newest;
}

beforeAll(() => {
  expect(existsSync(ACT), "act is built by npm run infra").toBe(true);
  cacheServerDir = mkdtempSync(join(tmpdir(), "act-cache-server-"));
  mkdirSync(cacheServerDir, { recursive: true });
  app = copyApp("pip-opencv-pandas");
});

describe("GitHub Action through act", () => {
  test("first run misses the cache, builds and saves it; the sbom-dir output holds the image's SBOM", async () => {
    const run = await act("cold", { CACHE_SCOPE: `cold-${RUN_ID}`, SBOM_DIR: "sbom" });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain("Cache miss for ml-buildpacks-v1-linux-cold-");
    expect(run.log).toMatch(/Cache saved as ml-buildpacks-v1-linux-cold-\S+: [\d.]+ (B|KiB|MiB) in/);
    expect(read(run, "cache-hit")).toBe("false");
    expect(read(run, "digest")).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(read(run, "imageid")).toMatch(/^sha256:[0-9a-f]{64}$/);
    const report = metadata(run);
    expect(report.layers.added).toContain("ml-buildpacks/pip:venv");
    for (const phase of ["ANALYZING", "DETECTING", "RESTORING", "BUILDING", "EXPORTING"])
      expect(run.log).toMatch(new RegExp(`${phase}: done in`));
    const output = await docker(["run", "--rm", "--network", "host", report.imageRef]);
    expect(output.output).toMatch(/opencv 5\.0\.0, pandas 3\.1\.1/);

    // A later step used the sbom-dir output (an absolute path under the workspace) and copied it.
    expect(read(run, "sbom-dir")).toMatch(/^\/.*\/sbom$/);
    const sbom = join(run.out, "sbom", "linux-amd64");
    const venv = sbomPackages(join(sbom, layerSbomDir("ml-buildpacks/pip", "venv")));
    expect(venv).toEqual(
      expect.arrayContaining(["numpy==2.5.5", "pandas==3.1.1", "opencv-python-headless==5.0.0.93"]),
    );
    // Exactly the venv of the image that runs: no distribution missing, none extra, same versions.
    expect(venv).toEqual(await venvDistributions(report.imageRef));
    expect(sbomPackages(join(sbom, layerSbomDir("ml-buildpacks/python", "python")))).toEqual([
      expect.stringMatching(/^cpython==3\.\d+\.\d+$/),
    ]);
  });

  test("second run restores the exact cache and reuses the dependency layers", async () => {
    const run = await act("warm", { CACHE_SCOPE: `cold-${RUN_ID}` });
    expect(run.code, run.log).toBe(0);
    expect(read(run, "cache-hit")).toBe("true");
    expect(run.log).toMatch(
      /Cache restored from ml-buildpacks-v1-linux-cold-\S+ \(exact hit\): [\d.]+ (B|KiB|MiB) in/,
    );
    expect(run.log).toContain("nothing new to save");
    const report = metadata(run);
    expect(report.layers.reused).toContain("ml-buildpacks/pip:venv");
    expect(report.layers.cacheReused).toContain("ml-buildpacks/pip:pip-cache");
    expect(report.layers.added).toEqual([]);
    warmDigest = read(run, "digest");
  });

  test("third run with unchanged inputs: the fast path keeps the image, no phase runs, nothing saved", async () => {
    const run = await act("fast-path", { CACHE_SCOPE: `cold-${RUN_ID}`, FAST_PATH: "true" });
    expect(run.code, run.log).toBe(0);
    const report = metadata(run);
    expect(report.fastPath.used).toBe(true);
    expect(report.phases).toEqual([]);
    expect(read(run, "digest")).toBe(warmDigest);
    expect(run.log).not.toMatch(/EXPORTING: done in/);
    expect(run.log).toContain("nothing new to save");
  });

  test("a changed requirements.txt restores the scope's newest cache by prefix and rebuilds only the venv", async () => {
    appendFileSync(join(app, "requirements.txt"), "six==1.17.0\n");
    const run = await act("deps-changed", { CACHE_SCOPE: `cold-${RUN_ID}` });
    expect(run.code, run.log).toBe(0);
    expect(read(run, "cache-hit")).toBe("false");
    expect(run.log).toMatch(
      /Cache restored from ml-buildpacks-v1-linux-cold-\S+ \(newest cache of this scope\)/,
    );
    const report = metadata(run);
    expect(report.layers.added).toContain("ml-buildpacks/pip:venv");
    expect(report.layers.reused).toContain("ml-buildpacks/python:python");
    expect(report.layers.added).not.toContain("ml-buildpacks/python:python");
    expect(report.layers.cacheReused.concat(report.layers.cacheAdded)).toContain(
      "ml-buildpacks/pip:pip-cache",
    );
  });

  test("a corrupted cache entry: warning, cold build, success", async () => {
    const archive = newestCacheArchive();
    const bytes = readFileSync(archive);
    bytes.fill(0x5a, Math.floor(bytes.length / 4), Math.floor((bytes.length * 3) / 4));
    writeFileSync(archive, bytes);
    const run = await act("corrupt", { CACHE_SCOPE: `cold-${RUN_ID}` });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toMatch(/Failed to restore/);
    const report = metadata(run);
    expect(report.digest).toMatch(/^sha256:/);
    // Nothing came from the cache.
    expect(report.layers.cacheReused).toEqual([]);
  });

  test("an unreachable cache server: warning, build succeeds", async () => {
    const run = await act("no-cache-server", {
      CACHE_SCOPE: `offline-${RUN_ID}`,
      ACTIONS_CACHE_URL: "http://127.0.0.1:9/",
    });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toMatch(/warning/i);
    expect(read(run, "cache-hit")).toBe("false");
    expect(metadata(run).digest).toMatch(/^sha256:/);
  });

  test("an unknown input value fails the job naming the input", async () => {
    const run = await act("bad-input", { CACHE_INPUT: "maybe" });
    expect(run.code).not.toBe(0);
    expect(run.log).toContain('input "cache" must be true or false, not "maybe"');
  });
});
