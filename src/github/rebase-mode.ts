// The action's `mode: rebase`: swap the run image under `image` (every platform of its index)
// without a build. No cache is restored or saved; the post step finds nothing to do.
import { existsSync, statSync } from "node:fs";
import * as core from "@actions/core";
import { Docker } from "../core/docker.js";
import { MlBuildpacksError } from "../core/errors.js";
import { parseImageRef } from "../core/image-ref.js";
import { runProcess } from "../core/process.js";
import { defaultBuilder, FLAVORS, isFlavor } from "../core/published.js";
import { type RebaseReport, type RebaseRequest, rebase } from "../core/rebase/index.js";
import { defaultCaCerts } from "../core/request.js";
import { maskablesOf } from "../core/secrets.js";
import { lowerCaseRepository } from "./inputs.js";
import { ActionsLogger } from "./logger.js";
import { parseSignInputs } from "./sign-inputs.js";

export const MODES = ["build", "rebase"] as const;
export type Mode = (typeof MODES)[number];

/** Pure: the `mode` input; empty is build. */
export function actionMode(value: string): Mode {
  const mode = MODES.find((m) => m === value.trim());
  if (value.trim() === "") return "build";
  if (!mode)
    throw new MlBuildpacksError({
      title: `input "mode" is "${value.trim()}"; it must be one of ${MODES.join(", ")}`,
      hint: "leave mode: out to build, or write mode: rebase to swap in a patched run image",
      exitCode: 2,
    });
  return mode;
}

/**
 * Pure: the inputs rebase reads (image, run-image, flavor, builder, insecure-registries) -> its request;
 * the sign-* inputs are parsed as for a build (sign-inputs.ts).
 */
export function toRebaseRequest(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv,
  caCerts: string | undefined,
): RebaseRequest {
  const image = lowerCaseRepository(get("image"));
  if (!image)
    throw new MlBuildpacksError({
      title: 'input "image" is required: the image (a tag) to rebase',
      hint: "add image: ... to the step's with: block",
      exitCode: 2,
    });
  parseImageRef(image);
  const flavor = get("flavor").trim() || "cpu";
  if (!isFlavor(flavor))
    throw new MlBuildpacksError({
      title: `input "flavor" is "${flavor}"; it must be one of ${FLAVORS.join(", ")}`,
      hint: "use flavor: cpu or flavor: cuda, or name a builder with builder:",
      exitCode: 2,
    });
  const runImage = get("run-image").trim();
  return {
    image,
    runImage: runImage ? lowerCaseRepository(runImage) : undefined,
    builder: get("builder").trim() || defaultBuilder(env, flavor),
    caCerts,
    insecureRegistries: get("insecure-registries")
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: "info",
  };
}

/** Outputs: image, digest (the index's, or the image's), metadata (the rebase report). */
export function rebaseOutputs(report: RebaseReport): { image: string; digest: string; metadata: string } {
  return {
    image: report.image,
    digest: report.indexDigest ?? report.platforms[0]?.digest ?? "",
    metadata: JSON.stringify(report),
  };
}

export async function runRebaseMode(env: NodeJS.ProcessEnv): Promise<void> {
  const log = new ActionsLogger();
  const caCerts = defaultCaCerts(env, (p) => existsSync(p) && statSync(p).isFile());
  const request = toRebaseRequest((name) => core.getInput(name), env, caCerts);
  // As for a build: sign-key/sign-password reach cosign by environment only, masked first.
  const signing = parseSignInputs((name) => core.getInput(name), true);
  for (const value of Object.values(signing.env)) for (const m of maskablesOf(value)) core.setSecret(m);
  const report = await rebase(signing.sign ? { ...request, sign: signing.sign } : request, {
    docker: new Docker(runProcess),
    log,
    env: { ...env, ...signing.env },
    registerSecret: (secret) => core.setSecret(secret),
  });
  for (const [name, value] of Object.entries(rebaseOutputs(report))) core.setOutput(name, value);
  const lines = report.platforms.map(
    (p) =>
      `- ${p.platform}: ${p.rebased ? `${p.previousDigest} → ${p.digest}` : `${p.digest} (already on it)`}`,
  );
  core.info(`\nRebased ${report.image}\n${lines.join("\n")}`);
  await core.summary
    .addRaw(`### Rebased ${report.image}\n\n${lines.join("\n")}\n`)
    .write()
    .catch(() => undefined);
}
