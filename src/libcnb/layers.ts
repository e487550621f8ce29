// Layers in <layers>/<buildpack-id>/ (Buildpack API 0.10).
//
// What the lifecycle (v0.21) restores before build, and what that means here:
// - <name>.toml comes back with [metadata] only, never [types]: a layer takes part in this build only
//   if the buildpack writes the toml again with its flags (write()). Unwritten layers are dropped.
// - launch=true, cache=false, build=false: the toml is restored from the previous image, the contents
//   are not. Writing the toml again WITHOUT creating <name>/ makes the exporter reuse the previous
//   image's layer as is ("Reusing layer"). Creating the directory (even just env files) would export
//   a new layer with only what is in it.
// - launch=true, build=true, cache=false: nothing is restored; the layer is always rebuilt.
// - cache=true: toml and contents are restored from the cache (if its sha matches), otherwise neither.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SBOM_EXTENSIONS, type SbomComponent, type SbomSubject, sbomFiles } from "../sbom/documents.js";
import { type LayerEnv, layerEnv } from "./env.js";
import { isTable, parseToml, stringifyToml, type TomlTable } from "./toml.js";

export interface LayerFlags {
  /** Available to later buildpacks in this build (PATH etc. and env.build). */
  build: boolean;
  /** Exported into the app image. */
  launch: boolean;
  /** Saved in the build cache and restored next build. */
  cache: boolean;
}

/** Turns restored [metadata] into typed metadata; returns undefined if the shape is not what it expects. */
export type MetadataDecoder<M> = (raw: TomlTable) => M | undefined;

const RESERVED = new Set(["launch", "build", "store"]);

export class Layers {
  /** `dir` is CNB_LAYERS_DIR (already <layers>/<escaped buildpack id>). */
  constructor(readonly dir: string) {}

  get<M extends object = TomlTable>(name: string, decode?: MetadataDecoder<M>): Layer<M> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || RESERVED.has(name)) {
      throw new Error(`invalid layer name ${JSON.stringify(name)}`);
    }
    return new Layer<M>(this.dir, name, decode);
  }
}

export class Layer<M extends object = TomlTable> {
  readonly path: string;
  readonly tomlPath: string;
  readonly env: LayerEnv;
  /** Raw [metadata] restored by the lifecycle; undefined when there was no <name>.toml. */
  readonly restored: TomlTable | undefined;
  /** Typed restored metadata; undefined when absent or when the decoder rejected it. */
  readonly metadata: M | undefined;
  /** Why the restored toml could not be read, if it couldn't (the layer is then treated as new). */
  readonly restoreProblem: string | undefined;

  constructor(
    dir: string,
    readonly name: string,
    decode?: MetadataDecoder<M>,
  ) {
    this.path = join(dir, name);
    this.tomlPath = `${this.path}.toml`;
    this.env = layerEnv(this.path);
    let restored: TomlTable | undefined;
    let problem: string | undefined;
    if (existsSync(this.tomlPath)) {
      try {
        const toml = parseToml(readFileSync(this.tomlPath, "utf8"), this.tomlPath);
        restored = isTable(toml.metadata) ? toml.metadata : {};
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
    }
    this.restored = restored;
    this.restoreProblem = problem;
    this.metadata = restored === undefined ? undefined : decode ? decode(restored) : (restored as M);
  }

  /** True if <layers>/<name>/ exists locally (restored from cache, or created in this build). */
  hasContents(): boolean {
    try {
      return statSync(this.path).isDirectory();
    } catch {
      return false;
    }
  }

  /** Discards contents and metadata, leaving an empty directory to build the layer from scratch. */
  reset(): void {
    this.remove();
    mkdirSync(this.path, { recursive: true });
  }

  /** Deletes contents and metadata: the layer will not exist after this build. */
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
    rmSync(this.tomlPath, { force: true });
    rmSync(`${this.path}.sha`, { force: true });
    for (const ext of Object.values(SBOM_EXTENSIONS)) rmSync(`${this.path}.sbom.${ext}`, { force: true });
  }

  /**
   * Writes <name>.sbom.cdx.json and <name>.sbom.spdx.json (buildpack.toml lists both formats in
   * sbom-formats). A reused launch layer keeps the SBOM the lifecycle restored with its toml.
   */
  writeSbom(subject: SbomSubject, components: readonly SbomComponent[]): void {
    mkdirSync(join(this.path, ".."), { recursive: true });
    for (const [ext, text] of Object.entries(sbomFiles(subject, components)))
      writeFileSync(`${this.path}.sbom.${ext}`, text);
  }

  /**
   * Writes <name>.toml with [types] and [metadata]. Call it for every layer that should exist after
   * this build, including reused ones (the restored toml carries no types).
   */
  write(metadata: M, flags: Partial<LayerFlags>): void {
    const types: LayerFlags = { build: false, launch: false, cache: false, ...flags };
    const contents = this.hasContents();
    if (types.cache && !contents) {
      throw new Error(`layer ${this.name}: cache=true needs contents, but ${this.path} does not exist`);
    }
    if (types.launch && !contents && this.restored === undefined) {
      throw new Error(
        `layer ${this.name}: launch=true without contents reuses the previous image's layer, but no metadata was restored for it`,
      );
    }
    mkdirSync(join(this.path, ".."), { recursive: true });
    writeFileSync(this.tomlPath, stringifyToml({ types, metadata }));
  }
}
