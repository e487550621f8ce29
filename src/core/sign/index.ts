// Signing pushed manifests with cosign, key-based. The key is opened once before anything is built
// (a wrong password fails the build with nothing pushed); each manifest is then signed by digest.
// cosign runs where the build runs: inside the builder (local executor, GitLab, Tekton) or in a
// container of the builder image (docker executor), so one pinned binary serves both.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MlBuildpacksError } from "../errors.js";
import type { Logger } from "../log.js";
import { type ProcessRunner, type RunResult, runProcess } from "../process.js";
import type { RegistryAuthMap } from "../registry/credentials.js";
import {
  COSIGN_IN_BUILDER,
  checkSignOptions,
  cosignCheckKeyArgs,
  cosignDockerArgs,
  cosignReason,
  cosignSignArgs,
  dockerConfigJson,
  KEY_ENV,
  keyText,
  PASSWORD_ENV,
  plainHttp,
  type SignOptions,
} from "./cosign.js";
import { signMessages } from "./messages.js";

export type { SignOptions } from "./cosign.js";

/** Where cosign runs: a binary on this machine, or the builder image's in a container. */
export type CosignPlace =
  | { kind: "local"; binary: string }
  | { kind: "docker"; docker: string; builderRef: string; platform: string | undefined };

/**
 * $ML_BUILDPACKS_COSIGN when set, else the builder's own cosign when this process runs inside a
 * builder, else the builder image's cosign through Docker (undefined: no builder to run it from).
 */
export function cosignPlace(
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
  builder: { docker: string; ref: string; platform: string | undefined } | undefined,
): CosignPlace | undefined {
  const fromEnv = env.ML_BUILDPACKS_COSIGN;
  if (fromEnv) return { kind: "local", binary: fromEnv };
  if (isFile(COSIGN_IN_BUILDER)) return { kind: "local", binary: COSIGN_IN_BUILDER };
  return (
    builder && { kind: "docker", docker: builder.docker, builderRef: builder.ref, platform: builder.platform }
  );
}

export interface SignerDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  isFile: (path: string) => boolean;
  readFile: (path: string) => string;
  log: Logger;
  registerSecret?: (secret: string) => void;
}

/** The signer's effects on this machine: real processes and files. */
export function systemSignerDeps(
  env: NodeJS.ProcessEnv,
  log: Logger,
  registerSecret: ((secret: string) => void) | undefined,
): SignerDeps {
  return {
    run: runProcess,
    env,
    isFile: (path) => existsSync(path) && statSync(path).isFile(),
    readFile: (path) => readFileSync(path, "utf8"),
    log,
    registerSecret,
  };
}

/**
 * The signer of an index push (manifest create, the merge action), which has no builder of its own:
 * cosign from $ML_BUILDPACKS_COSIGN or this builder, else `builderRef`'s through Docker.
 */
export function openIndexSigner(
  opts: SignOptions,
  o: {
    builderRef: string;
    docker: string;
    access: { auth: RegistryAuthMap; caCerts: string | undefined; insecureRegistries: readonly string[] };
    deps: SignerDeps;
  },
): Promise<Signer> {
  const place = cosignPlace(o.deps.env, o.deps.isFile, {
    docker: o.docker,
    ref: o.builderRef,
    platform: undefined,
  });
  return openSigner(opts, place, o.access, o.deps);
}

export interface Signer {
  /** Signs REPOSITORY@DIGEST; `tagged` says whether a tag already names it (for the error only). */
  sign(repository: string, registry: string, digest: string, tagged: boolean): Promise<void>;
}

/**
 * Checks the key setting, reads the key, masks it and its password, and opens it with cosign: a
 * wrong password or a .pub fails here, before the caller pushes anything.
 */
export async function openSigner(
  opts: SignOptions,
  place: CosignPlace | undefined,
  access: { auth: RegistryAuthMap; caCerts: string | undefined; insecureRegistries: readonly string[] },
  deps: SignerDeps,
): Promise<Signer> {
  const source = checkSignOptions(opts, deps.env, deps.isFile);
  const key =
    "envName" in source
      ? keyText(deps.env[source.envName] ?? "", `env://${source.envName}`)
      : keyText(deps.readFile(source.file), source.file);
  const password = deps.env[PASSWORD_ENV] ?? "";
  deps.registerSecret?.(key);
  if (password) deps.registerSecret?.(password);
  if (!place) throw new MlBuildpacksError(signMessages.noCosign("no builder image to run it from"));
  const secretEnv = { [KEY_ENV]: key, [PASSWORD_ENV]: password };

  const cosign = async (args: string[], auth: RegistryAuthMap | undefined): Promise<RunResult> => {
    const configDir = auth ? mkdtempSync(join(tmpdir(), "ml-buildpacks-sign-")) : undefined;
    try {
      if (configDir)
        writeFileSync(join(configDir, "config.json"), dockerConfigJson(auth ?? {}), { mode: 0o600 });
      if (place.kind === "local")
        return await deps.run(place.binary, args, {
          env: {
            ...secretEnv,
            ...(configDir ? { DOCKER_CONFIG: configDir } : {}),
            ...(access.caCerts ? { SSL_CERT_FILE: access.caCerts } : {}),
          },
        });
      const user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
      const dockerArgs = cosignDockerArgs({
        builderRef: place.builderRef,
        platform: place.platform,
        user,
        configDir,
        caCerts: access.caCerts,
        args,
      });
      return await deps.run(place.docker, dockerArgs, { env: secretEnv });
    } catch (err) {
      throw new MlBuildpacksError(signMessages.noCosign(err instanceof Error ? err.message : String(err)));
    } finally {
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    }
  };

  const opened = await cosign(cosignCheckKeyArgs(), undefined);
  // 126/127: the builder has no cosign to execute (one made without scripts/cosign.sh).
  if (place.kind === "docker" && (opened.exitCode === 126 || opened.exitCode === 127))
    throw new MlBuildpacksError(
      signMessages.noCosign(`the builder ${place.builderRef} has no ${COSIGN_IN_BUILDER}`),
    );
  if (opened.exitCode !== 0)
    throw new MlBuildpacksError(signMessages.keyRejected(cosignReason(opened.stderr)));

  return {
    async sign(repository, registry, digest, tagged) {
      const ref = `${registry}/${repository}@${digest}`;
      const args = cosignSignArgs(ref, {
        offline: opts.offline,
        plainHttp: plainHttp(registry, access.insecureRegistries),
      });
      const auth = access.auth[registry] ? { [registry]: access.auth[registry] } : {};
      const result = await deps.log.group(`Signing ${ref} (cosign)`, () => cosign(args, auth));
      if (result.exitCode !== 0)
        throw new MlBuildpacksError(signMessages.signFailed(ref, cosignReason(result.stderr), tagged));
      deps.log.info(signMessages.signed(ref, opts.offline));
    },
  };
}
