// Env files in a layer (Buildpack API 0.10): <layer>/env, env.build, env.launch and env.launch/<process>.
// A file NAME.<action> holds the value; NAME.delim the delimiter used by prepend/append. Without a
// .delim file the lifecycle concatenates with no delimiter, so prepend/append default to ":".
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type EnvAction = "override" | "default" | "prepend" | "append";

export class EnvDir {
  constructor(readonly path: string) {}

  /** NAME=value, replacing any earlier value. */
  override(name: string, value: string): this {
    return this.file(`${name}.override`, value);
  }

  /** NAME=value unless an earlier buildpack or the platform already set it. */
  default(name: string, value: string): this {
    return this.file(`${name}.default`, value);
  }

  /** value<delim>$NAME ("" for no delimiter). */
  prepend(name: string, value: string, delim = ":"): this {
    this.file(`${name}.prepend`, value);
    return this.delim(name, delim);
  }

  /** $NAME<delim>value ("" for no delimiter). */
  append(name: string, value: string, delim = ":"): this {
    this.file(`${name}.append`, value);
    return this.delim(name, delim);
  }

  delim(name: string, delim: string): this {
    return this.file(`${name}.delim`, delim);
  }

  private file(fileName: string, content: string): this {
    validateEnvName(fileName.slice(0, fileName.lastIndexOf(".")));
    mkdirSync(this.path, { recursive: true });
    writeFileSync(join(this.path, fileName), content);
    return this;
  }
}

function validateEnvName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
}

export interface LayerEnv {
  /** <layer>/env: applied at build (for build=true layers) and at launch (for launch=true layers). */
  readonly shared: EnvDir;
  /** <layer>/env.build: build time only, for later buildpacks. */
  readonly build: EnvDir;
  /** <layer>/env.launch: every process at launch. */
  readonly launch: EnvDir;
  /** <layer>/env.launch/<process>: one process type at launch. */
  launchFor(processType: string): EnvDir;
}

export function layerEnv(layerPath: string): LayerEnv {
  return {
    shared: new EnvDir(join(layerPath, "env")),
    build: new EnvDir(join(layerPath, "env.build")),
    launch: new EnvDir(join(layerPath, "env.launch")),
    launchFor: (processType) => new EnvDir(join(layerPath, "env.launch", processType)),
  };
}
