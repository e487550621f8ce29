import { existsSync } from "node:fs";
import { MlBuildpacksError } from "./errors.js";
import { messages } from "./messages.js";
import type { ProcessRunner, RunOptions, RunResult } from "./process.js";

/** The parts of `docker image inspect` the core reads. */
export interface ImageInspect {
  Id: string;
  RepoDigests: string[] | null;
  Os: string;
  Architecture: string;
  Variant?: string;
  Size: number;
  Config: { Env: string[] | null; Labels: Record<string, string> | null; User?: string };
  RootFS: { Layers: string[] };
}

/**
 * Debian's /usr/bin/docker has BuildKit built in; other clients on PATH may lack buildx.
 * ML_BUILDPACKS_DOCKER overrides the choice.
 */
export function defaultDockerBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ML_BUILDPACKS_DOCKER) return env.ML_BUILDPACKS_DOCKER;
  return existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
}

/** Thin typed wrapper over the docker CLI. */
export class Docker {
  constructor(
    private readonly run: ProcessRunner,
    readonly binary: string = defaultDockerBinary(),
  ) {}

  exec(args: readonly string[], opts?: RunOptions): Promise<RunResult> {
    return this.run(this.binary, args, opts);
  }

  /** Runs docker and throws a readable error when it fails. */
  async must(what: string, args: readonly string[], opts?: RunOptions): Promise<RunResult> {
    let result: RunResult;
    try {
      result = await this.exec(args, opts);
    } catch (err) {
      throw new MlBuildpacksError(
        messages.dockerUnavailable(err instanceof Error ? err.message : String(err)),
      );
    }
    if (result.exitCode !== 0) {
      const output = `${result.stderr}\n${result.stdout}`;
      if (
        /Cannot connect to the Docker daemon|docker daemon is not running|permission denied.*docker.sock/i.test(
          output,
        )
      )
        throw new MlBuildpacksError(messages.dockerUnavailable(output.trim()));
      throw new MlBuildpacksError(messages.dockerFailed(what, output));
    }
    return result;
  }

  async ping(): Promise<void> {
    await this.must("report its version", ["version", "--format", "{{.Server.Version}}"]);
  }

  async inspectImage(ref: string): Promise<ImageInspect | undefined> {
    const result = await this.exec(["image", "inspect", ref]);
    if (result.exitCode !== 0) return undefined;
    const parsed = JSON.parse(result.stdout) as ImageInspect[];
    return parsed[0];
  }

  /** Inspects an image, pulling it first when it is not present locally. */
  async ensureImage(
    ref: string,
    opts: { pull: "missing" | "always"; platform?: string },
  ): Promise<ImageInspect> {
    if (opts.pull === "missing") {
      const local = await this.inspectImage(ref);
      if (local) return local;
    }
    const args = ["pull", "--quiet", ...(opts.platform ? ["--platform", opts.platform] : []), ref];
    const pulled = await this.exec(args);
    const inspected = await this.inspectImage(ref);
    if (!inspected)
      throw new MlBuildpacksError(messages.imageNotFound(ref, `${pulled.stderr}\n${pulled.stdout}`));
    return inspected;
  }

  async createVolume(name: string): Promise<void> {
    await this.must(`create volume ${name}`, ["volume", "create", name]);
  }

  /** Stops and removes a container (a cancelled build's phase); never throws. */
  async removeContainer(name: string): Promise<void> {
    await this.exec(["rm", "--force", name]).catch(() => undefined);
  }

  async removeVolumes(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.exec(["volume", "rm", "--force", ...names]);
  }
}

/** Reads KEY from an image's Env list. */
export function imageEnv(image: ImageInspect, key: string): string | undefined {
  const entry = (image.Config.Env ?? []).find((e) => e.startsWith(`${key}=`));
  return entry?.slice(key.length + 1);
}
