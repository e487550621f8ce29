import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess } from "../../src/core/process.js";
import type { BuildReport } from "../../src/core/report.js";

export const REPO = resolve(import.meta.dirname, "../..");
export const REGISTRY = "127.0.0.1:5000";
export const DOCKER = "/usr/bin/docker";

/** A unique tag per test run, so runs never see each other's images. */
export const RUN_ID = `${Date.now().toString(36)}${process.pid}`;

export interface CliResult {
  code: number;
  output: string;
}

/** Runs the bundled CLI (bin/ml-buildpacks.js) exactly as a user would; output is echoed for the test log. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const lines: string[] = [];
  const result = await runProcess(process.execPath, [join(REPO, "bin", "ml-buildpacks.js"), ...args], {
    cwd: REPO,
    env,
    onLine: (line) => {
      lines.push(line);
      process.stdout.write(`    | ${line}\n`);
    },
  });
  return { code: result.exitCode, output: lines.join("\n") };
}

export async function docker(args: string[]): Promise<CliResult> {
  const result = await runProcess(DOCKER, args);
  return { code: result.exitCode, output: `${result.stdout}\n${result.stderr}`.trim() };
}

/**
 * Runs `command` in a built image as the CNB user (1000:1000) on the host network, from `entrypoint`
 * (undefined: the image's own, its default process).
 */
export async function runAsCnbUser(
  ref: string,
  entrypoint: string | undefined,
  command: string[],
): Promise<CliResult> {
  const from = entrypoint === undefined ? [] : ["--entrypoint", entrypoint];
  return docker(["run", "--rm", "--network", "host", "--user", "1000:1000", ...from, ref, ...command]);
}

/** Copies an example app into a temp dir the test may change. */
export function copyApp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  cpSync(join(REPO, "examples", name), dir, { recursive: true });
  return dir;
}

export function readReport(file: string): BuildReport {
  return JSON.parse(readFileSync(file, "utf8")) as BuildReport;
}

/** Asks the registry itself (not docker's cache) whether a tag exists. */
export async function registryHas(repository: string, tag: string): Promise<boolean> {
  const res = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      Accept:
        "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json",
    },
  });
  return res.ok;
}
