import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runProcess } from "../../src/core/process.js";
import type { RebaseReport } from "../../src/core/rebase/index.js";
import type { BuildReport } from "../../src/core/report.js";
import { cli, copyApp, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";
import { INDEX, manifest, patchRunImage } from "./support/run-image-patch.js";

// Key-based signing with cosign (docs/signing.md): one amd64 build signed by the lab builder's
// cosign (docker executor), an index over it signed before its tag is written, both verified with the
// real cosign (the same pinned .deb, scripts/cosign.sh); then a wrong password, which must leave no
// tag behind. Offline signing: no Rekor here. Then a signed rebase of that index onto a patched run
// image: its new digests verify, and with a wrong password the tags stay where they were.
const repository = `e2e/signing-${RUN_ID}`;
const builder = `${REGISTRY}/ml-buildpacks/builder:cpu`;
const PASSWORD = "correct horse battery staple";

let work: string;
let cosign: string;
let report: BuildReport;
let indexDigest: string;
let build: { code: number; output: string };
let index: { code: number; output: string };

async function run(args: string[], env: Record<string, string> = {}) {
  const r = await runProcess(cosign, args, { env: { HOME: work, ...env } });
  return { code: r.exitCode, output: `${r.stdout}\n${r.stderr}` };
}

/** cosign verify with a public key, offline (no transparency log to check against). */
const verify = (pub: string, ref: string) =>
  run(["verify", "--key", pub, "--insecure-ignore-tlog=true", "--allow-http-registry", ref]);

/** A key pair in its own directory (cosign generate-key-pair writes cosign.key and cosign.pub there). */
async function keyPair(name: string): Promise<{ key: string; pub: string }> {
  const dir = join(work, name);
  await runProcess("mkdir", ["-p", dir]);
  const r = await runProcess(cosign, ["generate-key-pair"], {
    cwd: dir,
    env: { COSIGN_PASSWORD: PASSWORD, HOME: work },
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return { key: join(dir, "cosign.key"), pub: join(dir, "cosign.pub") };
}

/** The outputs a GitHub Action step wrote to $GITHUB_OUTPUT (name<<DELIMITER blocks). */
const outputsOf = (file: string) =>
  Object.fromEntries(
    [...readFileSync(file, "utf8").matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
  );

/** Runs an action bundle (dist/<bundle>) with inputs as the runner passes them; its outputs. */
async function runBundle(bundle: string, inputs: Record<string, string>) {
  const outputs = join(work, `${bundle}-output`);
  writeFileSync(outputs, "");
  writeFileSync(join(work, `${bundle}-state`), "");
  const env: Record<string, string> = {
    GITHUB_OUTPUT: outputs,
    GITHUB_STATE: join(work, `${bundle}-state`),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const r = await runProcess(process.execPath, [join(REPO, "dist", bundle, "index.js")], { env });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
  return outputsOf(outputs);
}

/** The actions' signing inputs: our key's text and password, offline. */
const actionSigning = () => ({
  "sign-key": readFileSync(ours.key, "utf8"),
  "sign-password": PASSWORD,
  "sign-offline": "true",
});

let ours: { key: string; pub: string };
let theirs: { key: string; pub: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "e2e-signing-"));
  // The test's own cosign: the builder's pinned binary when infra put it there, else fetched the same way.
  cosign = join(REPO, ".infra", "lifecycle", "linux-amd64", "cosign");
  if (!existsSync(cosign)) {
    cosign = join(work, "cosign");
    const got = await runProcess("bash", [join(REPO, "scripts", "cosign.sh"), "amd64", cosign]);
    expect(got.exitCode, got.stderr).toBe(0);
  }
  ours = await keyPair("ours");
  theirs = await keyPair("theirs");
  const app = copyApp("hello-arch");
  const reportFile = join(work, "report.json");
  // The key by env name (as CI secrets arrive), the password from COSIGN_PASSWORD.
  build = await cli(
    [
      "build",
      app,
      "--image",
      `${REGISTRY}/${repository}:amd64`,
      "--builder",
      builder,
      "--platform",
      "linux/amd64",
      "--sign-key",
      "env://SIGNING_KEY",
      "--sign-offline",
      "--report",
      reportFile,
      "--executor",
      "docker",
    ],
    { SIGNING_KEY: readFileSync(ours.key, "utf8"), COSIGN_PASSWORD: PASSWORD },
  );
  expect(build.code, build.output).toBe(0);
  report = readReport(reportFile);
  // The index, key from a file this time.
  index = await signedIndexOf(`${REGISTRY}/${repository}:1.0`);
  indexDigest = index.output.trim().split("\n").at(-1) as string;
}, 110_000);

/** `manifest create` of an index over the signed build, signed with our key (from its file). */
async function signedIndexOf(image: string) {
  const made = await cli(
    [
      "manifest",
      "create",
      "--image",
      image,
      "--builder",
      builder,
      "--from",
      `linux/amd64=${REGISTRY}/${repository}@${report.digest}`,
      "--sign-key",
      ours.key,
      "--sign-offline",
    ],
    { COSIGN_PASSWORD: PASSWORD },
  );
  expect(made.code, made.output).toBe(0);
  return made;
}

describe("signing with a cosign key", () => {
  test("the signed image runs", async () => {
    const ran = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      `${REGISTRY}/${repository}@${report.digest}`,
    ]);
    expect(ran.output).toMatch(/hello from x86_64 \(linux\)/);
  });

  test("the image and the index verify with the public key", async () => {
    // What the action outputs as digest (report.digest) and the merge step as its digest: attest-build-provenance's subject-digest.
    expect(report.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(indexDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
    for (const digest of [report.digest, indexDigest]) {
      const v = await verify(ours.pub, `${REGISTRY}/${repository}@${digest}`);
      expect(v.code, v.output).toBe(0);
    }
    // By tag too: the tag names the signed index.
    expect((await verify(ours.pub, `${REGISTRY}/${repository}:1.0`)).code).toBe(0);
  });

  test("another key's public key does not verify them", async () => {
    for (const digest of [report.digest, indexDigest]) {
      const v = await verify(theirs.pub, `${REGISTRY}/${repository}@${digest}`);
      expect(v.code, v.output).not.toBe(0);
      expect(v.output).toMatch(/no matching signatures|signature/i);
    }
  });

  test("the password and the key never reach the log", () => {
    const key = readFileSync(ours.key, "utf8").split("\n")[1] as string;
    for (const output of [build.output, index.output]) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(key);
    }
    expect(build.output).toMatch(/Signed .*@sha256:[a-f0-9]{64} with the cosign key \(offline/);
  });

  test("inside the builder (local executor: GitLab jobs, Tekton steps) the builder's own cosign signs", async () => {
    const app = copyApp("hello-arch");
    await runProcess("chmod", ["-R", "a+rX", app]);
    const ca = process.env.SSL_CERT_FILE;
    const tag = `${REGISTRY}/${repository}:local`;
    const local = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      "--user",
      "0:0",
      ...(ca ? ["-v", `${ca}:/etc/ssl/certs/ca-certificates.crt:ro`] : []),
      "-v",
      `${app}:/app:ro`,
      "-v",
      `${join(work, "ours")}:/key:ro`,
      "-e",
      `COSIGN_PASSWORD=${PASSWORD}`,
      "--entrypoint",
      "ml-buildpacks",
      builder,
      "build",
      "/app",
      "--image",
      tag,
      "--builder",
      builder,
      "--executor",
      "local",
      "--sign-key",
      "/key/cosign.key",
      "--sign-offline",
    ]);
    expect(local.code, local.output).toBe(0);
    expect(local.output).toMatch(/Signed .* with the cosign key/);
    expect((await verify(ours.pub, tag)).code).toBe(0);
    expect((await verify(theirs.pub, tag)).code).not.toBe(0);
  });

  test("the action and the merge action sign with their inputs; name and digest are what attest-build-provenance takes", async () => {
    const signing = actionSigning();
    const built = await runBundle("main", {
      path: copyApp("hello-arch"),
      image: `${REGISTRY}/${repository}:action-amd64`,
      builder,
      cache: "false",
      ...signing,
    });
    expect(built.name).toBe(`${REGISTRY}/${repository}`);
    expect(built.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect((await verify(ours.pub, `${built.name}@${built.digest}`)).code).toBe(0);
    const merged = await runBundle("merge", {
      image: `${REGISTRY}/${repository}:action`,
      digests: `linux/amd64=${built.digest}`,
      ...signing,
    });
    expect(merged.name).toBe(`${REGISTRY}/${repository}`);
    expect(merged.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect((await verify(ours.pub, `${merged.name}:action`)).code).toBe(0);
    expect((await verify(theirs.pub, `${merged.name}@${merged.digest}`)).code).not.toBe(0);
  });

  test("a wrong password fails before anything is pushed or tagged", async () => {
    const app = copyApp("hello-arch");
    const wrong = await cli(
      [
        "build",
        app,
        "--image",
        `${REGISTRY}/${repository}:wrong`,
        "--builder",
        builder,
        "--sign-key",
        ours.key,
        "--sign-offline",
        "--executor",
        "docker",
      ],
      { COSIGN_PASSWORD: "not the password" },
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/cosign could not open the signing key: nothing was built or pushed/);
    expect(wrong.output).toMatch(/What to do: check COSIGN_PASSWORD/);
    expect(await registryHas(repository, "wrong")).toBe(false);

    const wrongIndex = await cli(
      [
        "manifest",
        "create",
        "--image",
        `${REGISTRY}/${repository}:wrong-index`,
        "--builder",
        builder,
        "--from",
        `${REGISTRY}/${repository}@${report.digest}`,
        "--sign-key",
        ours.key,
        "--sign-offline",
      ],
      { COSIGN_PASSWORD: "not the password" },
    );
    expect(wrongIndex.code).not.toBe(0);
    expect(await registryHas(repository, "wrong-index")).toBe(false);
  });
});

describe("rebase with a cosign key", () => {
  const tag = "rebase";
  const image = `${REGISTRY}/${repository}:${tag}`;
  const runRepository = `${repository}-run`;
  const patch = (name: string) =>
    patchRunImage(work, {
      repository: runRepository,
      tag: "patched",
      name,
      content: `patch ${name}\n`,
      arches: ["amd64"],
    });
  const rebase = (env: Record<string, string>, more: string[] = []) =>
    cli(
      [
        "rebase",
        "--image",
        image,
        "--run-image",
        `${REGISTRY}/${runRepository}:patched`,
        "--builder",
        builder,
        "--sign-key",
        ours.key,
        "--sign-offline",
        "--executor",
        "docker",
        ...more,
      ],
      env,
    );
  let signedIndex: string;

  beforeAll(async () => {
    // A signed index of the signed build, for the rebase to start from.
    const made = await signedIndexOf(image);
    signedIndex = made.output.trim().split("\n").at(-1) as string;
  }, 60_000);

  test("the new image and the new index are signed before their tags name them, and verify", async () => {
    await patch("1");
    const reportFile = join(work, "rebase.json");
    const rebased = await rebase({ COSIGN_PASSWORD: PASSWORD }, ["--report", reportFile]);
    expect(rebased.code, rebased.output).toBe(0);
    const result = JSON.parse(readFileSync(reportFile, "utf8")) as RebaseReport;
    const child = result.platforms[0];
    expect(child?.rebased).toBe(true);
    expect(child?.previousDigest).toBe(report.digest);
    expect(child?.digest).not.toBe(report.digest);
    expect(result.previousIndexDigest).toBe(signedIndex);
    expect(result.indexDigest).not.toBe(signedIndex);
    // The tags name the new digests...
    expect((await manifest(repository, `${tag}-amd64`)).digest).toBe(child?.digest);
    expect((await manifest(repository, tag, INDEX)).digest).toBe(result.indexDigest);
    // ...which verify with our public key (by digest and by tag), not with another one.
    for (const ref of [
      `${REGISTRY}/${repository}@${child?.digest}`,
      `${REGISTRY}/${repository}@${result.indexDigest}`,
      image,
      `${image}-amd64`,
    ]) {
      const v = await verify(ours.pub, ref);
      expect(v.code, `${ref}\n${v.output}`).toBe(0);
    }
    expect((await verify(theirs.pub, `${REGISTRY}/${repository}@${child?.digest}`)).code).not.toBe(0);
    // The order, as the rebase logged it: each signature comes before the tag that names it.
    const at = (text: string) => {
      const i = rebased.output.indexOf(text);
      expect(i, text).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at(`Signed ${REGISTRY}/${repository}@${child?.digest}`)).toBeLessThan(
      at(`Tagging ${image}-amd64`),
    );
    expect(at(`Signed ${REGISTRY}/${repository}@${result.indexDigest}`)).toBeLessThan(
      at(`Pushing manifest list ${image}`),
    );
    expect(rebased.output).not.toContain(PASSWORD);
    // The staging tag the rebaser pushed to is gone (this registry deletes manifests).
    expect(await registryHas(repository, `${tag}-amd64.rebase-staging`)).toBe(false);
  });

  test("the action's mode rebase signs with the same inputs as its build", async () => {
    await patch("action");
    const rebased = await runBundle("main", {
      mode: "rebase",
      image,
      "run-image": `${REGISTRY}/${runRepository}:patched`,
      builder,
      ...actionSigning(),
    });
    const now = (await manifest(repository, tag, INDEX)).digest;
    expect(rebased.digest).toBe(now);
    const child = (JSON.parse(rebased.metadata as string) as RebaseReport).platforms[0];
    expect(child?.rebased).toBe(true);
    for (const ref of [`${REGISTRY}/${repository}@${now}`, `${REGISTRY}/${repository}@${child?.digest}`]) {
      const v = await verify(ours.pub, ref);
      expect(v.code, `${ref}\n${v.output}`).toBe(0);
    }
  });

  test("a wrong password fails before anything is pushed: the tags still name the signed images", async () => {
    const indexBefore = (await manifest(repository, tag, INDEX)).digest;
    const childBefore = (await manifest(repository, `${tag}-amd64`)).digest;
    await patch("2");
    const wrong = await rebase({ COSIGN_PASSWORD: "not the password" });
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/cosign could not open the signing key: nothing was built or pushed/);
    expect(wrong.output).toMatch(/What to do: check COSIGN_PASSWORD/);
    expect(wrong.output).not.toContain("Rebasing");
    expect((await manifest(repository, tag, INDEX)).digest).toBe(indexBefore);
    expect((await manifest(repository, `${tag}-amd64`)).digest).toBe(childBefore);
    expect((await verify(ours.pub, image)).code).toBe(0);
  });
});
