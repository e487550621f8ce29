import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../../../src/core/process.js";

/** act, a real GitHub Actions runner (built by scripts/infra.sh), with its own cache server. */
export interface ActOptions {
  /** The repository act runs in (its git origin gives github.repository). */
  cwd: string;
  workflow: string;
  event: "push" | "workflow_dispatch";
  /** runs-on labels run on this host. */
  runners: string[];
  /** owner/repo@ref=dir: what `uses: owner/repo@ref` resolves to (act's --local-repository). */
  localRepositories?: Record<string, string>;
  /** Written to a secret file (never argv). */
  secrets?: Record<string, string>;
  env?: Record<string, string>;
  inputs?: Record<string, string>;
  vars?: Record<string, string>;
  actor?: string;
  cacheServerDir?: string;
  /** Jobs at once (act's default: one per CPU). */
  concurrentJobs?: number;
  /** The environment act itself starts with: the host's would leak into the jobs. */
  processEnv?: Record<string, string>;
  /** Starts act through another command line (e.g. a lab fence's `command`). */
  wrap?: (command: string, args: string[]) => [string, string[]];
}

export interface ActRun {
  code: number;
  log: string;
}

export async function runAct(act: string, opts: ActOptions): Promise<ActRun> {
  const secretDir = mkdtempSync(join(tmpdir(), "act-secrets-"));
  const secretFile = join(secretDir, "secrets");
  writeFileSync(
    secretFile,
    Object.entries(opts.secrets ?? {})
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
    { mode: 0o600 },
  );
  const pairs = (flag: string, entries: Record<string, string> | undefined) =>
    Object.entries(entries ?? {}).flatMap(([k, v]) => [flag, `${k}=${v}`]);
  const args = [
    opts.event,
    "-W",
    opts.workflow,
    ...opts.runners.flatMap((r) => ["-P", `${r}=-self-hosted`]),
    "--cache-server-addr",
    "127.0.0.1",
    ...(opts.cacheServerDir ? ["--cache-server-path", opts.cacheServerDir] : []),
    "--artifact-server-addr",
    "127.0.0.1",
    "--artifact-server-path",
    mkdtempSync(join(tmpdir(), "act-artifacts-")),
    "--action-offline-mode",
    "--pull=false",
    "--secret-file",
    secretFile,
    ...(opts.actor ? ["--actor", opts.actor] : []),
    ...(opts.concurrentJobs ? ["--concurrent-jobs", String(opts.concurrentJobs)] : []),
    ...Object.entries(opts.localRepositories ?? {}).flatMap(([k, v]) => ["--local-repository", `${k}=${v}`]),
    ...pairs("--env", opts.env),
    ...pairs("--input", opts.inputs),
    ...pairs("--var", opts.vars),
  ];
  const lines: string[] = [];
  const [command, commandArgs] = opts.wrap ? opts.wrap(act, args) : [act, args];
  const result = await runProcess(command, commandArgs, {
    cwd: opts.cwd,
    env: cleanEnv(opts.processEnv ?? {}),
    onLine: (line) => {
      lines.push(line);
      process.stdout.write(`    | ${line}\n`);
    },
  });
  return { code: result.exitCode, log: lines.join("\n") };
}

/** Only what a runner host would have: PATH, HOME, USER, LANG, TMPDIR, plus `extra`. */
function cleanEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const keep = ["PATH", "HOME", "USER", "LANG", "TMPDIR"];
  const cleared = Object.fromEntries(
    Object.keys(process.env).map((k) => [k, keep.includes(k) ? process.env[k] : undefined]),
  );
  return { ...cleared, ...extra };
}
