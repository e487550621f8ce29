import { existsSync, statSync } from "node:fs";
import * as core from "@actions/core";
import { defaultDockerBinary } from "../core/docker.js";
import { renderError } from "../core/errors.js";
import { formatImageRef, imageName, parseImageRef } from "../core/image-ref.js";
import { createIndex, type IndexChild } from "../core/manifest.js";
import { defaultBuilder } from "../core/published.js";
import { RegistryClient } from "../core/registry/client.js";
import { resolveRegistryAuth, secretsOf } from "../core/registry/credentials.js";
import { defaultCaCerts } from "../core/request.js";
import { maskablesOf } from "../core/secrets.js";
import { openIndexSigner, systemSignerDeps } from "../core/sign/index.js";
import { ActionsLogger } from "./logger.js";
import { parseMergeInputs } from "./merge-inputs.js";
import { parseSignInputs } from "./sign-inputs.js";

/** The merge sub-action (merge/action.yml): per-arch images -> one pushed OCI image index. */
export async function runMerge(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = new ActionsLogger();
  try {
    const inputs = parseMergeInputs((name) => core.getInput(name));
    const registries = [...new Set([inputs.image, ...inputs.sources.map((s) => formatImageRef(s.ref))])].map(
      (r) => parseImageRef(r).registry,
    );
    const auth = resolveRegistryAuth([...new Set(registries)], env);
    for (const secret of secretsOf(auth)) core.setSecret(secret);
    const caCerts = defaultCaCerts(env, (p) => existsSync(p) && statSync(p).isFile());
    const clients = new Map<string, RegistryClient>();
    const clientFor = (registry: string) => {
      const known = clients.get(registry);
      if (known) return known;
      const client = new RegistryClient(registry, { auth, caCerts, env });
      clients.set(registry, client);
      return client;
    };
    const children: IndexChild[] = inputs.sources;
    const signing = parseSignInputs((name) => core.getInput(name), true);
    for (const value of Object.values(signing.env)) for (const m of maskablesOf(value)) core.setSecret(m);
    const target = parseImageRef(inputs.image);
    const signer =
      signing.sign &&
      (await openIndexSigner(signing.sign, {
        builderRef: defaultBuilder(env, "cpu"),
        docker: defaultDockerBinary(),
        access: { auth, caCerts, insecureRegistries: [] },
        deps: systemSignerDeps({ ...env, ...signing.env }, log, (s) => core.setSecret(s)),
      }));
    // Signed by digest before the tag is written: the tag never names an unsigned index.
    const result = await createIndex(inputs.image, children, {
      clientFor,
      log,
      ...(signer
        ? { beforeTag: (digest: string) => signer.sign(target.repository, target.registry, digest, false) }
        : {}),
    });
    log.info(`Pushed ${result.image}@${result.digest}`);
    core.setOutput("digest", result.digest);
    core.setOutput("image", result.image);
    core.setOutput("name", imageName(parseImageRef(result.image)));
  } catch (err) {
    core.setFailed(renderError(err));
  }
}
