import { existsSync, statSync, writeFileSync } from "node:fs";
import { build } from "../core/build.js";
import { createBuilder } from "../core/builder/create.js";
import { Docker } from "../core/docker.js";
import { renderError } from "../core/errors.js";
import { DockerExecutor } from "../core/executor/docker.js";
import { formatImageRef, parseImageRef } from "../core/image-ref.js";
import { ConsoleLogger, formatDuration, systemClock } from "../core/log.js";
import { createIndex, formatPlatform } from "../core/manifest.js";
import { runProcess } from "../core/process.js";
import { RegistryClient } from "../core/registry/client.js";
import { resolveRegistryAuth } from "../core/registry/credentials.js";
import { renderSummary } from "../core/report.js";
import { ML_BUILDPACKS_VERSION } from "../core/version.js";
import { parseCommand } from "./args.js";

/** The CLI: parse, run one command, render errors; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const log = new ConsoleLogger();
  try {
    const command = parseCommand(argv, process.env, (path) => existsSync(path) && statSync(path).isFile());
    const docker = new Docker(runProcess);
    switch (command.kind) {
      case "help":
        log.info(command.text);
        return 0;
      case "version":
        log.info(ML_BUILDPACKS_VERSION);
        return 0;
      case "builder-create":
        await createBuilder(command.request, { docker, run: runProcess, log });
        return 0;
      case "manifest-create": {
        const registries = [command.image, ...command.children.map((c) => formatImageRef(c.ref))].map(
          (r) => parseImageRef(r).registry,
        );
        const auth = resolveRegistryAuth([...new Set(registries)]);
        const result = await createIndex(command.image, command.children, {
          clientFor: (registry) => new RegistryClient(registry, { auth }),
          log,
        });
        log.info(`\nPushed ${result.image}@${result.digest}`);
        for (const m of result.manifests)
          log.info(`  ${formatPlatform(m.platform ?? { os: "?", architecture: "?" })}  ${m.digest}`);
        log.info(result.digest);
        return 0;
      }
      case "build": {
        const req = command.request;
        const report = await build(req, {
          docker,
          log,
          clock: systemClock,
          makeExecutor: (builder, platformApi, secretEnv) =>
            new DockerExecutor({
              docker,
              builder,
              appDir: req.appDir,
              cacheDir: req.cacheDir,
              buildEnv: req.env,
              caCerts: req.caCerts,
              platformApi,
              secretEnv,
            }),
        });
        log.info(
          `\nSuccessfully built ${report.imageRef} in ${formatDuration(report.totalMs)}\n${renderSummary(report)}`,
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
