import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runProcess } from "../../src/core/process.js";
import { docker, REPO, RUN_ID } from "./helpers.js";
import { runAct } from "./support/act.js";
import {
  LAB_USERS,
  labPassword,
  PUBLIC_REGISTRY,
  publicRegistryConfigured,
  scanForLoopback,
  untaggedManifests,
  writeDockerConfig,
} from "./support/public-registry.js";
import { onRegistry, readmeQuickStart } from "./support/readme.js";

// Ship it, proven on the lab's stand-in for ghcr.io (registry.ml-buildpacks.test: TLS from a lab CA,
// token auth, anonymous pulls of ml-buildpacks/*, DELETE refused): the release workflow publishes
// there through act, then the README's quick starts run as users copy them, the registry host aside.
const ACT = join(REPO, ".infra", "bin", "act");
const HOST = PUBLIC_REGISTRY.host;
const NS = PUBLIC_REGISTRY.namespace;
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const MAJOR = VERSION.split(".")[0] as string;
const ACTION_REPO = "ml-buildpacks/ml-buildpacks";
/** The user's repository on "github.com": owner with capitals, as GitHub allows. */
const USER_REPO = `${LAB_USERS.alice}/hello-ml-${RUN_ID}`;
const RUNNERS = ["ubuntu-24.04", "ubuntu-24.04-arm"];
// gitlab-ci-local and its helper image (scripts/infra.sh, step gitlab-ci-local).
const GCL = join(
  REPO,
  ".infra",
  "tools",
  "gitlab-ci-local-4.70.0",
  "node_modules",
  ".bin",
  "gitlab-ci-local",
);
const GCL_HELPER = "ml-buildpacks/gitlab-ci-local-helper:1";

/** The environment of a self-hosted runner on this machine: its trust store and our mirror setting. */
const RUNNER_ENV = {
  // Build containers trust what the runner trusts (the lab CA is in the system store).
  ML_BUILDPACKS_CA_CERTS: PUBLIC_REGISTRY.systemCaBundle,
  // The published names live on the lab's registry instead of ghcr.io.
  ML_BUILDPACKS_NAMESPACE: NS,
};

let aliceConfig: string;

/** What the release published to the simulated registry (a clone of this repository, tagged there). */
const RELEASE_TARGETS = [
  { flavor: "cpu", arch: "amd64", runner: "ubuntu-24.04" },
  { flavor: "cpu", arch: "arm64", runner: "ubuntu-24.04-arm" },
  { flavor: "cuda", arch: "amd64", runner: "ubuntu-24.04" },
];
let projectOrigin: string;
let releaseGitConfig: string;
/** The released commit: what `uses: ml-buildpacks/ml-buildpacks@v1` resolves to (act --local-repository). */
let released: string;

/**
 * The project as it lives on github.com: a clone of this commit whose origin is
 * github.com/ml-buildpacks/ml-buildpacks (what act reads for github.repository), with pushes to it
 * going to a bare repository here (git's url.insteadOf, in a config file of the test's own).
 */
function projectClone(): { dir: string; gitConfig: string } {
  const root = mkdtempSync(join(tmpdir(), "release-"));
  projectOrigin = join(root, "origin.git");
  execFileSync("git", ["init", "-q", "--bare", projectOrigin]);
  const dir = join(root, "ml-buildpacks");
  execFileSync("git", ["clone", "-q", "--no-local", REPO, dir]);
  execFileSync("git", ["remote", "set-url", "origin", `https://github.com/${ACTION_REPO}.git`], { cwd: dir });
  const gitConfig = join(root, "gitconfig");
  writeFileSync(
    gitConfig,
    `[url "file://${projectOrigin}"]\n\tinsteadOf = https://github.com/${ACTION_REPO}.git\n` +
      `[url "file://${projectOrigin}"]\n\tinsteadOf = https://gitlab.com:443/${ACTION_REPO}.git\n` +
      "[user]\n\tname = Release\n\temail = release@example.com\n",
  );
  return { dir, gitConfig };
}

async function indexPlatforms(ref: string, config: string): Promise<string[]> {
  const inspect = await docker(["--config", config, "manifest", "inspect", ref]);
  expect(inspect.code, inspect.output).toBe(0);
  return (
    JSON.parse(inspect.output) as { manifests: { platform: { os: string; architecture: string } }[] }
  ).manifests
    .map((m) => `${m.platform.os}/${m.platform.architecture}`)
    .sort();
}

/** A git repository as a user would push it: the app at its root, the workflow from the README. */
function userRepo(app: string, workflow: string): string {
  const dir = mkdtempSync(join(tmpdir(), "user-repo-"));
  cpSync(join(REPO, "examples", app), dir, { recursive: true });
  mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
  writeFileSync(join(dir, ".github", "workflows", "image.yml"), workflow);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("remote", "add", "origin", `https://github.com/${USER_REPO}.git`);
  git("add", "-A");
  git("-c", "user.name=Alice", "-c", "user.email=alice@example.com", "commit", "-qm", "app");
  return dir;
}

const headOf = (dir: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir }).toString().trim();

async function runQuickStart(name: string, app: string) {
  const dir = userRepo(app, onRegistry(readmeQuickStart(REPO, name), HOST));
  const dockerConfig = mkdtempSync(join(tmpdir(), "runner-docker-"));
  const run = await runAct(ACT, {
    cwd: dir,
    workflow: ".github/workflows/image.yml",
    event: "push",
    runners: RUNNERS,
    localRepositories: { [`${ACTION_REPO}@v${MAJOR}`]: released },
    secrets: { GITHUB_TOKEN: labPassword(LAB_USERS.alice) },
    actor: LAB_USERS.alice,
    cacheServerDir: mkdtempSync(join(tmpdir(), "act-cache-")),
    processEnv: { ...RUNNER_ENV, DOCKER_CONFIG: dockerConfig },
  });
  return { ...run, sha: headOf(dir), image: `${HOST}/${USER_REPO}`.toLowerCase() };
}

/** Runs an image as alice (her repositories are private), returns what it printed. */
async function runImage(ref: string, platform?: string): Promise<string> {
  const args = ["--config", aliceConfig, "run", "--rm", "--network", "host", "--pull", "always"];
  const result = await docker([...args, ...(platform ? ["--platform", platform] : []), ref]);
  expect(result.code, result.output).toBe(0);
  return result.output;
}

beforeAll(() => {
  if (!publicRegistryConfigured())
    throw new Error("the lab's public registry is not set up: run `bash scripts/infra.sh`");
  aliceConfig = writeDockerConfig(LAB_USERS.alice);
});

describe.sequential("ship it: release, then the README's quick starts on the published images", () => {
  test("release.yml through act publishes stacks and builders per flavor and arch, merges indexes, moves tags", async () => {
    const { dir, gitConfig } = projectClone();
    released = dir;
    releaseGitConfig = gitConfig;
    const run = await runAct(ACT, {
      cwd: dir,
      workflow: ".github/workflows/release.yml",
      event: "workflow_dispatch",
      runners: RUNNERS,
      inputs: { targets: JSON.stringify(RELEASE_TARGETS) },
      vars: { ML_BUILDPACKS_NAMESPACE: NS },
      secrets: { REGISTRY_USER: LAB_USERS.maintainer, REGISTRY_TOKEN: labPassword(LAB_USERS.maintainer) },
      concurrentJobs: 1,
      processEnv: { GIT_CONFIG_GLOBAL: gitConfig },
    });
    expect(run.code, run.log).toBe(0);
    expect(run.log).not.toContain(labPassword(LAB_USERS.maintainer));
    // Anonymous pulls: the published images are public.
    const anonymous = writeDockerConfig();
    for (const kind of ["build", "run", "builder"]) {
      for (const tag of [
        `cpu-${VERSION}`,
        `cpu-${VERSION.split(".").slice(0, 2).join(".")}`,
        `cpu-${MAJOR}`,
        "cpu",
      ])
        expect(await indexPlatforms(`${NS}/${kind}:${tag}`, anonymous)).toEqual([
          "linux/amd64",
          "linux/arm64",
        ]);
      expect(await indexPlatforms(`${NS}/${kind}:cuda-${VERSION}`, anonymous)).toEqual(["linux/amd64"]);
    }
    const head = headOf(dir);
    const tags = execFileSync("git", ["ls-remote", "--tags", projectOrigin]).toString();
    for (const tag of [`v${VERSION}`, `v${MAJOR}`, `v${VERSION.split(".").slice(0, 2).join(".")}`, VERSION])
      expect(tags).toContain(`${head}\trefs/tags/${tag}\n`);
  });

  test("a published builder names only published images", async () => {
    const anonymous = writeDockerConfig();
    const pulled = await docker(["--config", anonymous, "pull", "-q", `${NS}/builder:cpu-${VERSION}`]);
    expect(pulled.code, pulled.output).toBe(0);
    const cat = await docker([
      "run",
      "--rm",
      "--entrypoint",
      "cat",
      `${NS}/builder:cpu-${VERSION}`,
      "/cnb/run.toml",
      "/cnb/stack.toml",
    ]);
    expect(cat.code, cat.output).toBe(0);
    expect(cat.output).toContain(`${NS}/run:cpu-${VERSION.split(".").slice(0, 2).join(".")}`);
    expect(cat.output).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  test("the GitHub quick start (one arch) builds, pushes and the image runs", async () => {
    const run = await runQuickStart("github-single", "hello-arch");
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain(`${NS}/builder:cpu-${VERSION}`);
    expect(await runImage(`${run.image}:${run.sha}`)).toMatch(/hello from x86_64 \(linux\)/);
  });

  test("the GitHub quick start (amd64 + arm64, then merge) pushes a two-platform index that runs on both", async () => {
    const run = await runQuickStart("github-multiarch", "hello-arch");
    expect(run.code, run.log).toBe(0);
    const index = `${run.image}:${run.sha}`;
    const inspect = await docker(["--config", aliceConfig, "manifest", "inspect", index]);
    expect(inspect.code, inspect.output).toBe(0);
    const platforms = (
      JSON.parse(inspect.output) as { manifests: { platform: { architecture: string } }[] }
    ).manifests
      .map((m) => m.platform.architecture)
      .sort();
    expect(platforms).toEqual(["amd64", "arm64"]);
    expect(await runImage(index, "linux/amd64")).toMatch(/hello from x86_64/);
    expect(await runImage(index, "linux/arm64")).toMatch(/hello from aarch64/);
  });

  test("the GitHub quick start (cuda) builds on the cuda builder and the CUDA runtime loads", async () => {
    const run = await runQuickStart("github-cuda", "cuda-check");
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain(`${NS}/builder:cuda-${VERSION}`);
    expect(await runImage(`${run.image}:${run.sha}-cuda`)).toMatch(
      /libcudart loaded: status 0, CUDA runtime 12\.\d/,
    );
  });

  test("the GitLab quick start (include: component @<version>) builds amd64 + arm64 in the builder, merges, and the image runs", async () => {
    // The user's GitLab project; the component resolves from gitlab.com/ml-buildpacks/ml-buildpacks
    // at the release's tag (gitlab-ci-local clones it over https, which git sends to the release's
    // repository here).
    const project = mkdtempSync(join(tmpdir(), "gitlab-project-"));
    cpSync(join(REPO, "examples", "hello-arch"), project, { recursive: true });
    writeFileSync(join(project, ".gitlab-ci.yml"), onRegistry(readmeQuickStart(REPO, "gitlab"), HOST));
    writeFileSync(join(project, ".gitignore"), ".gitlab-ci-local/\n");
    const image = `${HOST}/${LAB_USERS.alice}/hello-ml-gitlab-${RUN_ID}`;
    // Project CI/CD variables (a file, never argv): GitLab's registry credentials, and the mirror setting.
    writeFileSync(
      join(project, ".gitlab-ci-local-variables.yml"),
      [
        `CI_REGISTRY: ${HOST}`,
        `CI_REGISTRY_IMAGE: ${image}`,
        `CI_REGISTRY_USER: ${LAB_USERS.alice}`,
        `CI_REGISTRY_PASSWORD: ${labPassword(LAB_USERS.alice)}`,
        `ML_BUILDPACKS_NAMESPACE: ${NS}`,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=alice@example.com", "-c", "user.name=Alice", ...args], {
        cwd: project,
      });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "app");
    git("remote", "add", "origin", `https://gitlab.com/${LAB_USERS.alice}/hello-ml.git`);
    const lines: string[] = [];
    const result = await runProcess(
      process.execPath,
      [
        GCL,
        "--network",
        "host",
        "--helper-image",
        GCL_HELPER,
        "--volume",
        `${PUBLIC_REGISTRY.systemCaBundle}:${PUBLIC_REGISTRY.systemCaBundle}:ro`,
      ],
      {
        cwd: project,
        env: { GIT_CONFIG_GLOBAL: releaseGitConfig },
        onLine: (line) => {
          lines.push(line);
          process.stdout.write(`    | ${line}\n`);
        },
      },
    );
    const output = lines.join("\n");
    expect(result.exitCode, output).toBe(0);
    expect(output).toMatch(/PASS\s+ml-buildpacks-build-amd64/);
    expect(output).toMatch(/PASS\s+ml-buildpacks-build-arm64/);
    expect(output).toMatch(/PASS\s+ml-buildpacks-manifest/);
    expect(output).not.toContain(labPassword(LAB_USERS.alice));
    const tag = execFileSync("git", ["rev-parse", "--short=8", "HEAD"], { cwd: project }).toString().trim();
    expect(await indexPlatforms(`${image}/app:${tag}`, aliceConfig)).toEqual(["linux/amd64", "linux/arm64"]);
    expect(await runImage(`${image}/app:${tag}`, "linux/arm64")).toMatch(/hello from aarch64/);
  });

  test("the CLI quick start (in the builder image) through an HTTP CONNECT proxy, with no direct route to the registry", async () => {
    const app = mkdtempSync(join(tmpdir(), "cli-app-"));
    cpSync(join(REPO, "examples", "hello-arch"), app, { recursive: true });
    // The container knows no address for the registry: only the proxy (outside it) does.
    const hosts = join(mkdtempSync(join(tmpdir(), "hosts-")), "hosts");
    writeFileSync(hosts, "127.0.0.1 localhost\n");
    const image = `${HOST}/${LAB_USERS.alice}/my-app-${RUN_ID}:1.0`;
    const command = onRegistry(readmeQuickStart(REPO, "cli"), HOST)
      .replace(/\\\n\s*/g, "")
      .replace(`${HOST}/acme/my-app:1.0`, image)
      .replace('"$PWD:', `"${app}:`)
      .replace('"$HOME/.docker/config.json:', `"${aliceConfig}/config.json:`);
    const args = command
      .trim()
      .split(/\s+/)
      .map((a) => a.replace(/^"|"$/g, ""));
    expect(args.slice(0, 2)).toEqual(["docker", "run"]);
    // This machine's network (no bridge), CA and proxy: what a host behind a proxy configures.
    const environment = [
      "--network",
      "host",
      "-v",
      `${hosts}:/etc/hosts:ro`,
      "-v",
      `${PUBLIC_REGISTRY.systemCaBundle}:/etc/ssl/certs/ca-certificates.crt:ro`,
      "-e",
      `HTTPS_PROXY=${PUBLIC_REGISTRY.proxyUrl}`,
      "-e",
      "NO_PROXY=localhost",
    ];
    const proxyLogBefore = readFileSync(PUBLIC_REGISTRY.proxyLog, "utf8").length;
    const result = await docker(["run", ...environment, ...args.slice(2)]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Successfully built ${image.replace(/:1\.0$/, "")}@sha256:`);
    const proxied = readFileSync(PUBLIC_REGISTRY.proxyLog, "utf8").slice(proxyLogBefore);
    expect(proxied).toMatch(new RegExp(`CONNECT ${HOST.replaceAll(".", "\\.")}:443`));
    expect(await runImage(image)).toMatch(/hello from x86_64/);
  });

  test("nothing published names a loopback address", () => {
    const hits = scanForLoopback();
    expect(hits).toEqual([]);
  });

  test("the builds left no untagged manifests on the registry that refuses DELETE", () => {
    expect(untaggedManifests({ prefix: `${LAB_USERS.alice}/` })).toEqual([]);
  });
});
