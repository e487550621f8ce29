import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BuilderInfo } from "../builder/inspect.js";
import { MlBuildpacksError } from "../errors.js";
import { CONTAINER_PATHS, type PhasePaths, type PhaseSpec } from "../lifecycle/phases.js";
import { DEFAULT_LIFECYCLE_VERSION, lifecycleApis } from "../lifecycle/versions.js";
import type { Logger } from "../log.js";
import { messages } from "../messages.js";
import { PRE_EXPORT_ENTRY } from "../pre-export/contract.js";
import { onCancel, type ProcessRunner } from "../process.js";
import { parseTomlFile } from "../toml.js";
import { isExcluded, workspaceSource } from "../workspace.js";
import { cancelledError, guardCacheDir } from "./cache-guard.js";
import type { Executor, PreExportRunner, WorkspaceOptions } from "./types.js";

/** The lifecycle inside a builder image; its presence means "we run inside the builder". */
export const LOCAL_LIFECYCLE = "/cnb/lifecycle/lifecycle";

export interface LocalExecutorOptions extends WorkspaceOptions {
  run: ProcessRunner;
  log: Pick<Logger, "info" | "warn">;
  /** CNB user and group: from CNB_USER_ID/CNB_GROUP_ID. */
  uid: number;
  gid: number;
  /**
   * The lifecycle writes absolute paths into cached layer tars, so the layers dir must be the same
   * path in every build: the builder's own /layers (default) or another fixed directory.
   */
  layersDir?: string;
  /** Where the app is copied; the image's working directory (default: the builder's /workspace). */
  workspaceDir?: string;
  /** This process's uid (process.getuid()); injectable for tests. */
  currentUid?: number;
  /** The environment the phases inherit (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Variables never handed to a phase that does not need them. */
const SECRET_NAMES = ["CNB_REGISTRY_AUTH"];

/** Debian's system CA bundle, which the build image's tools read. */
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** /layers and /workspace of the builder image when this process may write them, else fixed dirs under tmp. */
export function defaultLocalDirs(canWrite: (dir: string) => boolean = writable): {
  layers: string;
  app: string;
} {
  const fallback = join(tmpdir(), "ml-buildpacks-local");
  return {
    layers: canWrite(CONTAINER_PATHS.layers) ? CONTAINER_PATHS.layers : join(fallback, "layers"),
    app: canWrite(CONTAINER_PATHS.app) ? CONTAINER_PATHS.app : join(fallback, "workspace"),
  };
}

function emptyDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

/** Home directory of a uid from /etc/passwd (buildpacks running as the CNB user need a writable HOME). */
export function homeOf(uid: number, passwd: string): string | undefined {
  for (const line of passwd.split("\n")) {
    const fields = line.split(":");
    if (fields[2] === String(uid) && fields[5]) return fields[5];
  }
  return undefined;
}

/**
 * Runs /cnb/lifecycle/<phase> directly, for when this process runs inside the builder image
 * (a GitLab job whose image is the builder, a Tekton step). No Docker involved.
 * As root: analyzer, restorer and exporter run as root (they drop to the CNB user themselves),
 * detector and builder as CNB_USER_ID/CNB_GROUP_ID. As any other user: every phase runs as that user.
 */
export class LocalExecutor implements Executor {
  readonly paths: PhasePaths;
  private readonly scratch: string;
  private readonly isRoot: boolean;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly o: LocalExecutorOptions) {
    const dirs = o.layersDir && o.workspaceDir ? undefined : defaultLocalDirs();
    this.scratch = mkdtempSync(join(tmpdir(), "ml-buildpacks-local-"));
    this.paths = {
      layers: resolve(o.layersDir ?? dirs?.layers ?? CONTAINER_PATHS.layers),
      app: resolve(o.workspaceDir ?? dirs?.app ?? CONTAINER_PATHS.app),
      platform: join(this.scratch, "platform"),
      out: join(this.scratch, "out"),
      // Without a cache dir the phases get no -cache-dir flag; the path is then unused.
      cache: o.cacheDir ? resolve(o.cacheDir) : join(this.scratch, "no-cache"),
    };
    this.isRoot = (o.currentUid ?? process.getuid?.() ?? 0) === 0;
    this.env = o.env ?? process.env;
    const entry = o.preExportDir && join(o.preExportDir, PRE_EXPORT_ENTRY);
    this.preExport =
      entry && existsSync(entry)
        ? { entry, chain: false, ...(o.caCerts ? { caCerts: resolve(o.caCerts) } : {}) }
        : undefined;
  }

  readonly preExport: PreExportRunner | undefined;

  /** Aborted when the build is cancelled: the running phase gets SIGTERM, no other phase starts. */
  private readonly cancelled = new AbortController();
  private cancelSignal: NodeJS.Signals = "SIGTERM";
  private releaseCache: (() => void) | undefined;
  private unhookCancel: (() => void) | undefined;

  async prepare(): Promise<void> {
    const { log, uid, gid } = this.o;
    const p = this.paths;
    this.unhookCancel = onCancel(async (signal) => {
      this.cancelSignal = signal;
      this.cancelled.abort();
      await this.cleanup();
    });
    emptyDir(p.layers);
    emptyDir(p.app);
    const ws = workspaceSource(this.o.appDir, this.o.cacheDir ? p.cache : undefined, [this.o.sbomOutputDir]);
    for (const entry of readdirSync(ws.appDir)) {
      if (isExcluded(ws, join(ws.appDir, entry))) continue;
      cpSync(join(ws.appDir, entry), join(p.app, entry), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (from) => !isExcluded(ws, from),
      });
    }
    mkdirSync(join(p.platform, "env"), { recursive: true });
    for (const [name, value] of Object.entries(this.caEnv())) {
      if (!(name in this.o.buildEnv)) writeFileSync(join(p.platform, "env", name), value);
    }
    for (const [name, value] of Object.entries(this.o.buildEnv))
      writeFileSync(join(p.platform, "env", name), value);
    // Beside the env (the phases that read -platform are the ones that run buildpacks), readable by
    // the CNB user alone, and gone once the builder phase ends (runPhase).
    for (const [name, value] of Object.entries(this.o.buildSecrets ?? {}))
      writeFileSync(join(p.platform, "env", name), value, { mode: 0o600 });
    mkdirSync(p.out, { recursive: true });
    if (this.o.cacheDir) {
      mkdirSync(p.cache, { recursive: true });
      this.releaseCache = await guardCacheDir(p.cache, log, this.o.clearCache);
    }

    const current = this.o.currentUid ?? process.getuid?.() ?? 0;
    if (this.isRoot) {
      // Hand every writable path to the CNB user, as the docker executor's prepare container does.
      const owned = [p.layers, p.app, p.out, ...(this.o.cacheDir ? [p.cache] : []), ...this.secretFiles()];
      const chown = await this.o.run("chown", ["-R", `${uid}:${gid}`, ...owned]);
      if (chown.exitCode !== 0)
        throw new MlBuildpacksError({
          title: `could not hand the build dirs to the CNB user ${uid}:${gid}`,
          detail: chown.stderr || `chown exited with code ${chown.exitCode}`,
          hint: "run the job as root or as the builder's CNB user, with a writable cache dir",
          exitCode: 1,
        });
      await this.o.run("chmod", ["0755", this.scratch, p.platform, join(p.platform, "env")]);
      log.info(`local executor: phases run as root, detect and build as the CNB user ${uid}:${gid}`);
    } else {
      log.info(
        `local executor: running as uid ${current}, not root: every phase runs as this user` +
          (current === uid ? "" : ` (the builder's CNB user is ${uid}:${gid})`) +
          "; root-only features (export to a Docker daemon, fixing file ownership) are unavailable",
      );
    }
  }

  private secretFiles(): string[] {
    return Object.keys(this.o.buildSecrets ?? {}).map((name) => join(this.paths.platform, "env", name));
  }

  /** The CA bundle for the phases' own TLS (registries) and for the buildpacks (via the platform env). */
  private caEnv(): Record<string, string> {
    if (!this.o.caCerts) return {};
    const file = resolve(this.o.caCerts);
    if (file === SYSTEM_CA_BUNDLE) return {};
    return { SSL_CERT_FILE: file, PIP_CERT: file, REQUESTS_CA_BUNDLE: file };
  }

  /** Pure given the options: the environment one phase starts with. */
  phaseEnv(spec: PhaseSpec): Record<string, string> {
    const env: Record<string, string> = {};
    // A build secret's source (a CI variable of the job) reaches the buildpacks through the platform
    // env of detect and build only, not through every phase's environment.
    const secretValues = new Set(Object.values(this.o.buildSecrets ?? {}));
    for (const [name, value] of Object.entries(this.env)) {
      if (value === undefined || secretValues.has(value)) continue;
      if (SECRET_NAMES.includes(name) || name in this.o.secretEnv) continue;
      env[name] = value;
    }
    env.CNB_PLATFORM_API = this.o.platformApi;
    if (this.o.caCerts) env.SSL_CERT_FILE = this.caEnv().SSL_CERT_FILE ?? SYSTEM_CA_BUNDLE;
    if (spec.registry) Object.assign(env, this.o.secretEnv);
    if (this.dropsToCnb(spec)) {
      const passwd = existsSync("/etc/passwd") ? readFileSync("/etc/passwd", "utf8") : "";
      env.HOME = homeOf(this.o.uid, passwd) ?? this.paths.app;
    }
    return env;
  }

  private dropsToCnb(spec: PhaseSpec): boolean {
    return this.isRoot && spec.runAs === "cnb";
  }

  async runPhase(spec: PhaseSpec, onLine: (line: string) => void): Promise<number> {
    if (this.cancelled.signal.aborted) throw cancelledError(this.cancelSignal, spec.phase);
    const result = await this.o.run(spec.binary, spec.args, {
      signal: this.cancelled.signal,
      env: this.phaseEnv(spec),
      replaceEnv: true,
      cwd: this.paths.app,
      onLine: (line) => onLine(line),
      ...(this.dropsToCnb(spec) ? { uid: this.o.uid, gid: this.o.gid } : {}),
    });
    if (this.cancelled.signal.aborted) throw cancelledError(this.cancelSignal, spec.phase);
    // No later phase runs buildpacks: pre-export and the exporter never see the secrets.
    if (spec.phase === "build") for (const file of this.secretFiles()) rmSync(file, { force: true });
    return result.exitCode;
  }

  readOutput(name: string): string | undefined {
    const file = join(this.paths.out, name);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }

  async cleanup(): Promise<void> {
    rmSync(this.scratch, { recursive: true, force: true });
    for (const dir of [this.paths.layers, this.paths.app]) {
      if (existsSync(dir)) emptyDir(dir);
    }
    this.releaseCache?.();
    this.releaseCache = undefined;
    this.unhookCancel?.();
    this.unhookCancel = undefined;
  }
}

const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", x86_64: "amd64", aarch64: "arm64" };

/**
 * What a build needs to know about the builder we are running inside, without Docker:
 * CNB_USER_ID/CNB_GROUP_ID from the environment, buildpacks from /cnb/order.toml, run images from
 * /cnb/run.toml, the lifecycle version from `lifecycle -version`, the platform from process.arch.
 */
export async function localBuilderInfo(o: {
  ref: string;
  run: ProcessRunner;
  env?: NodeJS.ProcessEnv;
  arch?: string;
  cnbDir?: string;
  digest?: string;
}): Promise<BuilderInfo> {
  const env = o.env ?? process.env;
  const cnb = o.cnbDir ?? "/cnb";
  const uidText = env.CNB_USER_ID;
  const gidText = env.CNB_GROUP_ID;
  const uid = Number(uidText);
  const gid = Number(gidText);
  if (!uidText || !gidText || !Number.isInteger(uid) || !Number.isInteger(gid))
    throw new MlBuildpacksError(
      messages.notABuilder(
        `this container (${cnb})`,
        "CNB_USER_ID/CNB_GROUP_ID are not set in its environment (the local executor runs inside a builder image)",
      ),
    );
  const lifecycle = join(cnb, "lifecycle", "lifecycle");
  if (!existsSync(lifecycle)) throw new MlBuildpacksError(messages.lifecycleNotFound(join(cnb, "lifecycle")));
  const result = await o.run(lifecycle, ["-version"]).catch(() => undefined);
  const reported = result?.exitCode === 0 ? result.stdout.trim() : "";
  const lifecycleVersion = reported && reported !== "0.0.0" ? reported : DEFAULT_LIFECYCLE_VERSION;
  const platformApis = lifecycleApis(lifecycleVersion).platform;

  const readToml = (name: string): Record<string, unknown> => {
    const file = join(cnb, name);
    return existsSync(file)
      ? (parseTomlFile(readFileSync(file, "utf8"), file) as Record<string, unknown>)
      : {};
  };
  const order = (readToml("order.toml").order ?? []) as { group?: { id: string; version?: string }[] }[];
  const seen = new Map<string, { id: string; version: string }>();
  for (const g of order)
    for (const bp of g.group ?? [])
      seen.set(`${bp.id}@${bp.version ?? ""}`, { id: bp.id, version: bp.version ?? "" });
  const runImages = ((readToml("run.toml").images ?? []) as { image?: string }[])
    .map((i) => i.image)
    .filter((i): i is string => typeof i === "string");
  const arch = ARCH[o.arch ?? process.arch] ?? o.arch ?? process.arch;
  return {
    ref: o.ref,
    imageId: "",
    digest: o.digest,
    platform: `linux/${arch}`,
    uid,
    gid,
    lifecycleVersion,
    platformApis,
    runImages,
    buildpacks: [...seen.values()],
    stackId: env.CNB_STACK_ID,
    // This process runs in the builder: there is nothing to pull.
    inDaemon: true,
  };
}
