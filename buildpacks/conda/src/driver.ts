// Runs bin/conda_driver.py (py-rattler) with the rattler layer's Python: a JSON request in, a JSON
// result out. Failures the driver recognises come back as a kind + rattler's message and become
// BuildpackErrors here; anything else (a crash) is reported with its output.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildContext, formatCommand } from "#libcnb";
import type { RattlerAuth } from "./credentials.js";
import * as errors from "./errors.js";
import type { ExplicitPackage } from "./explicit.js";
import type { ResolvedPackage } from "./resolved.js";

export interface DriverRequest {
  channels: string[];
  specs: string[];
  platform: string;
  cache_dir: string;
  prefix: string;
  explicit: ExplicitPackage[] | null;
  expect?: string;
}

export type DriverResult =
  | { ok: true; packages: ResolvedPackage[]; digest: string }
  | {
      ok: false;
      kind: "unsatisfiable" | "invalid-spec" | "unreachable" | "hash-mismatch" | "install" | "changed";
      message: string;
      url?: string;
      line?: number;
      kind_of_hash?: string;
      expected?: string;
      actual?: string;
    };

export function driverScript(buildpackDir: string): string {
  return join(buildpackDir, "bin", "conda_driver.py");
}

/** Turns a failed result into the user's error; `file` is environment.yml or the lock. */
export function driverError(
  result: Extract<DriverResult, { ok: false }>,
  request: DriverRequest,
  file: string,
): Error {
  switch (result.kind) {
    case "unsatisfiable":
      return errors.unsatisfiable(file, request.specs, result.message);
    case "invalid-spec":
      return errors.invalidSpec(file, result.message);
    case "unreachable":
      return errors.unreachable(request.channels, result.message, file);
    case "hash-mismatch":
      return errors.hashMismatch(
        file,
        result.line ?? 1,
        result.url ?? "",
        result.kind_of_hash ?? "sha256",
        result.expected ?? "",
        result.actual ?? "",
      );
    case "changed":
      return errors.channelsChanged(result.message);
    default:
      return errors.installFailed(result.message);
  }
}

export async function runDriver(
  ctx: Pick<BuildContext, "exec" | "buildpack">,
  python: string,
  command: "resolve" | "install",
  request: DriverRequest,
  file: string,
  auth: Record<string, RattlerAuth>,
): Promise<{ packages: ResolvedPackage[]; digest: string }> {
  const tmp = mkdtempSync(join(tmpdir(), "conda-driver-"));
  try {
    const req = join(tmp, "request.json");
    const res = join(tmp, "result.json");
    writeFileSync(req, JSON.stringify(request));
    // Private channels' credentials: rattler's auth file, readable by this user only, in the temp dir
    // removed below (never in a layer or the cache).
    const authEnv: Record<string, string> = {};
    if (Object.keys(auth).length) {
      authEnv.RATTLER_AUTH_FILE = join(tmp, "auth.json");
      writeFileSync(authEnv.RATTLER_AUTH_FILE, JSON.stringify(auth), { mode: 0o600 });
    }
    const args = [driverScript(ctx.buildpack.dir), command, req, res];
    const r = await ctx.exec(python, args, {
      env: { PYTHONUNBUFFERED: "1", PYTHONPATH: undefined, ...authEnv },
    });
    let result: DriverResult | undefined;
    try {
      result = JSON.parse(readFileSync(res, "utf8")) as DriverResult;
    } catch {
      result = undefined;
    }
    if (r.code !== 0 || result === undefined)
      throw errors.driverCrashed(formatCommand(python, args), r.code, r.output);
    if (!result.ok) throw driverError(result, request, file);
    return { packages: result.packages, digest: result.digest };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
