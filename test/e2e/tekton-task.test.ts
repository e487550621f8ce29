import { chmodSync, cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { docker, REGISTRY, REPO, RUN_ID } from "./helpers.js";
import {
  emptyDir,
  type ResolvedTaskRun,
  runSteps as runTaskRunSteps,
  tektonValidate,
} from "./support/tekton.js";
import { layerSbomDir, sbomPackages, venvDistributions } from "./support/venv-sbom.js";

// The Tekton Tasks (tekton/task-ml-buildpacks.yaml, tekton/task-ml-buildpacks-merge.yaml) without a
// cluster, on the lab registry: Tekton's own Go code validates them and resolves each TaskRun's steps,
// which then run as containers the way the TaskRun's pod would (support/tekton.ts). The steps run
// the CLI inside the builder image (--executor local): no Docker inside.

const TASK = join(REPO, "tekton", "task-ml-buildpacks.yaml");
const MERGE_TASK = join(REPO, "tekton", "task-ml-buildpacks-merge.yaml");
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
// The lab's builder, passed as BUILDER_IMAGE (the Task's default is the published one, which
// test/unit/templates.test.ts checks); E2E_TEKTON_BUILDER points at another one while developing.
const LAB_NAMESPACE = process.env.ML_BUILDPACKS_NAMESPACE ?? `${REGISTRY}/ml-buildpacks`;
const BUILDER = process.env.E2E_TEKTON_BUILDER ?? `${LAB_NAMESPACE}/builder:cpu`;
const repository = `e2e/tekton-${RUN_ID}`;
const tekton = tektonValidate(REPO);

let work: string;

function taskRunYaml(name: string, params: string, workspaces: string, task = "ml-buildpacks"): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: ${name}\nspec:\n  taskRef:\n    name: ${task}\n` +
      `  params:\n${params}  workspaces:\n${workspaces}`,
  );
  return file;
}

const resolve = (taskRunFile: string) => tekton.resolve(TASK, taskRunFile);
/** The merge Task, resolved for a TaskRun as the Pipeline's merge task would create it. */
const resolveMerge = (taskRunFile: string) => tekton.resolve(MERGE_TASK, taskRunFile);
const runSteps = (resolved: ResolvedTaskRun, bindings: Record<string, string>) =>
  runTaskRunSteps(resolved, bindings, { work });

/** The registry's digest for REGISTRY/repo:tag (an image manifest or an index). */
async function registryDigest(ref: string, repo = repository): Promise<string | null> {
  const tag = ref.slice(ref.lastIndexOf(":") + 1);
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      Accept:
        "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json",
    },
  });
  return res.ok ? res.headers.get("docker-content-digest") : null;
}

let source: string;
let cache: string;
let caCerts: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "e2e-tekton-"));
  chmodSync(work, 0o755);
  await tekton.build();
  source = emptyDir(work, "source");
  cpSync(join(REPO, "examples", "hello-arch"), join(source, "apps", "hello"), { recursive: true });
  cache = emptyDir(work, "cache");
  caCerts = emptyDir(work, "ca-certs");
  cpSync(CA_BUNDLE, join(caCerts, "ca-certificates.crt"));
}, 900_000);

describe("Tekton Task", () => {
  test("Tekton's own validation (go test in tekton/validate) passes", async () => {
    const result = await tekton.go(["test", "-count=1", "./..."]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/^ok\s/m);
  }, 600_000);

  test("a TaskRun without APP_IMAGE is rejected by Tekton's param validation", async () => {
    const file = taskRunYaml(
      "no-image",
      "    - name: PLATFORM\n      value: linux/amd64\n",
      "    - name: source\n      emptyDir: {}\n",
    );
    const result = await resolve(file);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "missing values for these params which have no default values: [APP_IMAGE]",
    );
  });

  const image = `${REGISTRY}/${repository}:1`;
  const params =
    `    - name: APP_IMAGE\n      value: ${image}\n` +
    `    - name: BUILDER_IMAGE\n      value: ${BUILDER}\n` +
    "    - name: SOURCE_SUBPATH\n      value: apps/hello\n" +
    "    - name: PLATFORM\n      value: linux/amd64\n" +
    '    - name: ENV_VARS\n      value: ["BP_TEKTON_E2E=one two"]\n';
  const workspaces =
    "    - name: source\n      persistentVolumeClaim:\n        claimName: source\n" +
    "    - name: cache\n      persistentVolumeClaim:\n        claimName: cache\n" +
    "    - name: ca-certs\n      configMap:\n        name: ca-certs\n";

  test("the steps build and push the image; IMAGE_DIGEST is the registry's digest of IMAGE_URL; the sbom workspace gets its SBOM", async () => {
    const resolved = await resolve(
      taskRunYaml("build-hello", params, `${workspaces}    - name: sbom\n      emptyDir: {}\n`),
    );
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    const spec = JSON.parse(resolved.stdout) as ResolvedTaskRun;
    expect(spec.steps.map((s) => s.name)).toEqual(["build", "write-results"]);
    expect(spec.steps[0]?.image).toBe(BUILDER);
    expect(spec.steps[0]?.args).toEqual(["BP_TEKTON_E2E=one two"]);

    const sbom = emptyDir(work, "sbom");
    const run = await runSteps(spec, { source, cache, "ca-certs": caCerts, sbom });
    expect(run.failed, JSON.stringify(run.logs)).toBeUndefined();
    expect(run.logs.build).toMatch(/local executor/i);
    expect(run.results.IMAGE_URL).toBe(image);
    expect(run.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(image)).toBe(run.results.IMAGE_DIGEST);
    expect(run.logs["write-results"]).toContain(`${image}@${run.results.IMAGE_DIGEST}`);

    const app = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      "--platform",
      "linux/amd64",
      `${image.slice(0, image.lastIndexOf(":"))}@${run.results.IMAGE_DIGEST}`,
    ]);
    expect(app.code, app.output).toBe(0);
    expect(app.output).toMatch(/hello from x86_64 \(linux\), python 3\.\d+\.\d+, six 1\.17\.0/);

    // The SBOM the step wrote to the sbom workspace: the image's venv exactly, and the Python it runs.
    const venv = sbomPackages(join(sbom, "linux-amd64", layerSbomDir("ml-buildpacks/pip", "venv")));
    expect(venv).toEqual(["six==1.17.0"]);
    expect(venv).toEqual(
      await venvDistributions(`${image.slice(0, image.lastIndexOf(":"))}@${run.results.IMAGE_DIGEST}`),
    );
    const [cpython] = sbomPackages(join(sbom, "linux-amd64", layerSbomDir("ml-buildpacks/python", "python")));
    expect(app.output).toContain(`python ${cpython?.replace("cpython==", "")},`);
  }, 900_000);

  test("the merge Task turns the per-arch results into one index and returns its digest", async () => {
    const amd64Digest = await registryDigest(image);
    // The arm64 child: the arm64 run image (building an arm64 app under qemu is multi-arch.test.ts's job).
    const arm64 = `${LAB_NAMESPACE}/run:cpu-arm64`;
    const arm64Digest = await registryDigest(arm64, "ml-buildpacks/run");
    if (!amd64Digest || !arm64Digest) throw new Error("the amd64 build or the arm64 run image is missing");
    const index = `${REGISTRY}/${repository}:multi`;
    const resolved = await resolveMerge(
      taskRunYaml(
        "merge",
        `    - name: IMAGE\n      value: ${index}\n` +
          `    - name: BUILDER_IMAGE\n      value: ${BUILDER}\n` +
          // What the Pipeline passes: linux/<arch>=<IMAGE_URL>@<IMAGE_DIGEST> of each build.
          `    - name: IMAGES\n      value: ["linux/amd64=${image}@${amd64Digest}", "linux/arm64=${arm64}@${arm64Digest}"]\n`,
        "    []\n",
        "ml-buildpacks-merge",
      ),
    );
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    const run = await runSteps(JSON.parse(resolved.stdout) as ResolvedTaskRun, {});
    expect(run.failed, JSON.stringify(run.logs)).toBeUndefined();
    expect(run.results.IMAGE_URL).toBe(index);
    expect(run.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(index)).toBe(run.results.IMAGE_DIGEST);
    const res = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/multi`, {
      headers: { Accept: "application/vnd.oci.image.index.v1+json" },
    });
    const body = (await res.json()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    expect(body.manifests.map((m) => [m.platform.architecture, m.digest])).toEqual([
      ["amd64", amd64Digest],
      ["arm64", arm64Digest],
    ]);
  }, 300_000);

  /** Resolves a TaskRun of the Task with these params and runs its steps on the shared workspaces. */
  async function runTaskRun(name: string, taskParams: string) {
    const resolved = await resolve(taskRunYaml(name, taskParams, workspaces));
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    const run = await runSteps(JSON.parse(resolved.stdout) as ResolvedTaskRun, {
      source,
      cache,
      "ca-certs": caCerts,
    });
    expect(run.failed, JSON.stringify(run.logs)).toBeUndefined();
    return run;
  }

  test("a second TaskRun with unchanged inputs takes the fast path: no phase runs, same image", async () => {
    const before = await registryDigest(image);
    const run = await runTaskRun("build-hello-same", params);
    expect(run.logs.build).toContain("Up to date (inputs unchanged, no phase ran)");
    expect(run.results.IMAGE_DIGEST).toBe(before);
    // No sbom workspace bound: no --sbom-output-dir.
    expect(run.logs.build).not.toContain("Saving the image's SBOM");
  }, 300_000);

  test("with FAST_PATH false and a RUN_IMAGE, a TaskRun with the same cache workspace reuses the cached layers", async () => {
    // RUN_IMAGE reaches the CLI as --run-image (tekton/validate's tests check the flags with a stub
    // CLI): here the lab's amd64 run image, named by its per-arch tag, builds as before.
    const runImage = `${LAB_NAMESPACE}/run:cpu-amd64`;
    const noFastPath =
      `${params}    - name: FAST_PATH\n      value: "false"\n` +
      `    - name: RUN_IMAGE\n      value: ${runImage}\n`;
    const run = await runTaskRun("build-hello-again", noFastPath);
    expect(await registryDigest(image)).toBe(run.results.IMAGE_DIGEST);
    expect(run.logs.build).toMatch(/layers\s+[1-9]\d* reused, 0 added/);
  }, 900_000);

  test("a bad CACHE value fails the build step with the param's name", async () => {
    const resolved = await resolve(
      taskRunYaml(
        "bad-cache",
        `${params}    - name: CACHE\n      value: maybe\n`,
        "    - name: source\n      emptyDir: {}\n",
      ),
    );
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    const run = await runSteps(JSON.parse(resolved.stdout) as ResolvedTaskRun, { source });
    expect(run.failed).toBe("build");
    expect(run.logs.build).toContain('param CACHE must be true or false, not "maybe"');
  }, 300_000);
});
