// Credentials and clients for every registry a build talks to. Secrets are handed to the adapter's
// log masking as soon as they are read; the lifecycle gets them only through CNB_REGISTRY_AUTH.
import { RegistryClient } from "../registry/client.js";
import { type RegistryAuthMap, resolveRegistryAuth, secretsOf } from "../registry/credentials.js";
import type { BuildRequest } from "../request.js";
import type { BuildDeps } from "./deps.js";

export class RegistryAccess {
  private auth: RegistryAuthMap;
  /** Registries whose credentials were looked up (found or not). */
  private readonly asked = new Set<string>();
  private readonly warn: { warn: (m: string) => void };

  constructor(
    registries: string[],
    private readonly req: Pick<BuildRequest, "caCerts" | "insecureRegistries">,
    private readonly deps: Pick<BuildDeps, "env" | "log" | "registerSecret">,
  ) {
    this.warn = { warn: (m: string) => deps.log.warn(m) };
    this.auth = this.read(registries);
  }

  readonly clientFor = (registry: string): RegistryClient =>
    new RegistryClient(registry, {
      auth: this.auth,
      caCerts: this.req.caCerts,
      insecureRegistries: this.req.insecureRegistries,
      env: this.deps.env,
    });

  /** Adds registries found later (the builder's run images); credentials already read win. */
  add(registries: string[]): void {
    const more = registries.filter((r, i) => !this.asked.has(r) && registries.indexOf(r) === i);
    if (more.length) this.auth = { ...this.read(more), ...this.auth };
  }

  /** The phases' environment: the credentials for the lifecycle, or nothing without any. */
  lifecycleEnv(): Record<string, string> {
    return Object.keys(this.auth).length ? { CNB_REGISTRY_AUTH: JSON.stringify(this.auth) } : {};
  }

  private read(registries: string[]): RegistryAuthMap {
    for (const r of registries) this.asked.add(r);
    const auth = resolveRegistryAuth(registries, this.deps.env, undefined, this.warn);
    for (const secret of secretsOf(auth)) this.deps.registerSecret?.(secret);
    return auth;
  }
}
