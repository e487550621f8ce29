// What a build needs from its surroundings; adapters (CLI, Action, in-builder runs) supply them.
import type { BuilderInfo } from "../builder/inspect.js";
import type { Docker } from "../docker.js";
import type { Executor } from "../executor/types.js";
import type { Clock, Logger } from "../log.js";

export interface BuildDeps {
  docker: Docker;
  log: Logger;
  clock: Clock;
  /** Makes the executor once the builder is known (docker here; local inside the builder for GitLab/Tekton). */
  makeExecutor: (builder: BuilderInfo, platformApi: string, secretEnv: Record<string, string>) => Executor;
  /** Lets adapters mask secrets in their logs (e.g. core.setSecret). */
  registerSecret?: (secret: string) => void;
  env?: NodeJS.ProcessEnv;
}
