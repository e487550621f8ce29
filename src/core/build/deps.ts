// What a build needs from its surroundings; adapters (CLI, Action, in-builder runs) supply them.
import type { Docker } from "../docker.js";
import type { MakeExecutor } from "../executor/factory.js";
import type { Clock, Logger } from "../log.js";

export interface BuildDeps {
  docker: Docker;
  log: Logger;
  clock: Clock;
  /** Makes the executor once the builder is known (docker here; local inside the builder for GitLab/Tekton). */
  makeExecutor: MakeExecutor;
  /** Lets adapters mask secrets in their logs (e.g. core.setSecret). */
  registerSecret?: (secret: string) => void;
  env?: NodeJS.ProcessEnv;
}
