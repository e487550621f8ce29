import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "../core/build/index.js";
import { createBuilder } from "../core/builder/create.js";
import { Docker } from "../core/docker.js";
import { MlBuildpacksError, renderError } from "../core/errors.js";
import { dockerSocketPath, preExportDir } from "../core/executor/docker.js";
import { executorFactory } from "../core/executor/factory.js";
import { LOCAL_LIFECYCLE, localBuilderInfo } from "../core/executor/local.js";
import { formatImageRef, parseImageRef } from "../core/image-ref.js";
import { ConsoleLogger, formatDuration, systemClock } from "../core/log.js";
import { createIndex, formatPlatform } from "../core/manifest.js";
import { tagManifest } from "../core/manifest-tag.js";
import { messages } from "../core/messages.js";
import { runProcess } from "../core/process.js";
import { type RebaseReport, rebase } from "../core/rebase/index.js";
import { RegistryClient } from "../core/registry/client.js";
import { resolveRegistryAuth } from "../core/registry/credentials.js";
import { type BuildReport, renderSummary } from "../core/report.js";
import { MaskingLogger } from "../core/secrets.js";
import { openIndexSigner, systemSignerDeps } from "../core/sign/index.js";
import { ML_BUILDPACKS_VERSION } from "../core/version.js";
import { chooseExecutor, parseCommand } from "./args.js";

/** A file's text, or undefined when it cannot be read (--secret src=). */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Is the Docker daemon's socket there and usable by this process? */
function dockerReachable(): boolean {
  const socket = dockerSocketPath(process.env);
  try {
    accessSync(socket, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** dist/cli (this bundle's own dir when running bundled; from the sources, the repo's dist/cli). */
function cliBundleDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, "index.js")) ? here : join(here, "..", "..", "dist", "cli");
}

/** The CLI: parse, run one command, render errors; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  // Masks whatever secrets the build registers, in its output and in its errors alike.
  const log = new MaskingLogger(new ConsoleLogger());
  try {
    const command = parseCommand(
      argv,
      process.env,
      (path) => existsSync(path) && statSync(path).isFile(),
      readText,
    );
    const docker = new Docker(runProcess);
    switch (command.kind) {
      case "help":
        log.info(command.text);
        return 0;
      case "version":
        log.info(ML_BUILDPACKS_VERSION);
        return 0;
      case "builder-create":
        await createBuilder(
          { ...command.request, cliDir: command.request.cliDir ?? cliBundleDir() },
          { docker, run: runProcess, log },
        );
        return 0;
      case "manifest-create": {
        const registries = [command.image, ...command.children.map((c) => formatImageRef(c.ref))].map(
          (r) => parseImageRef(r).registry,
        );
        const auth = resolveRegistryAuth([...new Set(registries)]);
        const { caCerts, insecureRegistries } = command;
        const target = parseImageRef(command.image);
        const signer =
          command.sign &&
          (await openIndexSigner(command.sign, {
            builderRef: command.builder,
            docker: docker.binary,
            access: { auth, caCerts, insecureRegistries },
            deps: systemSignerDeps(process.env, log, (s) => log.register(s)),
          }));
        const result = await createIndex(command.image, command.children, {
          clientFor: (registry) => new RegistryClient(registry, { auth, caCerts, insecureRegistries }),
          log,
          ...(signer
            ? {
                beforeTag: (digest: string) => signer.sign(target.repository, target.registry, digest, false),
              }
            : {}),
        });
        log.info(`\nPushed ${result.image}@${result.digest}`);
        for (const m of result.manifests)
          log.info(`  ${formatPlatform(m.platform ?? { os: "?", architecture: "?" })}  ${m.digest}`);
        log.info(result.digest);
        return 0;
      }
      case "manifest-tag": {
        const registries = [command.image, ...command.tags].map((r) => parseImageRef(r).registry);
        const auth = resolveRegistryAuth([...new Set(registries)]);
        const { caCerts, insecureRegistries } = command;
        const result = await tagManifest(command.image, command.tags, {
          clientFor: (registry) => new RegistryClient(registry, { auth, caCerts, insecureRegistries }),
          log,
        });
        log.info(result.digest);
        return 0;
      }
      case "rebase": {
        const executor = chooseExecutor(command.executor, {
          insideBuilder: existsSync(LOCAL_LIFECYCLE),
          dockerReachable: dockerReachable(),
        });
        const local =
          executor === "local"
            ? {
                run: runProcess,
                builder: await localBuilderInfo({ ref: command.request.builder, run: runProcess }),
              }
            : undefined;
        const report = await rebase(command.request, {
          docker,
          log,
          local,
          registerSecret: (secret) => log.register(secret),
        });
        log.info(`\n${rebaseSummary(report)}`);
        if (command.reportFile) writeFileSync(command.reportFile, `${JSON.stringify(report, null, 2)}\n`);
        return 0;
      }
      case "build": {
        const req = command.request;
        const executor = chooseExecutor(command.executor, {
          insideBuilder: existsSync(LOCAL_LIFECYCLE),
          dockerReachable: dockerReachable(),
        });
        let resolved: Awaited<ReturnType<typeof localBuilderInfo>> | undefined;
        if (executor === "local") {
          if (!req.publish)
            throw new MlBuildpacksError(
              messages.usage(
                "--no-publish needs the docker executor (the local executor pushes to a registry)",
                "drop --no-publish or pass --executor docker",
              ),
            );
          if (req.memoryLimit)
            throw new MlBuildpacksError(
              messages.usage(
                "--memory limits the docker executor's containers; the local executor runs in the CI's own container",
                "set the job's memory limit in the CI instead, or pass --executor docker",
              ),
            );
          // No Docker: the builder is the image this process runs in.
          resolved = await localBuilderInfo({ ref: req.builder, run: runProcess });
          log.info(
            `local executor: builder ${req.builder} (this container), ${resolved.platform}, lifecycle ${resolved.lifecycleVersion}, CNB user ${resolved.uid}:${resolved.gid}`,
          );
          if (req.platform && req.platform !== resolved.platform)
            throw new MlBuildpacksError(
              messages.unsupportedPlatform(req.platform, req.builder, resolved.platform),
            );
        }
        const report = await build(
          req,
          {
            docker,
            log,
            clock: systemClock,
            registerSecret: (secret) => log.register(secret),
            makeExecutor: executorFactory(
              { kind: executor, docker, log, run: runProcess, preExportDir: preExportDir(import.meta.url) },
              req,
            ),
          },
          resolved,
        );
        log.info(
          `\n${headline(report)} ${report.imageRef} in ${formatDuration(report.totalMs)}\n${renderSummary(report)}`,
        );
        if (command.reportFile) writeFileSync(command.reportFile, `${JSON.stringify(report, null, 2)}\n`);
        return 0;
      }
    }
  } catch (err) {
    log.error(`\n${renderError(err)}`);
    return typeof (err as { exitCode?: unknown }).exitCode === "number"
      ? (err as { exitCode: number }).exitCode
      : 1;
  }
}

/** The build's last line says how the image came to be. */
function headline(report: BuildReport): string {
  if (!report.fastPath.used) return "Successfully built";
  return report.fastPath.appLayerOnly
    ? "Built by replacing the app layer (no phase ran):"
    : "Up to date (inputs unchanged, no phase ran):";
}

/** What a rebase changed, one line per platform, the list's digest last. */
function rebaseSummary(report: RebaseReport): string {
  const lines = report.platforms.map(
    (p) =>
      `  ${p.platform}  ${p.rebased ? `${p.previousDigest} -> ${p.digest}` : `${p.digest} (already on that run image)`}`,
  );
  const changed = report.platforms.some((p) => p.rebased);
  const head = changed ? `Rebased ${report.image}` : `${report.image} is up to date`;
  return [head, ...lines, report.indexDigest ?? report.platforms[0]?.digest ?? ""].join("\n");
}
