// A build's (or a rebase's) signer (sign/): opened once the builder is known, whose cosign it runs.
import type { BuilderInfo } from "../builder/inspect.js";
import type { BuildRequest } from "../request.js";
import { cosignPlace, openSigner, type Signer, type SignOptions, systemSignerDeps } from "../sign/index.js";
import type { BuildDeps } from "./deps.js";
import type { RegistryAccess } from "./registry-access.js";

type SignerOpenDeps = Pick<BuildDeps, "docker" | "log" | "registerSecret">;

export async function openBuildSigner(
  req: BuildRequest,
  builder: BuilderInfo,
  access: RegistryAccess,
  deps: SignerOpenDeps & Pick<BuildDeps, "env">,
): Promise<Signer | undefined> {
  const { sign } = req;
  if (!sign || !req.publish) return undefined;
  return openSignerWith(sign, req, builder, access, deps, deps.env ?? process.env);
}

/**
 * cosign on this machine or in this builder, else `builder`'s image through Docker; it pushes the
 * signatures with the registry credentials the lifecycle has.
 */
export function openSignerWith(
  sign: SignOptions,
  tls: Pick<BuildRequest, "caCerts" | "insecureRegistries">,
  builder: Pick<BuilderInfo, "ref" | "platform"> | undefined,
  access: RegistryAccess,
  deps: SignerOpenDeps,
  env: NodeJS.ProcessEnv,
): Promise<Signer> {
  const signerDeps = systemSignerDeps(env, deps.log, deps.registerSecret);
  const auth = JSON.parse(access.lifecycleEnv().CNB_REGISTRY_AUTH ?? "{}") as Record<string, string>;
  const place = cosignPlace(
    signerDeps.env,
    signerDeps.isFile,
    builder && { docker: deps.docker.binary, ref: builder.ref, platform: builder.platform },
  );
  return deps.log.group("Opening the signing key (cosign)", () =>
    openSigner(
      sign,
      place,
      { auth, caCerts: tls.caCerts, insecureRegistries: tls.insecureRegistries },
      signerDeps,
    ),
  );
}
