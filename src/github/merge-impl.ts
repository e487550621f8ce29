import { existsSync, statSync } from "node:fs";
import * as core from "@actions/core";
import { renderError } from "../core/errors.js";
import { formatImageRef, parseImageRef } from "../core/image-ref.js";
import { createIndex, type IndexChild } from "../core/manifest.js";
import { RegistryClient } from "../core/registry/client.js";
import { resolveRegistryAuth, secretsOf } from "../core/registry/credentials.js";
import { defaultCaCerts } from "../core/request.js";
import { ActionsLogger } from "./logger.js";
import { parseMergeInputs } from "./merge-inputs.js";

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
    const result = await createIndex(inputs.image, children, { clientFor, log });
    log.info(`Pushed ${result.image}@${result.digest}`);
    core.setOutput("digest", result.digest);
    core.setOutput("image", result.image);
  } catch (err) {
    core.setFailed(renderError(err));
  }
}
