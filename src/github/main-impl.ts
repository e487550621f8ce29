import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import * as core from "@actions/core";
import { build, resolveBuilder } from "../core/build/index.js";
import { cacheKeys, dependencyHashOfDir, flavorOf } from "../core/cache/keys.js";
import { dirSize } from "../core/cache/size.js";
import { Docker } from "../core/docker.js";
import { MlBuildpacksError, renderError } from "../core/errors.js";
import { preExportDir } from "../core/executor/docker.js";
import { executorFactory } from "../core/executor/factory.js";
import { imageName, parseImageRef } from "../core/image-ref.js";
import { formatBytes, formatDuration, systemClock } from "../core/log.js";
import { runProcess } from "../core/process.js";
import { renderSummary } from "../core/report.js";
import { defaultCaCerts } from "../core/request.js";
import { maskablesOf } from "../core/secrets.js";
import { ActionsCacheStore } from "./cache-store.js";
import { parseInputs, sbomDirOf, toBuildRequest } from "./inputs.js";
import { ActionsLogger } from "./logger.js";
import { notes } from "./messages.js";
import { actionMode, runRebaseMode } from "./rebase-mode.js";
import { parseSignInputs } from "./sign-inputs.js";
import { type ActionState, saveState } from "./state.js";
import { type CacheOutcome, renderJobSummary } from "./summary.js";

/**
 * The Actions cache versions entries by their absolute paths, so the dir must be the same in every
 * job: under HOME, not RUNNER_TEMP (which some runners, act among them, make anew per job).
 */
export function cacheDirFor(scope: string, env: NodeJS.ProcessEnv): string {
  return join(env.HOME ?? homedir(), ".cache", "ml-buildpacks", "layers", scope);
}

/** The action's main step: restore the layer cache, build, set outputs and the job summary. */
export async function runMain(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = new ActionsLogger();
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const state: ActionState = {
    cacheEnabled: false,
    cacheDir: "",
    primaryKey: "",
    matchedKey: "",
    built: false,
  };
  try {
    if (actionMode(core.getInput("mode")) === "rebase") return await runRebaseMode(env);
    const inputs = parseInputs((name) => core.getInput(name), process.env);
    // Masked before anything else is logged.
    for (const value of Object.values(inputs.secrets)) for (const m of maskablesOf(value)) core.setSecret(m);
    const docker = new Docker(runProcess);
    const caCerts = defaultCaCerts(env, (p) => existsSync(p) && statSync(p).isFile());
    const signing = parseSignInputs((name) => core.getInput(name), inputs.publish);
    for (const value of Object.values(signing.env)) for (const m of maskablesOf(value)) core.setSecret(m);
    const draft = {
      ...toBuildRequest(inputs, { workspace, cacheDir: undefined, caCerts }),
      ...(signing.sign ? { sign: signing.sign } : {}),
    };
    const builder = await resolveBuilder(draft, { docker, log });

    const outcome: CacheOutcome = {
      enabled: inputs.cache,
      scope: "",
      result: "disabled",
      restoredBytes: 0,
      restoreMs: 0,
    };
    if (inputs.cache) {
      const arch = builder.platform.split("/")[1] ?? "unknown";
      const keys = cacheKeys({
        os: env.RUNNER_OS ?? "Linux",
        arch,
        flavor: flavorOf(inputs.builder),
        scope: inputs.cacheScope,
        builderDigest: builder.digest ?? builder.imageId,
        dependencyHash: dependencyHashOfDir(draft.appDir),
      });
      Object.assign(state, {
        cacheEnabled: true,
        cacheDir: cacheDirFor(keys.scope, env),
        primaryKey: keys.primary,
      });
      outcome.scope = keys.scope;
      // Start empty: a persistent self-hosted runner may hold another job's leftovers.
      rmSync(state.cacheDir, { recursive: true, force: true });
      mkdirSync(state.cacheDir, { recursive: true });
      if (inputs.clearCache) {
        log.info(notes.cacheCleared);
        outcome.result = "miss";
      } else {
        const started = Date.now();
        const matched = await log.group(`Restoring layer cache (scope ${keys.scope})`, () =>
          new ActionsCacheStore(log).restore(state.cacheDir, keys.primary, keys.restoreKeys),
        );
        outcome.restoreMs = Date.now() - started;
        outcome.restoredBytes = dirSize(join(state.cacheDir, "committed"));
        state.matchedKey = matched ?? "";
        outcome.result = !matched ? "miss" : matched.toLowerCase() === keys.primary ? "exact" : "partial";
        log.info(
          matched
            ? notes.cacheRestored(
                matched,
                outcome.result === "exact",
                formatBytes(outcome.restoredBytes),
                formatDuration(outcome.restoreMs),
              )
            : notes.cacheMiss(keys.primary),
        );
      }
    } else {
      log.info(notes.cacheDisabled);
    }
    saveState(state);

    const request = { ...draft, cacheDir: state.cacheEnabled ? state.cacheDir : undefined };
    const report = await build(
      request,
      {
        docker,
        log,
        clock: systemClock,
        env: { ...env, ...signing.env },
        registerSecret: (secret) => core.setSecret(secret),
        makeExecutor: executorFactory(
          { kind: "docker", docker, log, run: runProcess, preExportDir: preExportDir(import.meta.url) },
          request,
        ),
      },
      builder,
    );
    state.built = true;
    saveState(state);

    core.setOutput("image", report.image);
    core.setOutput("name", imageName(parseImageRef(report.image)));
    core.setOutput("digest", report.digest);
    core.setOutput("imageid", report.imageId);
    core.setOutput("metadata", JSON.stringify(report));
    core.setOutput("cache-hit", String(outcome.result === "exact"));
    core.setOutput("sbom-dir", sbomDirOf(inputs, workspace) ?? "");
    core.info(`\nBuilt ${report.imageRef}\n${renderSummary(report)}`);
    await core.summary
      .addRaw(renderJobSummary(report, outcome))
      .write()
      .catch(() => undefined);
  } catch (err) {
    saveState(state);
    if (err instanceof MlBuildpacksError && err.location) {
      const file = relative(workspace, err.location.file) || err.location.file;
      core.error(err.title, {
        title: "ml-buildpacks",
        file,
        startLine: err.location.line,
        startColumn: err.location.column,
      });
    }
    core.setFailed(renderError(err));
  }
}
