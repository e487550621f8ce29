// Bad input end to end: what the unit catalogue (test/unit/bad-input) cannot show. Through the real
// CLI, lifecycle, Docker and lab registry, after one good build into the same repository with the
// same cache dir: a non-zero exit, the message, NOTHING pushed (the registry's tag list is the same
// before and after) and the cache dir byte-for-byte untouched. The cases fail in detect, early in
// build, or before any phase, so each costs seconds; the Tekton case runs the Task's real step
// script inside the lab builder image.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { gitlabBuildScript, tektonBuildStep } from "../unit/bad-input/run-script.js";
import { cli, DOCKER, REGISTRY, RUN_ID } from "./helpers.js";
import { PUBLIC_REGISTRY, publicRegistryConfigured, storedRepositories } from "./support/public-registry.js";

const NAMESPACE = process.env.ML_BUILDPACKS_NAMESPACE ?? `${REGISTRY}/ml-buildpacks`;
const BUILDER = `${NAMESPACE}/builder:cpu`;
const REPO = `e2e/bad-input-${RUN_ID}`;
const IMAGE = `${REGISTRY}/${REPO}:1`;
const ENV = { ML_BUILDPACKS_NAMESPACE: NAMESPACE };

function appWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-bad-input-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Runs a CI step's shell script inside the lab builder image, as the CI system would. */
function inBuilder(script: string, env: Record<string, string>, source: string, workdir: string) {
  const res = spawnSync(
    DOCKER,
    [
      ...["run", "--rm", "--network", "host", "-u", "0", "-v", `${source}:${workdir}`, "-w", workdir],
      ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      ...["--entrypoint", "/bin/sh", BUILDER, "-c", script, "step"],
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  return { code: res.status, output: `${res.stdout}${res.stderr}` };
}

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);

const GOOD = {
  "requirements.txt": "# no dependencies: the stack's Python is enough\n",
  "app.py": "print('bad-input good build ok')\n",
  Procfile: "web: python app.py\n",
};

/** The registry's own tag list of a repository ([] when it has none). */
async function tagsOf(repository: string): Promise<string[]> {
  const res = await fetch(`http://${REGISTRY}/v2/${repository}/tags/list`);
  if (res.status === 404) return [];
  expect(res.ok).toBe(true);
  return (((await res.json()) as { tags?: string[] | null }).tags ?? []).sort();
}

/** The digest the registry has under a tag. */
async function digestOf(repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      Accept:
        "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json",
    },
  });
  return res.ok ? res.headers.get("docker-content-digest") : null;
}

/**
 * sha256 over every entry of the cache dir: path, type, mode, size and content (or link target).
 * The lifecycle's volume cache makes an empty `staging` dir next to `committed` when a phase opens it
 * and renames it over `committed` only when an export succeeds; a failed build leaves it empty.
 * That empty dir is asserted empty and left out: everything the cache holds is compared.
 */
function hashDir(root: string): string {
  const hash = createHash("sha256");
  const staging = join(root, "staging");
  if (existsSync(staging)) expect(readdirSync(staging)).toEqual([]);
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = join(root, rel, name);
      if (path === staging) continue;
      const st = lstatSync(path);
      hash.update(`${join(rel, name)}\0${st.mode}\0${st.size}\0`);
      if (st.isSymbolicLink()) hash.update(readlinkSync(path));
      else if (st.isDirectory()) walk(join(rel, name));
      else hash.update(readFileSync(path));
    }
  };
  walk(".");
  return hash.digest("hex");
}

describe("bad input end to end: non-zero exit, the message, nothing pushed, the cache untouched", () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "e2e-bad-input-cache-"));
  let tagsAfterGood: string[];
  let digestAfterGood: string | null;
  let cacheAfterGood: string;

  beforeAll(async () => {
    const good = await cli(["build", appWith(GOOD), "--image", IMAGE, "--cache-dir", cacheDir], ENV);
    expect(good.code).toBe(0);
    const ran = spawnSync(DOCKER, ["run", "--rm", "--pull", "always", IMAGE], { encoding: "utf8" });
    expect(ran.stdout).toContain("bad-input good build ok");
    tagsAfterGood = await tagsOf(REPO);
    expect(tagsAfterGood).toEqual(["1"]);
    digestAfterGood = await digestOf(REPO, "1");
    expect(digestAfterGood).toMatch(/^sha256:/);
    cacheAfterGood = hashDir(cacheDir);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
  });

  /** A failing rebuild of the good build's image with its cache: nothing pushed, the cache as it was. */
  async function failingBuild(app: string, env: Record<string, string> = {}) {
    const result = await cli(["build", app, "--image", IMAGE, "--cache-dir", cacheDir], { ...ENV, ...env });
    expect(result.code).not.toBe(0);
    expect(await tagsOf(REPO)).toEqual(tagsAfterGood);
    expect(await digestOf(REPO, "1")).toBe(digestAfterGood);
    expect(hashDir(cacheDir)).toBe(cacheAfterGood);
    return result.output;
  }

  test("requirements.txt -> /etc/passwd fails in detect, naming the link and what to commit instead", async () => {
    const app = appWith({ "app.py": GOOD["app.py"] });
    symlinkSync("/etc/passwd", join(app, "requirements.txt"));
    const output = await failingBuild(app);
    expect(output).toContain("requirements.txt is a symlink to /etc/passwd, outside the app");
    expect(output).toContain("commit the file itself as requirements.txt");
    // The closing summary names the error in one line (the full message is printed above it).
    expect(output).toContain(
      "ml-buildpacks/pip@0.1.0: requirements.txt is a symlink to /etc/passwd, outside the app (requirements.txt); its message is above",
    );
  });

  test("an Aptfile with a .deb URL fails early in build (after the cache was restored), naming file and line", async () => {
    const app = appWith({ ...GOOD, Aptfile: "# GUI libs\nhttps://example.com/libfoo_1.0_amd64.deb\n" });
    const output = await failingBuild(app);
    expect(output).toContain("Aptfile line 2 is a URL or a .deb file, not a package name");
    expect(output).toContain("Name the package instead");
  });

  test("a file name that is not UTF-8 is refused before any phase, naming it", async () => {
    const app = appWith(GOOD);
    writeFileSync(
      Buffer.concat([Buffer.from(`${app}/r`), Buffer.from([0xe9]), Buffer.from("sum\u00e9.txt")]),
      "x",
    );
    const output = await failingBuild(app);
    expect(output).toContain("the app has a file whose name is not UTF-8: r\\xe9sum\\xc3\\xa9.txt");
    expect(output).toContain("rename it");
  });

  test("a Docker config with an auth that is not user:password is refused naming the file, before any phase", async () => {
    const config = mkdtempSync(join(tmpdir(), "e2e-bad-input-docker-"));
    writeFileSync(
      join(config, "config.json"),
      JSON.stringify({ auths: { [REGISTRY]: { auth: "bm90LWEtcGFpcg==" } } }),
    );
    const output = await failingBuild(appWith(GOOD), { DOCKER_CONFIG: config, CNB_REGISTRY_AUTH: "" });
    expect(output).toContain(`the Docker config ${join(config, "config.json")} is not usable`);
    expect(output).toContain(`auths["${REGISTRY}"].auth is not base64 of "user:password"`);
    expect(output).toContain("docker login <registry>");
  });

  test("Tekton: APP_IMAGE with capitals, the Task's step in the builder image exits 2 naming it; nothing pushed", async () => {
    const source = mkdtempSync(join(tmpdir(), "e2e-bad-input-tekton-"));
    mkdirSync(join(source, "app"));
    for (const [name, content] of Object.entries(GOOD)) writeFileSync(join(source, "app", name), content);
    const image = `${REGISTRY}/e2e/Bad-Input-Tekton-${RUN_ID}:1`;
    const { script, env } = tektonBuildStep(
      { APP_IMAGE: image, BUILDER_IMAGE: BUILDER, SOURCE_SUBPATH: "app" },
      "/workspace/source",
    );
    const { code, output } = inBuilder(script, env, source, "/workspace/source");
    expect(code, output).toBe(2);
    expect(output).toContain(`"${image}" is not a valid image reference`);
    expect(output).toContain("repository names are lower case");
    expect(await tagsOf(`e2e/bad-input-tekton-${RUN_ID}`)).toEqual([]);
  });

  test("GitLab: an image input with capitals ($CI_REGISTRY_IMAGE of a mixed-case project) fails the job in the builder image", async () => {
    const project = mkdtempSync(join(tmpdir(), "e2e-bad-input-gitlab-"));
    for (const [name, content] of Object.entries(GOOD)) writeFileSync(join(project, name), content);
    const image = `${REGISTRY}/e2e/Bad-Input-GitLab-${RUN_ID}`;
    const { script, env } = gitlabBuildScript({ ML_BUILDPACKS_IMAGE: image, ML_BUILDPACKS_BUILDER: BUILDER });
    const { code, output } = inBuilder(script, env, project, "/builds/project");
    expect(code, output).toBe(2);
    expect(output).toContain(`"${image}:1-amd64" is not a valid image reference`);
    expect(output).toContain("repository names are lower case");
    expect(await tagsOf(`e2e/bad-input-gitlab-${RUN_ID}`)).toEqual([]);
  });

  test("a PNG saved as requirements.txt fails in build as not text, naming the file", async () => {
    const app = appWith({ "app.py": GOOD["app.py"], Procfile: GOOD.Procfile });
    writeFileSync(join(app, "requirements.txt"), PNG);
    const output = await failingBuild(app);
    expect(output).toContain("requirements.txt is not UTF-8 text");
    expect(output).toContain("save requirements.txt as UTF-8");
  });

  test("a 50 MB Aptfile fails as too large, naming the file and what it should hold", async () => {
    const app = appWith({ ...GOOD, Aptfile: "libgl1\n".repeat((50 * 1024 * 1024) / 7) });
    const output = await failingBuild(app);
    expect(output).toContain("Aptfile is too large");
    expect(output).toContain("replace Aptfile with the list of packages your app needs");
  });

  test.runIf(publicRegistryConfigured())(
    "no credentials for a registry that needs them: refused before any phase, saying how to log in; nothing pushed",
    async () => {
      const repository = `alice/bad-input-${RUN_ID}`;
      const emptyConfig = mkdtempSync(join(tmpdir(), "e2e-bad-input-nologin-"));
      const result = await cli(
        [
          "build",
          appWith(GOOD),
          "--image",
          `${PUBLIC_REGISTRY.host}/${repository}:1`,
          "--cache-dir",
          cacheDir,
        ],
        { ...ENV, DOCKER_CONFIG: emptyConfig, CNB_REGISTRY_AUTH: "" },
      );
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(
        `the registry ${PUBLIC_REGISTRY.host} refused to let us pull from ${repository} without credentials (HTTP 401)`,
      );
      expect(result.output).toContain(`docker login ${PUBLIC_REGISTRY.host}`);
      expect(result.output).not.toContain("===> ANALYZING");
      expect(storedRepositories({ repository })).toEqual([]);
      expect(hashDir(cacheDir)).toBe(cacheAfterGood);
    },
  );

  test("a file name with a newline is not bad input: the build succeeds and the image has the file under that name", async () => {
    const app = appWith({ ...GOOD, "notes\nfinal.txt": "kept\n" });
    const image = `${REGISTRY}/e2e/bad-input-newline-${RUN_ID}:1`;
    const built = await cli(["build", app, "--image", image], ENV);
    expect(built.code).toBe(0);
    const listed = spawnSync(
      DOCKER,
      [
        "run",
        "--rm",
        "--pull",
        "always",
        "--entrypoint",
        "python3",
        image,
        "-c",
        "import os; print(repr(sorted(os.listdir('/workspace'))))",
      ],
      { encoding: "utf8" },
    );
    expect(listed.stdout).toContain("'notes\\nfinal.txt'");
  });
});
