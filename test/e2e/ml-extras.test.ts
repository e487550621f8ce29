import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, copyApp, docker, REGISTRY, RUN_ID, readReport, registryHas } from "./helpers.js";

// deb-packages, hardware and business-tags through the real CLI, lifecycle, Docker, registry, PyPI and
// Debian archive. The opencv-gui example needs libGL and GLib at run time: its Aptfile is what makes
// `import cv2` work, which the same app without the Aptfile proves.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
let work: string;

function appWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-ml-extras-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function build(app: string, repo: string, extra: string[] = [], cacheDir?: string) {
  const reportFile = join(work, `${repo.replace(/\W/g, "_")}-${Date.now()}.json`);
  const args = [
    "build",
    app,
    "--image",
    `${REGISTRY}/${repo}:1`,
    "--builder",
    builder,
    "--report",
    reportFile,
  ];
  if (cacheDir) args.push("--cache-dir", cacheDir);
  const result = await cli([...args, ...extra]);
  return { ...result, reportFile };
}

async function run(ref: string) {
  return docker(["run", "--rm", "--network", "host", "--pull", "always", ref]);
}

async function labels(ref: string): Promise<Record<string, string>> {
  const inspect = await docker(["image", "inspect", ref, "--format", "{{json .Config.Labels}}"]);
  return JSON.parse(inspect.output) as Record<string, string>;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-ml-extras-work-"));
});

describe("opencv-gui: Aptfile, hardware.txt and business-tags.yaml", () => {
  const repo = `e2e/opencv-gui-${RUN_ID}`;
  let app: string;
  let cacheDir: string;
  let firstDigest: string;

  test("the Aptfile's libraries make the full OpenCV build import and run; labels from both files", async () => {
    app = copyApp("opencv-gui");
    cacheDir = join(work, "cache");
    const result = await build(app, repo, [], cacheDir);
    expect(result.code, result.output).toBe(0);
    const report = readReport(result.reportFile);
    firstDigest = report.digest;
    expect(report.buildpacks.map((b) => b.id)).toEqual([
      "ml-buildpacks/deb-packages",
      "ml-buildpacks/hardware",
      "ml-buildpacks/python",
      "ml-buildpacks/pip",
      "ml-buildpacks/business-tags",
      "ml-buildpacks/processes",
    ]);
    expect(report.layers.added).toContain("ml-buildpacks/deb-packages:packages");
    expect(result.output).toMatch(/- \d+ package\(s\) to install from debian 13:/);
    expect(result.output).toMatch(/libgl1=\S+:amd64|libgl1=\S+:arm64/);

    const out = await run(report.imageRef);
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(/opencv 5\.0\.0 \(GUI: \w+\), hardware cpu/);
    expect(out.output).toMatch(/circle edge pixels: [1-9]\d*/);
    expect(out.output).toMatch(/as uid 1000\b/);

    const l = await labels(report.imageRef);
    expect(l["dev.ml-buildpacks.hardware"]).toBe("cpu");
    expect(l.team).toBe("vision");
    expect(l["cost-center"]).toBe("4711");
    expect(l["com.example.owner"]).toBe("jane@example.com");
  });

  test("a rebuild with no change reuses the packages layer", async () => {
    const result = await build(app, repo, ["--no-fast-path"], cacheDir);
    expect(result.code, result.output).toBe(0);
    const report = readReport(result.reportFile);
    expect(result.output).toContain(
      "Reusing the packages layer: Aptfile, sources and run image packages unchanged, resolved",
    );
    expect(report.layers.reused).toContain("ml-buildpacks/deb-packages:packages");
    expect(report.layers.added).not.toContain("ml-buildpacks/deb-packages:packages");
    expect(report.digest).toBe(firstDigest);
  });

  test("without the Aptfile the same app builds but fails at import: a shared library is missing", async () => {
    const bare = copyApp("opencv-gui");
    rmSync(join(bare, "Aptfile"));
    const result = await build(bare, `${repo}-no-aptfile`);
    expect(result.code, result.output).toBe(0);
    const report = readReport(result.reportFile);
    expect(report.buildpacks.map((b) => b.id)).not.toContain("ml-buildpacks/deb-packages");
    const out = await run(report.imageRef);
    expect(out.code).not.toBe(0);
    // The first library the loader misses depends on the wheel's link order (libxcb, libGL, GLib):
    // each is in a package the example's Aptfile pulls in (libgl1's dependencies, libglib2.0-0).
    const missing = /ImportError: (lib[\w.+-]+\.so[.\d]*): cannot open shared object file/.exec(
      out.output,
    )?.[1];
    expect(missing, out.output).toMatch(/^lib(GL|GLX|xcb|X11|glib-2\.0|gthread-2\.0|gobject-2\.0)\.so/);
  });
});

describe("bad input for the extras: a clear error with file and line, nothing pushed", () => {
  async function fails(files: Record<string, string>, name: string, extra: string[] = []) {
    const repo = `e2e/ml-extras-${name}-${RUN_ID}`;
    const result = await build(appWith({ "app.py": "print('never')\n", ...files }), repo, extra);
    expect(result.code).not.toBe(0);
    expect(await registryHas(repo, "1")).toBe(false);
    return result.output;
  }

  test("hardware.txt cuda on the cpu builder names the cuda builder", async () => {
    const out = await fails({ "hardware.txt": "# GPUs please\ncuda\n" }, "cuda");
    expect(out).toContain(
      "hardware.txt asks for cuda, which needs the cuda builder (this is the cpu builder)",
    );
    expect(out).toContain("in hardware.txt:2");
    expect(out).toContain("--flavor cuda (CLI)");
  });

  test("an unknown hardware value lists the valid ones", async () => {
    const out = await fails({ "hardware.txt": "tpu\n" }, "tpu");
    expect(out).toContain('hardware.txt names unknown hardware: "tpu"');
    expect(out).toContain("in hardware.txt:1");
    expect(out).toContain("Valid values: cpu, cuda, aws, coral.");
  });

  test("coral with an unreachable apt source says which source failed", async () => {
    const app = appWith({ "app.py": "print('never')\n", "hardware.txt": "coral\n" });
    // Any valid OpenPGP keyring: the source is never reached, so it is never checked against it.
    copyFileSync("/usr/share/keyrings/debian-archive-keyring.gpg", join(app, "coral-archive-keyring.gpg"));
    const repo = `e2e/ml-extras-coral-${RUN_ID}`;
    const result = await build(app, repo, ["--env", "BP_CORAL_APT_URI=http://127.0.0.1:9/coral-apt"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Could not use the apt source coral at http://127.0.0.1:9/coral-apt");
    expect(result.output).toContain("ml-buildpacks/hardware (hardware.txt: coral) needs packages");
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("a malformed Aptfile line", async () => {
    const out = await fails({ Aptfile: "libgl1\nlibgl1 libglib2.0-0\n" }, "aptfile");
    expect(out).toContain("Aptfile line 2 names more than one package");
    expect(out).toContain("in Aptfile:2");
  });

  test("business-tags.yaml that is not YAML", async () => {
    const out = await fails(
      { "business-tags.yaml": "team: vision\nowners: [a, b\ncost-center: 1\n" },
      "yaml",
    );
    expect(out).toMatch(/business-tags\.yaml is not valid YAML \(line \d\)/);
    expect(out).toMatch(/in business-tags\.yaml:\d/);
  });

  test("a nested value in business-tags.yaml", async () => {
    const out = await fails({ "business-tags.yaml": "team: vision\nowners:\n  - a\n" }, "nested");
    expect(out).toContain("the value of owners is a nested map or list");
    expect(out).toContain("in business-tags.yaml:2");
  });

  test("a tag the platform requires is missing", async () => {
    const out = await fails({ "business-tags.yaml": "team: vision\n" }, "required", [
      "--env",
      "BP_REQUIRED_BUSINESS_TAGS=team,cost-center",
    ]);
    expect(out).toContain("Required business tag missing: cost-center");
  });
});
