// A build's signer (sign/): opened once the builder is known, whose cosign it runs.
import type { BuilderInfo } from "../builder/inspect.js";
import type { BuildRequest } from "../request.js";
import { cosignPlace, openSigner, type Signer, systemSignerDeps } from "../sign/index.js";
import type { BuildDeps } from "./deps.js";
import type { RegistryAccess } from "./registry-access.js";

export async function openBuildSigner(
  req: BuildRequest,
  builder: BuilderInfo,
  access: RegistryAccess,
  deps: Pick<BuildDeps, "docker" | "log" | "registerSecret" | "env">,
): Promise<Signer | undefined> {
  const { sign } = req;
  if (!sign || !req.publish) return undefined;
  const signerDeps = systemSignerDeps(deps.env ?? process.env, deps.log, deps.registerSecret);
  const auth = JSON.parse(access.lifecycleEnv().CNB_REGISTRY_AUTH ?? "{}") as Record<string, string>;
  const place = cosignPlace(signerDeps.env, signerDeps.isFile, {
    docker: deps.docker.binary,
    ref: builder.ref,
    platform: builder.platform,
  });
  return deps.log.group("Opening the signing key (cosign)", () =>
    openSigner(
      sign,
      place,
      { auth, caCerts: req.caCerts, insecureRegistries: req.insecureRegistries },
      signerDeps,
    ),
  );
}
