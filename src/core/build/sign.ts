// A build's signer (sign/): opened once the builder is known, whose cosign it runs.
import { existsSync, readFileSync, statSync } from "node:fs";
import type { BuilderInfo } from "../builder/inspect.js";
import { runProcess } from "../process.js";
import type { BuildRequest } from "../request.js";
import { cosignPlace, openSigner, type Signer } from "../sign/index.js";
import type { BuildDeps } from "./deps.js";
import type { RegistryAccess } from "./registry-access.js";

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

export async function openBuildSigner(
  req: BuildRequest,
  builder: BuilderInfo,
  access: RegistryAccess,
  deps: Pick<BuildDeps, "docker" | "log" | "registerSecret" | "env">,
): Promise<Signer | undefined> {
  if (!req.sign || !req.publish) return undefined;
  const env = deps.env ?? process.env;
  const auth = JSON.parse(access.lifecycleEnv().CNB_REGISTRY_AUTH ?? "{}") as Record<string, string>;
  return deps.log.group("Opening the signing key (cosign)", () =>
    openSigner(
      req.sign as NonNullable<BuildRequest["sign"]>,
      cosignPlace(env, isFile, { docker: deps.docker.binary, ref: builder.ref, platform: builder.platform }),
      { auth, caCerts: req.caCerts, insecureRegistries: req.insecureRegistries },
      {
        run: runProcess,
        env,
        isFile,
        readFile: (path) => readFileSync(path, "utf8"),
        log: deps.log,
        registerSecret: deps.registerSecret,
      },
    ),
  );
}
