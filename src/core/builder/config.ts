import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { MlBuildpacksError } from "../errors.js";
import { messages } from "../messages.js";
import { fillBuilderTemplate } from "../published.js";
import { lineOf, parseTomlFile } from "../toml.js";
import type { OrderEntry } from "./metadata.js";

/** A builder.toml in pack's format (old [stack] and new [build]/[[run.images]] forms), validated. */
export interface BuilderConfig {
  file: string;
  description: string;
  stackId: string | undefined;
  buildImage: string;
  runImages: { image: string; mirrors: string[] }[];
  /** Absolute directories of the buildpacks to include. */
  buildpackDirs: string[];
  order: { group: OrderEntry[] }[];
  lifecycleVersion: string | undefined;
}

export interface BuildpackDescriptor {
  dir: string;
  api: string;
  id: string;
  version: string;
  name: string | undefined;
  homepage: string | undefined;
  targets: { os: string; arch: string }[];
  stacks: { id: string }[];
}

const TOP_LEVEL_KEYS = ["description", "stack", "build", "run", "buildpacks", "order", "lifecycle"];

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/**
 * Reads a builder.toml; a template (${namespace}, ${version}, ${line} in image names) is filled with
 * `names`, so one file serves the published release, a mirror and the lab.
 */
export function readBuilderConfig(file: string, names?: BuilderNames): BuilderConfig {
  if (!existsSync(file)) throw new MlBuildpacksError(messages.fileNotFound(file, "builder config"));
  return parseBuilderConfig(builderConfigText(file, names), file);
}

export interface BuilderNames {
  namespace: string;
  version: string;
  /** The builder's architecture (amd64, arm64): its build image is that architecture's. */
  arch?: string;
}

/** The builder.toml's text with its template filled (unchanged when it has no placeholders). */
export function builderConfigText(file: string, names?: BuilderNames): string {
  const text = readFileSync(file, "utf8");
  return names ? fillBuilderTemplate(text, names) : text;
}

/** Pure apart from checking that buildpack directories exist. */
export function parseBuilderConfig(text: string, file: string): BuilderConfig {
  const doc = parseTomlFile(text, file);
  const fail = (problem: string, hint: string, line?: number): never => {
    throw new MlBuildpacksError(messages.builderConfigInvalid({ file, line }, problem, hint));
  };
  const placeholder = /\$\{(\w+)\}/.exec(text);
  if (placeholder)
    fail(
      `unfilled placeholder \${${placeholder[1]}}`,
      "it is a template: pass --namespace and --version to builder create, or write the image names out",
      lineOf(text, /\$\{\w+\}/),
    );

  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.includes(key))
      fail(
        `unknown key "${key}"`,
        `remove it; known keys: ${TOP_LEVEL_KEYS.join(", ")}`,
        lineOf(text, (line) => startsWithKey(line, key)),
      );
  }

  const stack = isTable(doc.stack) ? doc.stack : {};
  const build = isTable(doc.build) ? doc.build : {};
  const run = isTable(doc.run) ? doc.run : {};

  const buildImage = str(build.image) ?? str(stack["build-image"]);
  if (!buildImage)
    fail(
      "no build image",
      'set [build] image = "..." (or [stack] build-image = "...")',
      lineOf(text, /^\s*\[(stack|build)\]/),
    );

  const runImages: BuilderConfig["runImages"] = [];
  if (Array.isArray(run.images)) {
    for (const [i, entry] of run.images.entries()) {
      const image = isTable(entry) ? str(entry.image) : undefined;
      if (!image)
        fail(
          `[[run.images]] entry ${i + 1} has no image`,
          'add image = "registry/run-image:tag"',
          lineOf(text, /^\s*\[\[run\.images\]\]/),
        );
      runImages.push({
        image: image as string,
        mirrors: stringList(isTable(entry) ? entry.mirrors : undefined),
      });
    }
  } else if (str(stack["run-image"])) {
    runImages.push({
      image: str(stack["run-image"]) as string,
      mirrors: stringList(stack["run-image-mirrors"]),
    });
  }
  if (runImages.length === 0)
    fail(
      "no run image",
      'add [[run.images]] image = "..." (or [stack] run-image = "...")',
      lineOf(text, /^\s*\[(stack|build)\]/),
    );

  const baseDir = dirname(resolve(file));
  const buildpackDirs: string[] = [];
  const buildpacks = Array.isArray(doc.buildpacks) ? doc.buildpacks : [];
  let searchFrom = 0;
  for (const [i, entry] of buildpacks.entries()) {
    const line = lineOf(text, /^\s*\[\[buildpacks\]\]/, searchFrom);
    searchFrom = line ?? searchFrom;
    const uri = isTable(entry) ? str(entry.uri) : undefined;
    if (!uri)
      fail(
        `[[buildpacks]] entry ${i + 1} has no uri`,
        'add uri = "path/to/buildpack" (relative to this file)',
        line,
      );
    if (/^[a-z]+:\/\//.test(uri as string) && !(uri as string).startsWith("file://"))
      fail(
        `buildpack uri "${uri}" is not a local directory`,
        "ml-buildpacks builders take buildpacks from local directories",
        line,
      );
    const dir = resolve(baseDir, (uri as string).replace(/^file:\/\//, ""));
    if (!existsSync(join(dir, "buildpack.toml")))
      fail(
        `buildpack uri "${uri}" has no buildpack.toml (looked in ${dir})`,
        "point uri at a buildpack directory, relative to this file",
        line,
      );
    buildpackDirs.push(dir);
  }
  if (buildpackDirs.length === 0) fail("no [[buildpacks]]", 'add at least one [[buildpacks]] uri = "..."');

  const order: BuilderConfig["order"] = [];
  searchFrom = 0;
  for (const [i, entry] of (Array.isArray(doc.order) ? doc.order : []).entries()) {
    const line = lineOf(text, /^\s*\[\[order\]\]/, searchFrom);
    searchFrom = line ?? searchFrom;
    const group = isTable(entry) && Array.isArray(entry.group) ? entry.group : [];
    if (group.length === 0)
      fail(
        `[[order]] ${i + 1} has no group entries`,
        "add [[order.group]] tables with id (and version)",
        line,
      );
    order.push({
      group: group.map((g) => {
        const id = isTable(g) ? str(g.id) : undefined;
        if (!id) fail(`an [[order.group]] in [[order]] ${i + 1} has no id`, 'add id = "buildpack/id"', line);
        const t = g as Table;
        return {
          id: id as string,
          ...(str(t.version) ? { version: t.version as string } : {}),
          ...(t.optional === true ? { optional: true } : {}),
        };
      }),
    });
  }
  if (order.length === 0)
    fail("no [[order]] groups", "add at least one [[order]] with [[order.group]] entries");

  const lifecycle = isTable(doc.lifecycle) ? doc.lifecycle : {};
  return {
    file,
    description: str(doc.description) ?? "",
    stackId: str(stack.id),
    buildImage: buildImage as string,
    runImages,
    buildpackDirs,
    order,
    lifecycleVersion: str(lifecycle.version),
  };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function readBuildpackDescriptor(dir: string): BuildpackDescriptor {
  const file = join(dir, "buildpack.toml");
  const text = readFileSync(file, "utf8");
  const doc = parseTomlFile(text, file);
  const bp = isTable(doc.buildpack) ? doc.buildpack : {};
  const fail = (problem: string, hint: string): never => {
    throw new MlBuildpacksError(
      messages.builderConfigInvalid({ file, line: lineOf(text, /^\s*\[buildpack\]/) }, problem, hint),
    );
  };
  const id = str(bp.id) ?? fail("[buildpack] has no id", 'add id = "org/name"');
  const version = str(bp.version) ?? fail("[buildpack] has no version", 'add version = "0.1.0"');
  const api = str(doc.api) ?? fail('no api = "0.10" at the top', "declare the Buildpack API version");
  if (!statSync(dir).isDirectory()) fail("not a directory", "point at the buildpack directory");
  return {
    dir,
    api: api as string,
    id: id as string,
    version: version as string,
    name: str(bp.name),
    homepage: str(bp.homepage),
    targets: (Array.isArray(doc.targets) ? doc.targets : [])
      .filter(isTable)
      .map((t) => ({ os: String(t.os ?? "linux"), arch: String(t.arch ?? "") })),
    stacks: (Array.isArray(doc.stacks) ? doc.stacks : []).filter(isTable).map((s) => ({ id: String(s.id) })),
  };
}

/** Checks every order entry names an included buildpack (and version); fills in missing versions. */
export function resolveOrder(
  config: BuilderConfig,
  buildpacks: BuildpackDescriptor[],
  text: string,
): BuilderConfig["order"] {
  return config.order.map(({ group }) => ({
    group: group.map((entry) => {
      const matches = buildpacks.filter(
        (b) => b.id === entry.id && (!entry.version || b.version === entry.version),
      );
      const first = matches[0];
      if (!first) {
        const known = buildpacks.map((b) => `${b.id}@${b.version}`).join(", ");
        throw new MlBuildpacksError(
          messages.builderConfigInvalid(
            {
              file: config.file,
              line: lineOf(text, (line) => /\bid\s*=/.test(line) && line.includes(`"${entry.id}"`)),
            },
            `order group entry ${entry.id}${entry.version ? `@${entry.version}` : ""} is not among the [[buildpacks]]`,
            `use one of: ${known}`,
          ),
        );
      }
      return { ...entry, version: first.version };
    }),
  }));
}

/** The line defines `key` (bare, quoted or as a [table]): plain string tests, as a key can be any text. */
function startsWithKey(line: string, key: string): boolean {
  const rest = line.replace(/^\s*\[*\s*["']?/, "");
  return rest.startsWith(key) && !/[\w-]/.test(rest.charAt(key.length));
}
