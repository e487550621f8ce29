// Runs the shell step of the Tekton Task or the GitLab component as the CI system would, with the
// real CLI bundle as `ml-buildpacks` on PATH: the bad-input cases there fail while parsing
// arguments, before any container or registry is used.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const REPO = resolve(import.meta.dirname, "../../..");

function cliOnPath(): string {
  const bin = mkdtempSync(join(tmpdir(), "bad-input-bin-"));
  const wrapper = join(bin, "ml-buildpacks");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, "bin", "ml-buildpacks.js")}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return bin;
}

export interface ScriptResult {
  code: number;
  output: string;
}

function run(script: string, args: string[], env: Record<string, string>, cwd: string): ScriptResult {
  const res = spawnSync("/bin/sh", ["-c", script, "step", ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: `${cliOnPath()}:${process.env.PATH ?? ""}`, HOME: cwd, ...env },
  });
  return { code: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
}

interface TektonTask {
  spec: {
    params: { name: string; default?: unknown }[];
    steps: { name: string; script: string; env: { name: string; value: string }[] }[];
  };
}

/**
 * The Task's build step with `params` over the params' defaults ($(params.X) and workspace
 * references substituted as Tekton does; no workspace bound but the source at `source`).
 */
export function tektonBuildStep(
  params: Record<string, string>,
  source: string,
): { script: string; env: Record<string, string> } {
  const task = parse(readFileSync(join(REPO, "tekton", "task-ml-buildpacks.yaml"), "utf8")) as TektonTask;
  const values: Record<string, string> = {};
  for (const p of task.spec.params) if (typeof p.default === "string") values[p.name] = p.default;
  Object.assign(values, params);
  const step = task.spec.steps.find((s) => s.name === "build");
  if (!step) throw new Error("the Task has no build step");
  const substitute = (text: string) =>
    text
      .replace(/\$\(params\.([\w-]+)\)/g, (_, name: string) => values[name] ?? "")
      .replace(/\$\(workspaces\.source\.path\)/g, source)
      .replace(/\$\(workspaces\.[\w-]+\.bound\)/g, "false")
      .replace(/\$\(workspaces\.[\w-]+\.path\)/g, "/nonexistent");
  return { script: step.script, env: Object.fromEntries(step.env.map((e) => [e.name, substitute(e.value)])) };
}

/** The Task's build step run here, with the CLI bundle as ml-buildpacks; `envVars`: ENV_VARS items. */
export function runTektonBuild(params: Record<string, string>, envVars: string[] = []): ScriptResult {
  const source = mkdtempSync(join(tmpdir(), "bad-input-src-"));
  const { script, env } = tektonBuildStep(params, source);
  return run(script, envVars, env, source);
}

/** The GitLab component's build job script and its variables (inputs at their defaults, `variables` over them). */
export function gitlabBuildScript(variables: Record<string, string>): {
  script: string;
  env: Record<string, string>;
} {
  const jobsText = readFileSync(join(REPO, "templates", "build.yml"), "utf8");
  const script = /script:\n {4}- \|\n([\s\S]*?)\n {2}artifacts:/.exec(jobsText)?.[1];
  if (!script) throw new Error("templates/build.yml: no build script found");
  // Every ML_BUILDPACKS_* variable the script reads is set (empty unless given), as the job's
  // variables: block always sets them; `set -u` fails on any left out.
  const referenced = Object.fromEntries(
    [...script.matchAll(/\$\{?(ML_BUILDPACKS_\w+)/g)].map((m) => [m[1], ""]),
  );
  return {
    script: script.replace(/^ {6}/gm, ""),
    env: {
      ...referenced,
      ARCH: "amd64",
      ML_BUILDPACKS_APP: ".",
      ML_BUILDPACKS_IMAGE: "registry.example/team/app",
      ML_BUILDPACKS_TAG: "1",
      ML_BUILDPACKS_BUILDER: "",
      ML_BUILDPACKS_FLAVOR: "cpu",
      ML_BUILDPACKS_USE_CACHE: "false",
      ML_BUILDPACKS_FAST_PATH: "true",
      ML_BUILDPACKS_BUILD_ENV: "",
      ML_BUILDPACKS_SECRETS: "",
      ML_BUILDPACKS_ARGS: "",
      ...variables,
    },
  };
}

/** The GitLab component's build job script run here, with the CLI bundle as ml-buildpacks. */
export function runGitlabBuild(variables: Record<string, string>): ScriptResult {
  const { script, env } = gitlabBuildScript(variables);
  return run(script, [], env, mkdtempSync(join(tmpdir(), "bad-input-gitlab-")));
}
