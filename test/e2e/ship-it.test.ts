import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { runProcess } from "../../src/core/process.js";
import { DOCKER, docker, REGISTRY, REPO, RUN_ID } from "./helpers.js";
import { runAct } from "./support/act.js";
import { fenceOffLabRegistry, type LabFence } from "./support/lab-fence.js";
import {
  LAB_USERS,
  type LabUser,
  labFetch,
  labPassword,
  labToken,
  PUBLIC_REGISTRY,
  publicRegistryConfigured,
  scanForLoopback,
  untaggedManifests,
  writeDockerConfig,
} from "./support/public-registry.js";
import { onRegistry, readmeQuickStart } from "./support/readme.js";
import {
  bindWorkspaces,
  emptyDir,
  type ResolvedTaskRun,
  runSteps,
  tektonValidate,
  type WorkspaceBinding,
} from "./support/tekton.js";

// Ship it, proven on the lab's stand-in for ghcr.io (registry.ml-buildpacks.test: TLS from a lab CA,
// token auth, anonymous pulls of ml-buildpacks/*, DELETE refused): the release workflow publishes
// there through act, then the README's quick starts run as users copy them, the registry host aside,
// with the lab registry (127.0.0.1:5000, where the lab's own builders are) out of their reach.
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
/** Set while the quick starts run: their processes and containers cannot reach the lab registry. */
let fence: LabFence;

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
  const before = fence.created.length;
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
    processEnv: { ...RUNNER_ENV, DOCKER_CONFIG: dockerConfig, DOCKER_HOST: fence.dockerHost },
    wrap: fence.command,
  });
  return {
    ...run,
    sha: headOf(dir),
    image: `${HOST}/${USER_REPO}`.toLowerCase(),
    containers: fence.created.slice(before),
  };
}

/** docker, as the quick starts' jobs reach it: through the fence. */
async function fencedDocker(args: string[]) {
  const result = await runProcess(DOCKER, args, { env: { DOCKER_HOST: fence.dockerHost } });
  return { code: result.exitCode, output: `${result.stdout}\n${result.stderr}`.trim() };
}

const publishedBuilder = (flavor: string) => `${NS}/builder:${flavor}-${VERSION}`;
const fromPublishedBuilder = (containers: string[], flavor = "cpu") =>
  containers.some(
    (image) => image.startsWith(`${NS}/builder:${flavor}-`) || image.startsWith(`${NS}/builder@`),
  );

/** The registry's digest of `ref` (a tag on the simulated registry), asked as `user`. */
async function publishedDigest(ref: string, user: LabUser): Promise<string | null> {
  const at = ref.lastIndexOf(":");
  const repository = ref.slice(`${HOST}/`.length, at);
  const token = await labToken([`repository:${repository}:pull`], user);
  const res = await labFetch(`${PUBLIC_REGISTRY.url}/v2/${repository}/manifests/${ref.slice(at + 1)}`, {
    method: "HEAD",
    headers: {
      Authorization: `Bearer ${token}`,
      Accept:
        "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json",
    },
  });
  return res.status === 200 ? String(res.headers["docker-content-digest"]) : null;
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

  describe.sequential("the README's quick starts, with the lab registry out of the jobs' reach", () => {
    // From here to afterAll, whatever the quick starts start (act and gitlab-ci-local with every
    // process they spawn, and every container their docker clients create) is in one cgroup whose
    // TCP to 127.0.0.1:5000 is rejected (support/lab-fence.ts, docs/lab.md "The fence"). Nothing
    // else on the machine is: other e2e files keep using the lab registry meanwhile.
    beforeAll(async () => {
      fence = await fenceOffLabRegistry(RUN_ID);
    });
    afterAll(async () => {
      await fence?.remove();
    });

    /** Pulls the lab builder's manifest; prints the status, or exits 3 if the registry cannot be reached. */
    const labPull = [
      "-e",
      `fetch("http://${REGISTRY}/v2/ml-buildpacks/builder/manifests/cpu", { headers: { Accept: "application/vnd.oci.image.index.v1+json" } })` +
        '.then((r) => console.log("status", r.status), (e) => { console.log(String(e.cause ?? e)); process.exit(3); })',
    ];

    test("the fence holds: the lab registry refuses the jobs' containers and processes, not the rest of the machine", async () => {
      const inBuilder = [
        "run",
        "--rm",
        "--network",
        "host",
        "--entrypoint",
        "node",
        publishedBuilder("cpu"),
        ...labPull,
      ];
      const fenced = await fencedDocker(inBuilder);
      expect(fenced.code, fenced.output).toBe(3);
      expect(fenced.output).toContain("ECONNREFUSED");
      // The same container outside the fence pulls: the registry is up, the rule is that narrow.
      const outside = await docker(inBuilder);
      expect(outside.code, outside.output).toBe(0);
      expect(outside.output).toContain("status 200");
      const host = await runProcess(...fence.command(process.execPath, labPull));
      expect(host.exitCode, host.stdout).toBe(3);
      expect(host.stdout).toContain("ECONNREFUSED");
      // dockerd is outside the fence: the jobs' engine API refuses images named on the lab registry.
      const pull = await fencedDocker(["pull", `${REGISTRY}/ml-buildpacks/builder:cpu`]);
      expect(pull.code, pull.output).not.toBe(0);
      expect(pull.output).toContain("fenced off");
    });

    test("the GitHub quick start (one arch) builds, pushes and the image runs", async () => {
      const run = await runQuickStart("github-single", "hello-arch");
      expect(run.code, run.log).toBe(0);
      expect(run.log).toContain(`${NS}/builder:cpu-${VERSION}`);
      expect(fromPublishedBuilder(run.containers), run.containers.join("\n")).toBe(true);
      expect(await runImage(`${run.image}:${run.sha}`)).toMatch(/hello from x86_64 \(linux\)/);
    });

    test("the GitHub quick start (amd64 + arm64, then merge) pushes a two-platform index that runs on both", async () => {
      const run = await runQuickStart("github-multiarch", "hello-arch");
      expect(run.code, run.log).toBe(0);
      expect(fromPublishedBuilder(run.containers), run.containers.join("\n")).toBe(true);
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
      expect(fromPublishedBuilder(run.containers, "cuda"), run.containers.join("\n")).toBe(true);
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
      const before = fence.created.length;
      const result = await runProcess(
        ...fence.command(process.execPath, [
          GCL,
          "--network",
          "host",
          "--helper-image",
          GCL_HELPER,
          "--volume",
          `${PUBLIC_REGISTRY.systemCaBundle}:${PUBLIC_REGISTRY.systemCaBundle}:ro`,
        ]),
        {
          cwd: project,
          env: { GIT_CONFIG_GLOBAL: releaseGitConfig, DOCKER_HOST: fence.dockerHost },
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
      // The jobs ran in the published builder, inside the fence.
      expect(fromPublishedBuilder(fence.created.slice(before)), fence.created.join("\n")).toBe(true);
      const tag = execFileSync("git", ["rev-parse", "--short=8", "HEAD"], { cwd: project }).toString().trim();
      expect(await indexPlatforms(`${image}/app:${tag}`, aliceConfig)).toEqual([
        "linux/amd64",
        "linux/arm64",
      ]);
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
      const result = await fencedDocker(["run", ...environment, ...args.slice(2)]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`Successfully built ${image.replace(/:1\.0$/, "")}@sha256:`);
      const proxied = readFileSync(PUBLIC_REGISTRY.proxyLog, "utf8").slice(proxyLogBefore);
      expect(proxied).toMatch(new RegExp(`CONNECT ${HOST.replaceAll(".", "\\.")}:443`));
      expect(await runImage(image)).toMatch(/hello from x86_64/);
    });

    test("the Tekton quick start (TaskRun) runs the Task's steps in the published builder, pushes with the Secret's credentials, and the image runs", async () => {
      const work = mkdtempSync(join(tmpdir(), "tekton-quickstart-"));
      chmodSync(work, 0o755);
      const tekton = tektonValidate(REPO);
      await tekton.build();
      // acme is no user of the simulated registry: alice pushes, to a repository of this run.
      const image = `${HOST}/${LAB_USERS.alice}/model-api-${RUN_ID}:1.0`;
      const readme = onRegistry(readmeQuickStart(REPO, "tekton-taskrun"), HOST);
      expect(readme).toContain(`${HOST}/acme/model-api:1.0`);
      const taskRunText = readme.replace(`${HOST}/acme/model-api:1.0`, image);
      const taskRunFile = join(work, "taskrun.yaml");
      writeFileSync(taskRunFile, taskRunText);
      // The Task the TaskRun references, as `kubectl apply -f` installs it (its default builder on the lab's "ghcr.io").
      const taskFile = join(work, "task.yaml");
      writeFileSync(
        taskFile,
        onRegistry(readFileSync(join(REPO, "tekton", "task-ml-buildpacks.yaml"), "utf8"), HOST),
      );
      const resolved = await tekton.resolve(taskFile, taskRunFile);
      expect(resolved.exitCode, resolved.stderr).toBe(0);
      const spec = JSON.parse(resolved.stdout) as ResolvedTaskRun;
      expect(spec.steps.map((s) => s.image)).toEqual([publishedBuilder("cpu"), publishedBuilder("cpu")]);

      // The cluster's objects the TaskRun names: the source PVC holds the app at its root; the
      // Secret is alice's docker config (what `kubectl create secret docker-registry` stores).
      const bindings = (parse(taskRunText) as { spec: { workspaces: WorkspaceBinding[] } }).spec.workspaces;
      const claim = bindings.find((b) => b.name === "source")?.persistentVolumeClaim?.claimName;
      const secret = bindings.find((b) => b.name === "dockerconfig")?.secret?.secretName;
      if (!claim || !secret)
        throw new Error("the README's TaskRun binds no source PVC or no dockerconfig Secret");
      const source = emptyDir(work, "pvc");
      cpSync(join(REPO, "examples", "hello-arch"), source, { recursive: true });
      const workspaces = bindWorkspaces(
        bindings,
        {
          claims: { [claim]: source },
          secrets: {
            [secret]: { ".dockerconfigjson": readFileSync(join(aliceConfig, "config.json"), "utf8") },
          },
        },
        work,
      );

      const before = fence.created.length;
      const run = await runSteps(spec, workspaces, {
        work,
        dockerEnv: { DOCKER_HOST: fence.dockerHost },
        // The node's trust store: on ghcr.io the builder's own store would do; the lab CA stands in
        // for a public one, so every container gets the host's bundle, which holds it.
        nodeMounts: { [PUBLIC_REGISTRY.systemCaBundle]: "/etc/ssl/certs/ca-certificates.crt" },
      });
      expect(run.failed, JSON.stringify(run.logs)).toBeUndefined();
      expect(fence.created.slice(before)).toEqual([publishedBuilder("cpu"), publishedBuilder("cpu")]);
      expect(JSON.stringify(run.logs)).not.toContain(labPassword(LAB_USERS.alice));
      expect(run.results.IMAGE_URL).toBe(image);
      expect(run.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await publishedDigest(image, LAB_USERS.alice)).toBe(run.results.IMAGE_DIGEST);
      const byDigest = `${image.slice(0, image.lastIndexOf(":"))}@${run.results.IMAGE_DIGEST}`;
      expect(await runImage(byDigest)).toMatch(
        /hello from x86_64 \(linux\), python 3\.\d+\.\d+, six 1\.17\.0/,
      );
    });
  });

  test("nothing published names a loopback address", () => {
    const hits = scanForLoopback();
    expect(hits).toEqual([]);
  });

  test("the builds left no untagged manifests on the registry that refuses DELETE", () => {
    expect(untaggedManifests({ prefix: `${LAB_USERS.alice}/` })).toEqual([]);
  });
});
