import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runProcess } from "../../src/core/process.js";
import { cli, DOCKER, docker, REGISTRY, REPO, RUN_ID } from "./helpers.js";
import { sbomPackages, venvDistributions } from "./support/venv-sbom.js";

// The GitLab component (templates/build.yml) run by a real GitLab runner emulation, gitlab-ci-local:
// its jobs run in the builder image (which carries the CLI) with the local executor, no Docker inside.
// gitlab-ci-local, rsync and its helper image come from `bash scripts/infra.sh` (step gitlab-ci-local).
const GCL_VERSION = "4.70.0";
const GCL = join(
  REPO,
  ".infra",
  "tools",
  `gitlab-ci-local-${GCL_VERSION}`,
  "node_modules",
  ".bin",
  "gitlab-ci-local",
);
const HELPER_IMAGE = "ml-buildpacks/gitlab-ci-local-helper:1";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

// The namespace input: a mirror of the published builders in the lab registry, as a platform team
// would keep one. The component runs jobs in <namespace>/builder:<flavor>-<its version>-<arch> (its
// version input defaults to package.json's, test/unit/templates.test.ts checks that).
const namespace = `${REGISTRY}/e2e/gitlab-${RUN_ID}`;
const builderRepo = `${namespace}/builder`;
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const imageRepo = `e2e/gitlab-app-${RUN_ID}`;
// The component resolves locally when origin matches its project path and the ref is the commit.
const COMPONENT = "gitlab.example.com/ml/ml-buildpacks/build@$CI_COMMIT_SHA";
const SECRET = `not-a-real-password-${RUN_ID}`;
const LAUNCH = join("layers", "sbom", "launch");
const PIP_VENV_SBOM = join(LAUNCH, "ml-buildpacks_pip", "venv");
let project: string;

function inputs(extra: Record<string, string> = {}): string {
  const all = {
    image: `${REGISTRY}/${imageRepo}`,
    tag: '"1"',
    namespace,
    arches: '["amd64"]',
    path: "app",
    ...extra,
  };
  return Object.entries(all)
    .map(([k, v]) => `      ${k}: ${v}`)
    .join("\n");
}

function writeCi(include: string, inputLines: string, head = ""): void {
  writeFileSync(
    join(project, ".gitlab-ci.yml"),
    `${head}include:\n  - ${include}\n    inputs:\n${inputLines}\n`,
  );
}

async function gcl(args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const result = await runProcess(
    process.execPath,
    [
      GCL,
      "--network",
      "host",
      "--helper-image",
      HELPER_IMAGE,
      // The TLS-intercepting proxy's CA for pip inside the job (as a runner's volume config would).
      "--volume",
      `${CA_BUNDLE}:${CA_BUNDLE}:ro`,
      ...args,
    ],
    {
      cwd: project,
      onLine: (line) => {
        lines.push(line);
        process.stdout.write(`    | ${line}\n`);
      },
    },
  );
  return { code: result.exitCode, output: lines.join("\n") };
}

/** The folder gitlab-ci-local keeps a job's artifacts in. */
function artifactsOf(job: RegExp): string {
  const root = join(project, ".gitlab-ci-local", "artifacts");
  const dir = readdirSync(root).find((d) => job.test(d));
  if (!dir) throw new Error(`no artifacts for ${job} in ${readdirSync(root).join(", ")}`);
  return join(root, dir);
}

function dotenv(job: RegExp, file: string): Record<string, string> {
  const text = readFileSync(join(artifactsOf(job), ".gitlab-ci-reports", "dotenv", file), "utf8");
  return Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

beforeAll(async () => {
  for (const [what, ok] of [
    [GCL, existsSync(GCL)],
    ["rsync", existsSync("/usr/bin/rsync")],
    [HELPER_IMAGE, (await docker(["image", "inspect", HELPER_IMAGE])).code === 0],
  ] as const)
    if (!ok) throw new Error(`${what} is missing: run \`bash scripts/infra.sh\` (step gitlab-ci-local)`);

  // A builder from this tree (it carries the CLI the jobs run), as <repo>:cpu-<version>-amd64 and <repo>:cpu-<version>.
  const created = await cli([
    "builder",
    "create",
    "--config",
    "stacks/cpu/builder.toml",
    "--image",
    `${builderRepo}:cpu-${VERSION}-amd64`,
    "--platform",
    "linux/amd64",
  ]);
  expect(created.code, created.output).toBe(0);
  for (const args of [
    ["tag", `${builderRepo}:cpu-${VERSION}-amd64`, `${builderRepo}:cpu-${VERSION}`],
    ["push", "-q", `${builderRepo}:cpu-${VERSION}`],
  ])
    expect((await docker(args)).code).toBe(0);
  // With the default builder the CLI in the job takes the mirror's run image,
  // <namespace>/run:cpu-<major.minor of its version>: copy the lab's amd64 one there (an index can
  // be tagged only in its own repository; the jobs build amd64).
  const cliVersion = (await cli(["--version"])).output.trim();
  const line = cliVersion.split(".").slice(0, 2).join(".");
  const labNamespace = process.env.ML_BUILDPACKS_NAMESPACE ?? `${REGISTRY}/ml-buildpacks`;
  const copied = await cli([
    "manifest",
    "tag",
    "--image",
    `${labNamespace}/run:cpu-${cliVersion}-amd64`,
    "--tag",
    `${namespace}/run:cpu-${line}`,
  ]);
  expect(copied.code, copied.output).toBe(0);

  project = mkdtempSync(join(tmpdir(), "e2e-gitlab-"));
  mkdirSync(join(project, "templates"));
  cpSync(join(REPO, "templates", "build.yml"), join(project, "templates", "build.yml"));
  cpSync(join(REPO, "examples", "hello-arch"), join(project, "app"), { recursive: true });
  // Also at the project root, for the default `path: "."` (where the GitLab cache dir lives too).
  cpSync(join(REPO, "examples", "hello-arch"), project, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=e2e@example.com", "-c", "user.name=e2e", ...args], {
      cwd: project,
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "component and app");
  git("remote", "add", "origin", "git@gitlab.example.com:ml/ml-buildpacks.git");
  writeFileSync(join(project, ".gitignore"), ".gitlab-ci-local/\n");
});

describe("GitLab component (gitlab-ci-local)", () => {
  test("--preview shows the expanded inputs", async () => {
    writeCi(
      `component: ${COMPONENT}`,
      inputs({ env: "PIP_NO_COMPILE=1", stage: "package" }),
      "stages: [package]\n",
    );
    const { code, output } = await gcl(["--preview"]);
    expect(code, output).toBe(0);
    expect(output).toContain("name: $ML_BUILDPACKS_BUILDER_IMAGE");
    expect(output).toContain(`ML_BUILDPACKS_NAMESPACE: ${namespace}`);
    expect(output).toContain(
      `ML_BUILDPACKS_BUILDER_IMAGE: $ML_BUILDPACKS_NAMESPACE/builder:cpu-${VERSION}-amd64`,
    );
    expect(output).toContain(
      `ML_BUILDPACKS_BUILDER_IMAGE: $ML_BUILDPACKS_NAMESPACE/builder:cpu-${VERSION}-arm64`,
    );
    expect(output).toContain(
      `ML_BUILDPACKS_BUILDER_IMAGE: $ML_BUILDPACKS_NAMESPACE/builder:cpu-${VERSION}\n`,
    );
    expect(output).toContain(`ML_BUILDPACKS_IMAGE: ${REGISTRY}/${imageRepo}`);
    expect(output).toContain("ML_BUILDPACKS_BUILD_ENV: PIP_NO_COMPILE=1");
    expect(output).toContain("key: ml-buildpacks-cpu-$ARCH");
    expect(output).toContain("stage: package");
    // Each architecture's job carries its own runner tags (GitLab.com's hosted runners by default).
    expect(output).toMatch(/tags:\n\s+- saas-linux-small-amd64\n/);
    expect(output).toMatch(/tags:\n\s+- saas-linux-small-arm64\n/);
    expect(output).not.toContain("$[[");
  });

  test("runner tags per architecture, the arches input picks the jobs, a builder input overrides", async () => {
    writeCi(
      "local: templates/build.yml",
      inputs({
        arches: '["arm64"]',
        "arm64-runner-tags": '["arm", "big"]',
        builder: "registry.example.com/mirror/builder:cpu",
      }),
    );
    const preview = await gcl(["--preview"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).toMatch(/tags:\n\s+- arm\n\s+- big\n/);
    expect(preview.output).toContain("ML_BUILDPACKS_BUILDER: registry.example.com/mirror/builder:cpu");
    const listed = await gcl(["--list"]);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(/^ml-buildpacks-build-arm64\s/m);
    expect(listed.output).not.toMatch(/^ml-buildpacks-build-amd64\s/m);
    expect(listed.output).toContain("ml-buildpacks-manifest");
  });

  test("manifest: false leaves the manifest job out", async () => {
    writeCi("local: templates/build.yml", inputs());
    const all = await gcl(["--list"]);
    expect(all.code, all.output).toBe(0);
    expect(all.output).toContain("ml-buildpacks-manifest");
    writeCi("local: templates/build.yml", inputs({ manifest: "false" }));
    const listed = await gcl(["--list"]);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain("ml-buildpacks-build-amd64");
    expect(listed.output).not.toContain("ml-buildpacks-manifest");
  });

  test("a missing required input fails at pipeline creation, naming the input", async () => {
    const { image: _omitted, ...rest } = {
      image: "",
      tag: '"1"',
      namespace,
      arches: '["amd64"]',
    };
    writeCi(
      `component: ${COMPONENT}`,
      Object.entries(rest)
        .map(([k, v]) => `      ${k}: ${v}`)
        .join("\n"),
    );
    const { code, output } = await gcl(["--preview"]);
    expect(code).not.toBe(0);
    expect(output).toMatch(/`image` input: required value has not been provided/);
  });

  test("include: component builds, pushes and merges hello-arch; the image runs", async () => {
    writeCi(`component: ${COMPONENT}`, inputs());
    const { code, output } = await gcl([]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/PASS\s+ml-buildpacks-build-amd64/);
    expect(output).toMatch(/PASS\s+ml-buildpacks-manifest/);
    // The default builder: the job runs in <namespace>/builder:cpu-<version>-amd64, the CLI names the index.
    expect(output).toContain(`local executor: builder ${builderRepo}:cpu-`);
    const build = dotenv(/^ml-buildpacks-build.*amd64/, "ml-buildpacks.env");
    expect(build.IMAGE).toBe(`${REGISTRY}/${imageRepo}:1-amd64`);
    expect(build.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(build.IMAGE_DIGEST_AMD64).toBe(build.IMAGE_DIGEST);
    expect(build.CACHE_LAYERS_REUSED).toBe("0");

    const manifest = dotenv(/^ml-buildpacks-manifest/, "ml-buildpacks-manifest.env");
    expect(manifest.MANIFEST_IMAGE).toBe(`${REGISTRY}/${imageRepo}:1`);
    const res = await fetch(`http://${REGISTRY}/v2/${imageRepo}/manifests/1`, {
      headers: { Accept: "application/vnd.oci.image.index.v1+json" },
    });
    expect(res.headers.get("docker-content-digest")).toBe(manifest.MANIFEST_DIGEST);
    const index = (await res.json()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    expect(index.manifests.map((m) => [m.platform.architecture, m.digest])).toEqual([
      ["amd64", build.IMAGE_DIGEST],
    ]);

    const ran = execFileSync(DOCKER, ["run", "--rm", "--network", "host", `${REGISTRY}/${imageRepo}:1`], {
      encoding: "utf8",
    });
    expect(ran).toMatch(/^hello from x86_64 \(linux\), python 3\.\d+\.\d+, six 1\.17\.0/);

    // sbom (default true): the job's artifacts hold the image's SBOM, the dotenv report names its folder.
    expect(build.SBOM_DIR).toBe(".ml-buildpacks/sbom/linux-amd64");
    const venv = join(artifactsOf(/^ml-buildpacks-build.*amd64/), build.SBOM_DIR as string, PIP_VENV_SBOM);
    const cdx = JSON.parse(readFileSync(join(venv, "sbom.cdx.json"), "utf8")) as {
      bomFormat: string;
      components: { name: string; version: string; purl: string }[];
    };
    const spdx = JSON.parse(readFileSync(join(venv, "sbom.spdx.json"), "utf8")) as {
      spdxVersion: string;
      packages: { name: string; versionInfo: string }[];
    };
    expect(cdx.bomFormat).toBe("CycloneDX");
    expect(cdx.components.map((c) => c.purl)).toEqual(["pkg:pypi/six@1.17.0"]);
    expect(spdx.spdxVersion).toBe("SPDX-2.3");
    expect(spdx.packages.map((p) => `${p.name}==${p.versionInfo}`)).toEqual(["six==1.17.0"]);
    expect(sbomPackages(venv)).toEqual(
      await venvDistributions(`${REGISTRY}/${imageRepo}@${build.IMAGE_DIGEST}`),
    );
    // The Python the image runs on is listed too (the stack's, in the python buildpack's layer).
    const python = join(
      artifactsOf(/^ml-buildpacks-build.*amd64/),
      build.SBOM_DIR as string,
      LAUNCH,
      "ml-buildpacks_python",
    );
    const [layer] = readdirSync(python);
    const cpython = JSON.parse(readFileSync(join(python, layer as string, "sbom.cdx.json"), "utf8")) as {
      components: { name: string; version: string }[];
    };
    expect(cpython.components.map((c) => c.name)).toEqual(["cpython"]);
    expect(ran).toContain(`python ${cpython.components[0]?.version},`);
  });

  test("include: local, second run: the GitLab cache is restored and layers are reused; credentials never printed; sbom: false writes none", async () => {
    writeCi("local: templates/build.yml", inputs({ "fast-path": "false", sbom: "false" }));
    const { code, output } = await gcl([
      "--variable",
      `CI_REGISTRY=${REGISTRY}`,
      "--variable",
      "CI_REGISTRY_USER=e2e",
      "--variable",
      `CI_REGISTRY_PASSWORD=${SECRET}`,
    ]);
    expect(code, output).toBe(0);
    expect(output).toContain("imported cache 'ml-buildpacks-cpu-amd64'");
    expect(output).toContain('Restoring data for "ml-buildpacks/pip:pip-cache" from cache');
    expect(output).toContain("Reusing layer 'ml-buildpacks/pip:venv'");
    const build = dotenv(/^ml-buildpacks-build.*amd64/, "ml-buildpacks.env");
    expect(build.CACHE_LAYERS_REUSED).toBe("1");
    expect(Number(build.LAYERS_REUSED)).toBeGreaterThan(0);
    expect(build.FAST_PATH_USED).toBe("false");
    expect(build.SBOM_DIR).toBeUndefined();
    expect(output).not.toContain("Saving the image's SBOM");
    expect(existsSync(join(artifactsOf(/^ml-buildpacks-build.*amd64/), ".ml-buildpacks", "sbom"))).toBe(
      false,
    );
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(Buffer.from(`e2e:${SECRET}`).toString("base64"));
  });

  test("third run with unchanged inputs: the fast path keeps the image and runs no phase", async () => {
    const before = dotenv(/^ml-buildpacks-build.*amd64/, "ml-buildpacks.env").IMAGE_DIGEST;
    writeCi("local: templates/build.yml", inputs());
    const { code, output } = await gcl([]);
    expect(code, output).toBe(0);
    expect(output).toContain("Up to date (inputs unchanged, no phase ran)");
    const build = dotenv(/^ml-buildpacks-build.*amd64/, "ml-buildpacks.env");
    expect(build.FAST_PATH_USED).toBe("true");
    expect(build.IMAGE_DIGEST).toBe(before);
    // The SBOM is the kept image's, read back although no phase ran.
    expect(build.SBOM_DIR).toBe(".ml-buildpacks/sbom/linux-amd64");
    expect(output).toMatch(new RegExp(`SBOM of ${before} \\(linux-amd64\\): \\d+ files`));
  });

  test('a job running as root (--umask), path ".": detect and build drop to the CNB user, the cache is reused and not in the image', async () => {
    // With a builder input: every job runs in it, and the CLI records it as the builder.
    const builder = `${builderRepo}:cpu-${VERSION}`;
    writeCi("local: templates/build.yml", inputs({ path: '"."', "fast-path": "false", builder }));
    const { code, output } = await gcl(["--umask"]);
    expect(code, output).toBe(0);
    expect(output).toContain(`local executor: builder ${builder} (this container)`);
    expect(output).toContain(
      "local executor: phases run as root, detect and build as the CNB user 1000:1000",
    );
    expect(output).toContain('Restoring data for "ml-buildpacks/pip:pip-cache" from cache');
    expect(dotenv(/^ml-buildpacks-build.*amd64/, "ml-buildpacks.env").CACHE_LAYERS_REUSED).toBe("1");
    const listing = execFileSync(
      DOCKER,
      [
        "run",
        "--rm",
        "--network",
        "host",
        "--entrypoint",
        "sh",
        `${REGISTRY}/${imageRepo}:1-amd64`,
        "-c",
        "ls -A /workspace; ls -A /workspace/.ml-buildpacks",
      ],
      { encoding: "utf8" },
    ).split("\n");
    expect(listing).toEqual(expect.arrayContaining(["app.py", "requirements.txt", "templates", "out"]));
    expect(listing).not.toContain("cache");
    // The SBOM an earlier job left in the project dir (gitlab-ci-local copies artifacts back) is not built into the image.
    expect(listing).not.toContain("sbom");
    expect(listing).not.toContain(".git");
  });
});
