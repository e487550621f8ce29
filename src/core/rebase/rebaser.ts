// The lifecycle's own rebaser (/cnb/lifecycle/rebaser) in the builder image of the platform being
// rebased, as each build phase runs: credentials by env name only, never in argv.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BuilderInfo } from "../builder/inspect.js";
import type { Docker } from "../docker.js";
import { MlBuildpacksError } from "../errors.js";
import { formatPlatform } from "../manifest.js";
import type { ProcessRunner } from "../process.js";
import { parseTomlFile } from "../toml.js";
import { rebaseMessages } from "./messages.js";
import type { ArchPlan } from "./plan.js";

const OUT = "/ml-buildpacks";
/** Debian's system CA bundle in the builder image, replaced by --ca-certs as the build does. */
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** Pure: the rebaser's flags (lifecycle 0.21, Platform API 0.12+: cmd/lifecycle/rebaser.go). */
export function rebaserArgs(
  plan: Pick<ArchPlan, "image" | "runImage" | "force" | "output">,
  o: { insecureRegistries: readonly string[]; logLevel: "info" | "debug"; reportPath: string },
): string[] {
  return [
    "-log-level",
    o.logLevel,
    "-no-color",
    "-report",
    o.reportPath,
    // The image is read by digest; the output tag is only written.
    "-previous-image",
    plan.image,
    "-run-image",
    plan.runImage,
    ...(plan.force ? ["-force"] : []),
    ...o.insecureRegistries.flatMap((r) => ["-insecure-registry", r]),
    plan.output,
  ];
}

/** Pure: `docker run` for the rebaser; `envNames` are passed by name (values in docker's own env). */
export function rebaserDockerArgs(o: {
  builder: Pick<BuilderInfo, "ref" | "platform">;
  platformApi: string;
  outDir: string;
  caCerts: string | undefined;
  envNames: readonly string[];
  name: string;
  args: readonly string[];
}): string[] {
  return [
    "run",
    "--rm",
    "--name",
    o.name,
    "--network",
    "host",
    "--platform",
    o.builder.platform,
    // Root reads the credentials, then the rebaser drops to CNB_USER_ID itself.
    "--user",
    "0:0",
    "-v",
    `${o.outDir}:${OUT}`,
    ...(o.caCerts ? ["-v", `${o.caCerts}:${SYSTEM_CA_BUNDLE}:ro`] : []),
    "-e",
    `CNB_PLATFORM_API=${o.platformApi}`,
    ...o.envNames.flatMap((n) => ["-e", n]),
    "--entrypoint",
    "/cnb/lifecycle/rebaser",
    o.builder.ref,
    ...o.args,
  ];
}

/** Pure: the new image's digest from the rebaser's report.toml ([image] digest). */
export function reportDigest(text: string, file: string): string | undefined {
  const report = parseTomlFile(text, file) as { image?: { digest?: unknown } };
  const digest = report.image?.digest;
  return typeof digest === "string" && digest.startsWith("sha256:") ? digest : undefined;
}

/**
 * Where the rebaser runs: in the platform's builder container (docker), or this process's own
 * builder image (local: a Tekton step or GitLab job, no Docker), whose lifecycle rebases an image of
 * any platform (a rebase rewrites manifests and configs; nothing of the image is executed).
 */
export type RebaserHost =
  | { kind: "docker"; docker: Docker }
  | { kind: "local"; run: ProcessRunner; lifecycleDir?: string };

/** Runs the rebaser for one platform; resolves to the new image's digest. */
export async function runRebaser(
  plan: ArchPlan,
  o: {
    host: RebaserHost;
    builder: BuilderInfo;
    platformApi: string;
    caCerts: string | undefined;
    insecureRegistries: readonly string[];
    logLevel: "info" | "debug";
    /** CNB_REGISTRY_AUTH and the proxy variables: in the rebaser's env only, never in argv. */
    env: Record<string, string>;
    onLine: (line: string) => void;
  },
): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "ml-buildpacks-rebase-"));
  const platform = formatPlatform(plan.platform);
  try {
    chmodSync(outDir, 0o777); // written by the CNB user after the rebaser drops root
    const flags = (reportDir: string) =>
      rebaserArgs(plan, {
        insecureRegistries: o.insecureRegistries,
        logLevel: o.logLevel,
        reportPath: `${reportDir}/report.toml`,
      });
    const lines: string[] = [];
    const onLine = (line: string) => {
      lines.push(line);
      o.onLine(line);
    };
    const caCerts = o.caCerts ? resolve(o.caCerts) : undefined;
    const result =
      o.host.kind === "docker"
        ? await o.host.docker.exec(
            rebaserDockerArgs({
              builder: o.builder,
              platformApi: o.platformApi,
              outDir,
              caCerts,
              envNames: Object.keys(o.env),
              name: `ml-buildpacks-rebase-${plan.previousDigest.slice(7, 19)}`,
              args: flags(OUT),
            }),
            { env: o.env, onLine },
          )
        : await o.host.run(join(o.host.lifecycleDir ?? "/cnb/lifecycle", "rebaser"), flags(outDir), {
            env: {
              ...o.env,
              CNB_PLATFORM_API: o.platformApi,
              ...(caCerts ? { SSL_CERT_FILE: caCerts } : {}),
            },
            onLine,
          });
    if (result.exitCode !== 0)
      throw new MlBuildpacksError(
        rebaseMessages.rebaserFailed(platform, result.exitCode, lines.join("\n") || result.stderr),
      );
    let text: string;
    try {
      text = readFileSync(join(outDir, "report.toml"), "utf8");
    } catch {
      throw new MlBuildpacksError(rebaseMessages.rebaserNoReport(platform));
    }
    const digest = reportDigest(text, "report.toml");
    if (!digest) throw new MlBuildpacksError(rebaseMessages.rebaserNoReport(platform));
    return digest;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
