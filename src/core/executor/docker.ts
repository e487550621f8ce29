import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuilderInfo } from "../builder/inspect.js";
import type { Docker } from "../docker.js";
import { CONTAINER_PATHS, type PhaseSpec, runsBuildpacks } from "../lifecycle/phases.js";
import type { Logger } from "../log.js";
import { PRE_EXPORT_ENTRY, PRE_EXPORT_MOUNT } from "../pre-export/contract.js";
import { onCancel } from "../process.js";
import { proxyEnv } from "../registry/proxy.js";
import { excludedInside, type WorkspaceSource, workspaceSource } from "../workspace.js";
import { cancelledError, guardCacheDir } from "./cache-guard.js";
import type { Executor, PreExportRunner, WorkspaceOptions } from "./types.js";

export interface DockerExecutorOptions extends WorkspaceOptions {
  docker: Docker;
  builder: BuilderInfo;
  /** docker --memory for every phase container, swap included (--memory-swap the same). */
  memoryLimit?: string;
  /** Warnings about the cache dir (damaged entries dropped); default: none shown. */
  log?: Pick<Logger, "info" | "warn">;
}

/** dist/pre-export beside the running bundle (dist/cli, dist/main), or inside it in a builder: see src/pre-export. */
export function preExportDir(moduleUrl: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  // Inside a builder the CLI carries it in its own folder (/cnb/ml-buildpacks/pre-export).
  const inside = join(here, "pre-export");
  return existsSync(join(inside, PRE_EXPORT_ENTRY)) ? inside : join(here, "..", "pre-export");
}

/** Debian's system CA bundle, which pip, curl, git and Node.js read in the build image. */
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** The daemon's socket on this host, for phases that export to it (DOCKER_HOST=unix://... or the default). */
export function dockerSocketPath(env: NodeJS.ProcessEnv): string {
  const host = env.DOCKER_HOST;
  return host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
}

/** Pure: the `docker run` argv for one phase. */
export function phaseDockerArgs(
  spec: PhaseSpec,
  o: {
    builderRef: string;
    platform: string;
    uid: number;
    gid: number;
    layersVolume: string;
    workspaceVolume: string;
    platformDir: string;
    /** The platform dir with the build secrets in its env, for the phases that run buildpacks only. */
    secretsPlatformDir?: string;
    outDir: string;
    cacheDir: string | undefined;
    caCerts: string | undefined;
    dockerSocket: string;
    platformApi: string;
    secretEnvNames: readonly string[];
    name: string;
    /**
     * Runs this shell script first, with the app mounted at /app-source, then execs the phase: the
     * workspace is filled by the first (root) phase's container instead of a container of its own.
     */
    prelude?: { appDir: string; script: string };
    memoryLimit?: string;
    preExportDir?: string;
  },
): string[] {
  const user = spec.runAs === "root" ? "0:0" : `${o.uid}:${o.gid}`;
  const platformDir = (runsBuildpacks(spec) && o.secretsPlatformDir) || o.platformDir;
  return [
    "run",
    "--rm",
    "--name",
    o.name,
    "--network",
    "host",
    "--platform",
    o.platform,
    "--user",
    user,
    ...(o.memoryLimit ? ["--memory", o.memoryLimit, "--memory-swap", o.memoryLimit] : []),
    "-v",
    `${o.layersVolume}:${CONTAINER_PATHS.layers}`,
    "-v",
    `${o.workspaceVolume}:${CONTAINER_PATHS.app}`,
    "-v",
    `${platformDir}:${CONTAINER_PATHS.platform}:ro`,
    "-v",
    `${o.outDir}:${CONTAINER_PATHS.out}`,
    ...(o.cacheDir ? ["-v", `${o.cacheDir}:${CONTAINER_PATHS.cache}`] : []),
    ...(o.caCerts ? ["-v", `${o.caCerts}:${SYSTEM_CA_BUNDLE}:ro`] : []),
    ...(spec.daemon ? ["-v", `${o.dockerSocket}:/var/run/docker.sock`] : []),
    ...(o.prelude ? ["-v", `${o.prelude.appDir}:/app-source:ro`] : []),
    ...(spec.preExport && o.preExportDir ? ["-v", `${o.preExportDir}:${PRE_EXPORT_MOUNT}:ro`] : []),
    "-e",
    `CNB_PLATFORM_API=${o.platformApi}`,
    ...(spec.registry ? o.secretEnvNames.flatMap((n) => ["-e", n]) : []),
    ...(o.prelude
      ? ["--entrypoint", "sh", o.builderRef, "-c", `${o.prelude.script}\nexec "$0" "$@"`, spec.binary]
      : ["--entrypoint", spec.binary, o.builderRef]),
    ...spec.args,
  ];
}

/**
 * Pure: copies the app as the workspace contract says (workspace.ts) into the workspace and hands
 * every writable path to the CNB user.
 */
export function workspaceCopyScript(o: { source: WorkspaceSource; cached: boolean; owner: string }): string {
  const excludes = excludedInside(o.source);
  return [
    "set -e",
    `cd /app-source && tar ${excludes.map((e) => `--exclude='${e}'`).join(" ")} -cf - . | tar -C ${CONTAINER_PATHS.app} -xf -`,
    `chown -R ${o.owner} ${CONTAINER_PATHS.app} ${CONTAINER_PATHS.layers}${o.cached ? ` ${CONTAINER_PATHS.cache}` : ""}`,
    `chmod 0777 ${CONTAINER_PATHS.out}`,
  ].join("\n");
}

/** <dir>/env/NAME for each variable: the CNB platform env. */
function writePlatformDir(dir: string, env: Record<string, string>): void {
  mkdirSync(join(dir, "env"), { recursive: true });
  for (const [name, value] of Object.entries(env)) writeFileSync(join(dir, "env", name), value);
}

/** Each phase in its own container from the builder image, sharing volumes, as pack does without the creator. */
export class DockerExecutor implements Executor {
  private readonly id = randomBytes(6).toString("hex");
  private readonly layersVolume = `ml-buildpacks-layers-${this.id}`;
  private readonly workspaceVolume = `ml-buildpacks-workspace-${this.id}`;
  private readonly scratch = mkdtempSync(join(tmpdir(), "ml-buildpacks-build-"));
  private readonly platformDir = join(this.scratch, "platform");
  /** Only made when there are secrets (writePlatformDir): the scratch dir is the host user's alone. */
  private readonly secretsPlatformDir = join(this.scratch, "platform-secrets");
  private readonly hasSecrets: boolean;
  private readonly outDir = join(this.scratch, "out");
  private readonly cacheDir: string | undefined;

  constructor(private readonly o: DockerExecutorOptions) {
    this.cacheDir = o.cacheDir ? resolve(o.cacheDir) : undefined;
    this.hasSecrets = Object.keys(o.buildSecrets ?? {}).length > 0;
    this.preExport =
      o.preExportDir && existsSync(join(o.preExportDir, PRE_EXPORT_ENTRY))
        ? {
            entry: `${PRE_EXPORT_MOUNT}/${PRE_EXPORT_ENTRY}`,
            chain: true,
            // Every phase container, pre-export's too, has the bundle mounted here (phaseDockerArgs).
            ...(o.caCerts ? { caCerts: SYSTEM_CA_BUNDLE } : {}),
          }
        : undefined;
  }

  readonly preExport: PreExportRunner | undefined;

  /** The workspace copy, run by the first phase's container (see phaseDockerArgs' prelude). */
  private copyScript: string | undefined;

  /** The phase container running now, stopped when the build is cancelled. */
  private running: string | undefined;
  private cancelled: NodeJS.Signals | undefined;
  private releaseCache: (() => void) | undefined;
  private unhookCancel: (() => void) | undefined;

  async prepare(): Promise<void> {
    const { docker, builder } = this.o;
    // From here until cleanup(), SIGINT/SIGTERM stop the phase container instead of leaving it running.
    this.unhookCancel = onCancel((signal) => this.cancel(signal));
    writePlatformDir(this.platformDir, this.o.buildEnv);
    if (this.hasSecrets)
      writePlatformDir(this.secretsPlatformDir, { ...this.o.buildEnv, ...this.o.buildSecrets });
    mkdirSync(this.outDir, { mode: 0o777 });
    if (this.cacheDir) {
      mkdirSync(this.cacheDir, { recursive: true });
      this.releaseCache = await guardCacheDir(
        this.cacheDir,
        this.o.log ?? { info() {}, warn() {} },
        this.o.clearCache,
      );
    }
    await docker.createVolume(this.layersVolume);
    await docker.createVolume(this.workspaceVolume);
    this.copyScript = workspaceCopyScript({
      source: workspaceSource(this.o.appDir, this.cacheDir, [this.o.sbomOutputDir]),
      cached: this.cacheDir !== undefined,
      owner: `${builder.uid}:${builder.gid}`,
    });
  }

  async runPhase(spec: PhaseSpec, onLine: (line: string) => void): Promise<number> {
    if (this.cancelled) throw cancelledError(this.cancelled, spec.phase);
    const script = this.copyScript;
    // Only a root phase can copy and chown; the first phase (analyzer or creator) always is one.
    if (script && spec.runAs !== "root") throw new Error(`the first phase (${spec.phase}) must run as root`);
    this.copyScript = undefined;
    // The host's HTTPS_PROXY/NO_PROXY reach the registry phases as the credentials do: by name.
    const registryEnv = { ...proxyEnv(process.env), ...this.o.secretEnv };
    const args = phaseDockerArgs(spec, {
      builderRef: this.o.builder.ref,
      platform: this.o.builder.platform,
      uid: this.o.builder.uid,
      gid: this.o.builder.gid,
      layersVolume: this.layersVolume,
      workspaceVolume: this.workspaceVolume,
      platformDir: this.platformDir,
      secretsPlatformDir: this.hasSecrets ? this.secretsPlatformDir : undefined,
      outDir: this.outDir,
      cacheDir: this.cacheDir,
      caCerts: this.o.caCerts ? resolve(this.o.caCerts) : undefined,
      dockerSocket: dockerSocketPath(process.env),
      platformApi: this.o.platformApi,
      secretEnvNames: Object.keys(registryEnv),
      name: `ml-buildpacks-${spec.phase}-${this.id}`,
      prelude: script ? { appDir: resolve(this.o.appDir), script } : undefined,
      memoryLimit: this.o.memoryLimit,
      preExportDir: this.o.preExportDir,
    });
    this.running = `ml-buildpacks-${spec.phase}-${this.id}`;
    try {
      const result = await this.o.docker.exec(args, { env: registryEnv, onLine: (line) => onLine(line) });
      // Stopped by cancel(): that, not the container's exit code, is what happened.
      if (this.cancelled) throw cancelledError(this.cancelled, spec.phase);
      return result.exitCode;
    } finally {
      this.running = undefined;
    }
  }

  /** The build is cancelled: no phase starts any more, the running one is stopped, the rest cleaned up. */
  private async cancel(signal: NodeJS.Signals): Promise<void> {
    this.cancelled = signal;
    if (this.running) await this.o.docker.removeContainer(this.running);
    await this.cleanup();
  }

  readOutput(name: string): string | undefined {
    const file = join(this.outDir, name);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }

  async cleanup(): Promise<void> {
    await this.o.docker.removeVolumes([this.layersVolume, this.workspaceVolume]);
    rmSync(this.scratch, { recursive: true, force: true });
    this.releaseCache?.();
    this.releaseCache = undefined;
    this.unhookCancel?.();
    this.unhookCancel = undefined;
  }
}
