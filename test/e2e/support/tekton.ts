import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "../../../src/core/process.js";

// A TaskRun without a cluster: Tekton's own Go code (tekton/validate, github.com/tektoncd/pipeline)
// validates the Task and the TaskRun and resolves the steps with the reconciler's substitutions;
// each step then runs as a container the way the TaskRun's pod would: the step image, its script
// as the entrypoint with the args after it, its user, env and working dir, the workspaces and
// emptyDir volumes at the same paths, /tekton/results shared.

const GO = "/usr/local/go/bin/go";
const DOCKER = "/usr/bin/docker";

export interface TektonMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
  workspace?: string;
}
export interface ResolvedStep {
  name: string;
  image: string;
  script: string;
  args: string[];
  env: Record<string, string>;
  workingDir: string;
  runAsUser?: number;
  runAsGroup?: number;
  volumeMounts: TektonMount[];
}
/** What `tekton-validate resolve` prints: the steps as the TaskRun's pod would run them. */
export interface ResolvedTaskRun {
  steps: ResolvedStep[];
  resultsDir: string;
  workspaces: Record<string, string>;
}

export interface TaskRunOutcome {
  results: Record<string, string>;
  logs: Record<string, string>;
  /** The step that failed; the steps after it did not run. */
  failed?: string;
}

/** The Go helper (tekton/validate) and where it is built. */
export function tektonValidate(repo: string) {
  const dir = join(repo, "tekton", "validate");
  const binary = join(repo, ".infra", "tekton-validate", "tekton-validate");
  const go = async (args: string[]) => {
    const result = await runProcess(GO, args, { cwd: dir });
    return { code: result.exitCode, output: `${result.stdout}\n${result.stderr}`.trim() };
  };
  return {
    go,
    /** What a fresh machine needs: the Go module from the proxy and the helper built from it. */
    async build(): Promise<void> {
      mkdirSync(join(repo, ".infra", "tekton-validate"), { recursive: true });
      const built = await go(["build", "-buildvcs=false", "-o", binary, "."]);
      if (built.code !== 0) throw new Error(`building tekton/validate failed:\n${built.output}`);
    },
    /** Validates the Task and the TaskRun and resolves the steps (exit code 1 and a message on stderr if invalid). */
    resolve: (taskFile: string, taskRunFile: string) =>
      runProcess(binary, ["resolve", taskFile, taskRunFile]),
  };
}

/** A world-writable dir under `parent`, as Kubernetes makes emptyDir volumes. */
export function emptyDir(parent: string, name: string): string {
  const dir = mkdtempSync(join(parent, `${name}-`));
  chmodSync(dir, 0o777);
  return dir;
}

export interface RunStepsOptions {
  /** Where the pod's emptyDirs, scripts and results live. */
  work: string;
  /** The node's architecture. */
  platform?: string;
  /** The environment of the docker client (e.g. DOCKER_HOST of a fenced engine API). */
  dockerEnv?: Record<string, string>;
  /** What the node gives every container, not the TaskRun: host path -> container path (read-only). */
  nodeMounts?: Record<string, string>;
}

/**
 * Runs the resolved steps one after another, as the TaskRun's pod would; stops at the first
 * failure. `bindings` maps each bound workspace to the host dir that holds what the binding gives
 * (a PVC's content, a Secret's projected items, ...).
 */
export async function runSteps(
  resolved: ResolvedTaskRun,
  bindings: Record<string, string>,
  opts: RunStepsOptions,
): Promise<TaskRunOutcome> {
  const results = emptyDir(opts.work, "results");
  const scripts = emptyDir(opts.work, "scripts");
  const implicitWorkspace = emptyDir(opts.work, "workspace"); // Tekton mounts an emptyDir at /workspace in every step
  const volumes: Record<string, string> = {};
  const logs: Record<string, string> = {};
  for (const [i, step] of resolved.steps.entries()) {
    const script = join(scripts, `script-${i}`);
    writeFileSync(script, step.script, { mode: 0o755 });
    const args = ["run", "--rm", "--network", "host", "--platform", opts.platform ?? "linux/amd64"];
    if (step.runAsUser !== undefined) args.push("--user", `${step.runAsUser}:${step.runAsGroup ?? 0}`);
    if (step.workingDir) args.push("--workdir", step.workingDir);
    for (const [k, v] of Object.entries(step.env)) args.push("--env", `${k}=${v}`);
    args.push("-v", `${implicitWorkspace}:/workspace`, "-v", `${results}:${resolved.resultsDir}`);
    args.push("-v", `${scripts}:/tekton/scripts:ro`);
    for (const [host, path] of Object.entries(opts.nodeMounts ?? {})) args.push("-v", `${host}:${path}:ro`);
    for (const m of step.volumeMounts) {
      let host: string;
      if (m.workspace) {
        const bound = bindings[m.workspace];
        if (!bound) throw new Error(`workspace ${m.workspace} is mounted but not bound by the test`);
        host = bound;
      } else {
        volumes[m.name] ??= emptyDir(opts.work, m.name);
        host = volumes[m.name] as string;
      }
      args.push("-v", `${host}:${m.mountPath}${m.readOnly ? ":ro" : ""}`);
    }
    args.push("--entrypoint", `/tekton/scripts/script-${i}`, step.image, ...step.args);
    const lines: string[] = [];
    const run = await runProcess(DOCKER, args, {
      env: opts.dockerEnv ?? {},
      onLine: (line) => {
        lines.push(line);
        process.stdout.write(`    [${step.name}] ${line}\n`);
      },
    });
    logs[step.name] = `${lines.join("\n")}\n${run.stderr}`;
    if (run.exitCode !== 0) return { results: {}, logs, failed: step.name };
  }
  const out: Record<string, string> = {};
  for (const name of ["IMAGE_DIGEST", "IMAGE_URL"]) out[name] = readFileSync(join(results, name), "utf8");
  return { results: out, logs };
}

/** A TaskRun's workspace binding (the kinds the Task's docs and the README use). */
export interface WorkspaceBinding {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
  emptyDir?: Record<string, never>;
}

/** What the cluster holds for the bindings: each PVC's content (a host dir), each Secret's and ConfigMap's data. */
export interface ClusterObjects {
  claims?: Record<string, string>;
  secrets?: Record<string, Record<string, string>>;
  configMaps?: Record<string, Record<string, string>>;
}

/**
 * The host dir of each bound workspace, as the kubelet would mount it: a PVC's volume, a Secret's or
 * ConfigMap's keys projected as files (only `items`, at their paths, when given), an emptyDir.
 */
export function bindWorkspaces(
  bindings: WorkspaceBinding[],
  cluster: ClusterObjects,
  work: string,
): Record<string, string> {
  const project = (
    kind: string,
    name: string,
    data: Record<string, string> | undefined,
    items?: { key: string; path: string }[],
  ) => {
    if (!data) throw new Error(`the TaskRun binds ${kind} ${name}, which the test's cluster does not hold`);
    const dir = emptyDir(work, `${kind}-${name}`);
    for (const { key, path } of items ?? Object.keys(data).map((k) => ({ key: k, path: k }))) {
      const value = data[key];
      if (value === undefined) throw new Error(`${kind} ${name} has no key ${key}`);
      writeFileSync(join(dir, path), value, { mode: 0o644 });
    }
    return dir;
  };
  const bound: Record<string, string> = {};
  for (const b of bindings) {
    if (b.persistentVolumeClaim) {
      const claim = b.persistentVolumeClaim.claimName;
      const dir = cluster.claims?.[claim];
      if (!dir) throw new Error(`the TaskRun binds PVC ${claim}, which the test's cluster does not hold`);
      bound[b.name] = dir;
    } else if (b.secret) {
      bound[b.name] = project(
        "secret",
        b.secret.secretName,
        cluster.secrets?.[b.secret.secretName],
        b.secret.items,
      );
    } else if (b.configMap) {
      bound[b.name] = project(
        "configmap",
        b.configMap.name,
        cluster.configMaps?.[b.configMap.name],
        b.configMap.items,
      );
    } else if (b.emptyDir) {
      bound[b.name] = emptyDir(work, b.name);
    } else throw new Error(`workspace ${b.name}: a binding kind the test cannot make`);
  }
  return bound;
}
