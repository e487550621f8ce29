// The one place executors are made from a build request: adapters only choose the kind (docker
// from a CI host, local inside the builder image for GitLab and Tekton).
import type { BuilderInfo } from "../builder/inspect.js";
import type { Docker } from "../docker.js";
import type { Logger } from "../log.js";
import type { ProcessRunner } from "../process.js";
import type { BuildRequest } from "../request.js";
import { DockerExecutor } from "./docker.js";
import { LocalExecutor } from "./local.js";
import type { Executor, WorkspaceOptions } from "./types.js";

export type ExecutorKind = "docker" | "local";

export interface ExecutorSetup {
  kind: ExecutorKind;
  docker: Docker;
  log: Pick<Logger, "info" | "warn">;
  run: ProcessRunner;
  /** dist/pre-export beside the running bundle (preExportDir in docker.ts). */
  preExportDir: string;
}

export type MakeExecutor = (
  builder: BuilderInfo,
  platformApi: string,
  secretEnv: Record<string, string>,
) => Executor;

export function executorFactory(
  setup: ExecutorSetup,
  req: Pick<
    BuildRequest,
    "appDir" | "cacheDir" | "clearCache" | "env" | "secrets" | "caCerts" | "memoryLimit" | "sbomOutputDir"
  >,
): MakeExecutor {
  return (builder, platformApi, secretEnv) => {
    const common: WorkspaceOptions = {
      appDir: req.appDir,
      cacheDir: req.cacheDir,
      clearCache: req.clearCache,
      sbomOutputDir: req.sbomOutputDir,
      buildEnv: req.env,
      buildSecrets: req.secrets,
      caCerts: req.caCerts,
      platformApi,
      secretEnv,
      preExportDir: setup.preExportDir,
    };
    return setup.kind === "local"
      ? new LocalExecutor({ ...common, run: setup.run, log: setup.log, uid: builder.uid, gid: builder.gid })
      : new DockerExecutor({
          ...common,
          docker: setup.docker,
          builder,
          memoryLimit: req.memoryLimit,
          log: setup.log,
        });
  };
}
