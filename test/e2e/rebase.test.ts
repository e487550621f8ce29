import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runProcess } from "../../src/core/process.js";
import type { RebaseReport } from "../../src/core/rebase/index.js";
import type { BuildReport } from "../../src/core/report.js";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";
import {
  type Arch,
  type Config,
  children,
  config,
  INDEX,
  LAB_RUN as labRun,
  manifest,
  patchRunImage as patchRunImageIn,
} from "./support/run-image-patch.js";
import { type ResolvedTaskRun, runSteps, tektonValidate } from "./support/tekton.js";

// `rebase` with the lifecycle's rebaser: a two-arch image (arm64 under qemu here) moved onto a patched
// copy of the lab run image, then onto a second patch picked up by name alone. Needs the lab's cpu
// builder and run image for amd64 and arm64 (`bash scripts/infra.sh --arch all`).
const repository = `e2e/rebase-${RUN_ID}`;
const runRepository = `e2e/rebase-${RUN_ID}-run`;
const image = `${REGISTRY}/${repository}:1.0`;
const patched = `${REGISTRY}/${runRepository}:patched`;
const builder = `${REGISTRY}/ml-buildpacks/builder:cpu`;
const ARCHES: readonly Arch[] = ["amd64", "arm64"];
const MACHINE: Record<Arch, string> = { amd64: "x86_64", arm64: "aarch64" };

/** An image's layers split where the lifecycle says the run image ends (runImage.topLayer). */
async function layers(
  repo: string,
  digest: string,
): Promise<{ base: string[]; app: string[]; config: Config }> {
  const m = await manifest(repo, digest);
  const c = await config(repo, m.body);
  const md = JSON.parse(c.config.Labels["io.buildpacks.lifecycle.metadata"] as string) as {
    runImage: { topLayer: string };
  };
  const top = c.rootfs.diff_ids.indexOf(md.runImage.topLayer);
  expect(top, "the run image's top layer is in the image").toBeGreaterThanOrEqual(0);
  const all = (m.body.layers ?? []).map((l) => l.digest);
  return { base: all.slice(0, top + 1), app: all.slice(top + 1), config: c };
}

/** A patched run image for both arches, pushed as a list under `patched`. */
const patchRunImage = (work: string, name: string, content: string) =>
  patchRunImageIn(work, { repository: runRepository, tag: "patched", name, content, arches: ARCHES });

async function runArch(ref: string, arch: Arch, entrypoint?: string[]): Promise<string> {
  const args = ["run", "--rm", "--network", "host", "--platform", `linux/${arch}`];
  const [bin, ...rest] = entrypoint ?? [];
  const run = await docker(bin ? [...args, "--entrypoint", bin, ref, ...rest] : [...args, ref]);
  expect(run.code, run.output).toBe(0);
  return run.output;
}

let work: string;
const built: Partial<Record<Arch, BuildReport>> = {};
const before: Partial<Record<Arch, { base: string[]; app: string[] }>> = {};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "e2e-rebase-"));
  for (const arch of ARCHES) {
    const report = join(work, `${arch}.json`);
    const result = await cli([
      "build",
      join(REPO, "examples", "hello-arch"),
      "--image",
      `${REGISTRY}/${repository}:${arch}`,
      "--builder",
      builder,
      "--platform",
      `linux/${arch}`,
      "--report",
      report,
    ]);
    expect(result.code, result.output).toBe(0);
    built[arch] = readReport(report);
    before[arch] = await layers(repository, built[arch]?.digest as string);
  }
  const listed = await cli([
    "manifest",
    "create",
    "--image",
    image,
    ...ARCHES.flatMap((arch) => ["--from", `linux/${arch}=${REGISTRY}/${repository}@${built[arch]?.digest}`]),
  ]);
  expect(listed.code, listed.output).toBe(0);
});

describe("rebase", () => {
  let patchDigests: Record<Arch, string>;
  let report: RebaseReport;

  test("a two-arch image is rebased onto a patched run image, and a new list is pushed under its tag", async () => {
    patchDigests = await patchRunImage(work, "1", "patch 1\n");
    const reportFile = join(work, "rebase.json");
    const result = await cli([
      "rebase",
      "--image",
      image,
      "--run-image",
      patched,
      "--builder",
      builder,
      "--report",
      reportFile,
    ]);
    expect(result.code, result.output).toBe(0);
    report = JSON.parse(readFileSync(reportFile, "utf8")) as RebaseReport;
    const now = await children(repository, "1.0");
    expect(report.indexDigest).toBe((await manifest(repository, "1.0", INDEX)).digest);
    expect(report.platforms.map((p) => [p.platform, p.previousDigest, p.rebased])).toEqual(
      ARCHES.map((arch) => [`linux/${arch}`, built[arch]?.digest, true]),
    );
    for (const arch of ARCHES) {
      const entry = report.platforms.find((p) => p.platform === `linux/${arch}`);
      expect(now[arch]).toBe(entry?.digest);
      expect(entry?.digest).not.toBe(built[arch]?.digest);
      expect(entry?.runImage).toBe(`${patched}@${patchDigests[arch]}`);
      // Each arch's rebased image is pushed under TAG-ARCH before the list moves.
      expect((await manifest(repository, `1.0-${arch}`)).digest).toBe(entry?.digest);
    }
  });

  test.each(ARCHES)(
    "%s: the app runs as before, on the patched base, its app layers unchanged",
    async (arch) => {
      const digest = report.platforms.find((p) => p.platform === `linux/${arch}`)?.digest as string;
      const ref = `${REGISTRY}/${repository}@${digest}`;
      expect(await runArch(ref, arch)).toMatch(
        new RegExp(`hello from ${MACHINE[arch]} \\(linux\\), python 3\\.13\\.\\d+, six 1\\.17\\.0`),
      );
      expect(await runArch(ref, arch, ["cat", "/etc/ml-buildpacks-patch"])).toContain("patch 1");
      const after = await layers(repository, digest);
      expect(after.app).toEqual(before[arch]?.app);
      const patchedLayers = (await manifest(runRepository, patchDigests[arch])).body.layers?.map(
        (l) => l.digest,
      );
      expect(after.base).toEqual(patchedLayers);
      expect(after.base).not.toEqual(before[arch]?.base);
      expect(after.config.architecture).toBe(arch);
    },
  );

  test("without --run-image, a new patch under the recorded run image's tag is picked up", async () => {
    const second = await patchRunImage(work, "2", "patch 2\n");
    const reportFile = join(work, "rebase-2.json");
    const result = await cli(["rebase", "--image", image, "--builder", builder, "--report", reportFile]);
    expect(result.code, result.output).toBe(0);
    const again = JSON.parse(readFileSync(reportFile, "utf8")) as RebaseReport;
    for (const arch of ARCHES) {
      const entry = again.platforms.find((p) => p.platform === `linux/${arch}`);
      expect(entry?.runImage).toBe(`${patched}@${second[arch]}`);
      const ref = `${REGISTRY}/${repository}@${entry?.digest}`;
      expect(await runArch(ref, arch, ["cat", "/etc/ml-buildpacks-patch"])).toContain("patch 2");
      expect((await layers(repository, entry?.digest as string)).app).toEqual(before[arch]?.app);
    }
    expect((await manifest(repository, "1.0", INDEX)).digest).toBe(again.indexDigest);
    // Once more: already on it, nothing is pushed and the list stays.
    const idle = await cli(["rebase", "--image", image, "--builder", builder]);
    expect(idle.code, idle.output).toBe(0);
    expect(idle.output).toContain("already on that run image");
    expect((await manifest(repository, "1.0", INDEX)).digest).toBe(again.indexDigest);
  });

  test("an image that is not a buildpacks image is refused and nothing is pushed", async () => {
    const target = `${REGISTRY}/${runRepository}:patched-1-amd64`;
    const digest = (await manifest(runRepository, "patched-1-amd64")).digest;
    const result = await cli(["rebase", "--image", target, "--run-image", patched, "--builder", builder]);
    expect(result.code).toBe(2);
    expect(result.output).toContain("is not an image built with buildpacks");
    expect(result.output).toContain("What to do:");
    expect((await manifest(runRepository, "patched-1-amd64")).digest).toBe(digest);
    expect(await registryHas(runRepository, "patched-1-amd64-amd64")).toBe(false);
  });

  test("the Tekton Task (its step run as the pod would, no Docker) rebases both arches onto a third patch", async () => {
    const third = await patchRunImage(work, "3", "patch 3\n");
    const tekton = tektonValidate(REPO);
    await tekton.build();
    const taskRun = join(work, "taskrun-rebase.yaml");
    writeFileSync(
      taskRun,
      "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: rebase\nspec:\n  taskRef:\n    name: ml-buildpacks-rebase\n" +
        `  params:\n    - name: IMAGE\n      value: ${image}\n    - name: BUILDER_IMAGE\n      value: ${builder}\n`,
    );
    const resolved = await tekton.resolve(join(REPO, "tekton", "task-ml-buildpacks-rebase.yaml"), taskRun);
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    // The lab builder carries the CLI of the last infra run: the node gives the step this tree's.
    const run = await runSteps(
      JSON.parse(resolved.stdout) as ResolvedTaskRun,
      {},
      {
        work,
        nodeMounts: { [join(REPO, "dist", "cli")]: "/cnb/ml-buildpacks" },
      },
    );
    expect(run.failed, JSON.stringify(run.logs)).toBeUndefined();
    expect(run.results.IMAGE_URL).toBe(image);
    expect(run.results.IMAGE_DIGEST).toBe((await manifest(repository, "1.0", INDEX)).digest);
    const now = await children(repository, "1.0");
    for (const arch of ARCHES) {
      const after = await layers(repository, now[arch] as string);
      expect(after.base).toEqual(
        (await manifest(runRepository, third[arch])).body.layers?.map((l) => l.digest),
      );
      expect(after.app).toEqual(before[arch]?.app);
      expect(
        await runArch(`${REGISTRY}/${repository}@${now[arch]}`, arch, ["cat", "/etc/ml-buildpacks-patch"]),
      ).toContain("patch 3");
    }
  });

  test("the GitHub Action's bundle with mode rebase (inputs and outputs as the runner passes them)", async () => {
    const fourth = await patchRunImage(work, "4", "patch 4\n");
    const outputs = join(work, "github-output");
    writeFileSync(outputs, "");
    const lines: string[] = [];
    const action = await runProcess(process.execPath, [join(REPO, "dist", "main", "index.js")], {
      env: {
        INPUT_MODE: "rebase",
        INPUT_IMAGE: image,
        INPUT_BUILDER: builder,
        GITHUB_OUTPUT: outputs,
        GITHUB_STATE: join(work, "github-state"),
      },
      onLine: (line) => {
        lines.push(line);
        process.stdout.write(`    | ${line}\n`);
      },
    });
    expect(action.exitCode, lines.join("\n")).toBe(0);
    const text = readFileSync(outputs, "utf8");
    const digest = (await manifest(repository, "1.0", INDEX)).digest;
    expect(text).toContain(digest);
    const metadata = JSON.parse(/metadata<<(\S+)\n([\s\S]*?)\n\1/.exec(text)?.[2] ?? "{}") as RebaseReport;
    expect(metadata.indexDigest).toBe(digest);
    for (const p of metadata.platforms) {
      const arch = p.platform.split("/")[1] as Arch;
      expect(p.rebased).toBe(true);
      expect(p.runImage).toBe(`${patched}@${fourth[arch]}`);
      expect((await layers(repository, p.digest)).app).toEqual(before[arch]?.app);
    }
  });

  test("a run image without the image's arm64 platform is refused before anything is pushed", async () => {
    const listed = (await manifest(repository, "1.0", INDEX)).digest;
    const single = `${REGISTRY}/${runRepository}:patched-1-amd64`;
    const result = await cli(["rebase", "--image", image, "--run-image", single, "--builder", builder]);
    expect(result.code).toBe(2);
    expect(result.output).toContain(`the run image ${single} has no linux/arm64 image`);
    expect((await manifest(repository, "1.0", INDEX)).digest).toBe(listed);
    expect(result.output).not.toContain("Rebasing");
  });

  test("a builder without the arm64 platform is refused before any platform is rebased", async () => {
    const listed = (await manifest(repository, "1.0", INDEX)).digest;
    const amd64Only = `${REGISTRY}/ml-buildpacks/builder:cpu-amd64`;
    const result = await cli(["rebase", "--image", image, "--run-image", labRun, "--builder", amd64Only]);
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      `the builder ${amd64Only} is for linux/amd64, but linux/arm64 was requested`,
    );
    expect(result.output).not.toContain("Rebasing");
    expect((await manifest(repository, "1.0", INDEX)).digest).toBe(listed);
  });

  test("a run image of another stack (another Debian release) is refused, nothing pushed", async () => {
    const ctx = mkdtempSync(join(work, "other-stack-"));
    const labChild = (await children("ml-buildpacks/run", "cpu")).amd64;
    writeFileSync(
      join(ctx, "Dockerfile"),
      `FROM ${labRun.replace(/:cpu$/, "")}@${labChild}\nLABEL io.buildpacks.base.distro.version=12\n`,
    );
    const other = `${REGISTRY}/${runRepository}:other-stack`;
    expect(
      (await docker(["build", "--network", "host", "--platform", "linux/amd64", "-t", other, ctx])).code,
    ).toBe(0);
    expect((await docker(["push", other])).code).toBe(0);
    const target = `${REGISTRY}/${repository}:amd64`;
    const digest = (await manifest(repository, "amd64")).digest;
    const result = await cli(["rebase", "--image", target, "--run-image", other, "--builder", builder]);
    expect(result.code).toBe(2);
    expect(result.output).toContain("is of another stack");
    expect(result.output).toContain(
      'io.buildpacks.base.distro.version: the image has "13", the run image "12"',
    );
    expect((await manifest(repository, "amd64")).digest).toBe(digest);
  });

  test("an image that does not exist is named, and nothing is pushed", async () => {
    const result = await cli([
      "rebase",
      "--image",
      `${REGISTRY}/${repository}:missing`,
      "--builder",
      builder,
    ]);
    expect(result.code).toBe(2);
    expect(result.output).toContain(`${REGISTRY}/${repository}:missing does not exist`);
    expect(await registryHas(repository, "missing-amd64")).toBe(false);
  });
});
