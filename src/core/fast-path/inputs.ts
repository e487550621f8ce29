import { createHash } from "node:crypto";
import { goJson } from "./go-json.js";

/**
 * What an image was built from. Images of 0.1 carry it as a label of this name; since 0.2 it is
 * the key under which the project metadata label keeps it (see projectMetadata).
 */
export const INPUTS_LABEL = "dev.ml-buildpacks.inputs";
/** The label the exporter writes from the platform's <layers>/project-metadata.toml. */
export const PROJECT_METADATA_LABEL = "io.buildpacks.project.metadata";
/** project-metadata.toml's source type for images that record their inputs. */
export const PROJECT_SOURCE_TYPE = "ml-buildpacks";

/**
 * Everything a build's result depends on, each as a digest so a miss can say which one changed.
 * Registry credentials, build secrets (BuildRequest.secrets) and the CA bundle are left out: they
 * decide whether downloads work, not what goes into the image; a digest of a secret would also be a
 * way to test guesses of it against the label.
 */
export interface InputParts {
  /** The app's files after the ignore rules. */
  source: string;
  /** Build-time environment (names and values); never the build secrets. */
  env: string;
  /** The builder image's digest (its buildpacks, lifecycle and build image). */
  builder: string;
  /** The run image's digest for the build's platform. */
  runImage: string;
  /** Buildpack ids and versions in the builder. */
  buildpacks: string;
  /** Platform, default process, lifecycle and Platform API, ml-buildpacks version. */
  options: string;
}

export interface RecordedInputs {
  digest: string;
  parts: InputParts;
  /** What a code-only change is checked against (app-layer.ts); not part of the digest. */
  app?: unknown;
}

export const PART_NAMES: Record<keyof InputParts, string> = {
  source: "source files",
  env: "build env",
  builder: "builder image",
  runImage: "run image",
  buildpacks: "buildpack versions",
  options: "build options (platform, default process, lifecycle, ml-buildpacks version)",
};

/** sha256 of a canonical JSON text: object keys sorted, so the order callers build them in is irrelevant. */
export function digestOf(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

/** Pure: the parts of a build's inputs from what the core knows before running any phase. */
export function inputParts(i: {
  sourceDigest: string;
  env: Record<string, string>;
  builderDigest: string;
  runImageDigest: string;
  buildpacks: readonly { id: string; version: string }[];
  platform: string;
  defaultProcess: string | undefined;
  lifecycleVersion: string;
  platformApi: string;
  toolVersion: string;
}): InputParts {
  return {
    source: i.sourceDigest,
    env: digestOf(i.env),
    builder: i.builderDigest,
    runImage: i.runImageDigest,
    buildpacks: digestOf(i.buildpacks.map((b) => `${b.id}@${b.version}`).sort()),
    options: digestOf({
      platform: i.platform,
      defaultProcess: i.defaultProcess ?? "",
      lifecycle: i.lifecycleVersion,
      platformApi: i.platformApi,
      mlBuildpacks: i.toolVersion,
    }),
  };
}

export function recordInputs(parts: InputParts): RecordedInputs {
  return { digest: digestOf(parts), parts };
}

/** Pure: reads the label back; undefined when it is missing or not ours. */
export function parseInputsLabel(text: string | undefined): RecordedInputs | undefined {
  if (!text) return undefined;
  try {
    const doc = JSON.parse(text) as Partial<RecordedInputs>;
    if (typeof doc.digest !== "string" || !doc.parts || typeof doc.parts !== "object") return undefined;
    return doc as RecordedInputs;
  } catch {
    return undefined;
  }
}

/** Pure: which inputs differ between the previous image and this build, in words. */
export function changedInputs(previous: RecordedInputs, current: RecordedInputs): string[] {
  return (Object.keys(PART_NAMES) as (keyof InputParts)[])
    .filter((k) => previous.parts[k] !== current.parts[k])
    .map((k) => PART_NAMES[k]);
}

/** Pure: the recorded inputs as one text, keys sorted: the same whichever code path writes it. */
export function inputsText(inputs: RecordedInputs): string {
  const { digest, parts, app } = inputs;
  // DEL stays raw in JSON but TOML forbids it: escaped, it is the same JSON text to a reader.
  return canonicalJson(app === undefined ? { digest, parts } : { digest, parts, app }).replaceAll(
    "\u007f",
    "\\u007f",
  );
}

export interface ProjectMetadata {
  source: { type: string; metadata: Record<string, string> };
}

/**
 * Pure: <layers>/project-metadata.toml, which the exporter turns into the project metadata label.
 * The inputs go in before the export, so the exporter's image is final: no second config and
 * manifest to push (which would leave the exporter's untagged where a registry refuses deletes),
 * and nothing in a layer (a label of a buildpack's launch.toml would land in the launcher's config
 * layer, which an app-layer swap keeps).
 */
export function projectMetadata(inputs: RecordedInputs): ProjectMetadata {
  return { source: { type: PROJECT_SOURCE_TYPE, metadata: { [INPUTS_LABEL]: inputsText(inputs) } } };
}

/**
 * Pure: the labels that record `inputs`, byte for byte as the exporter writes them from
 * projectMetadata (Go's json.Marshal of the lifecycle's ProjectMetadata: source's type, then its
 * metadata; the empty version left out).
 */
export function inputsLabels(inputs: RecordedInputs): Record<string, string> {
  return { [PROJECT_METADATA_LABEL]: goJson(projectMetadata(inputs)) };
}

/** Pure: the inputs an image records, from its project metadata label or the 0.1 inputs label. */
export function inputsFromLabels(labels: Record<string, string>): RecordedInputs | undefined {
  try {
    const project = JSON.parse(labels[PROJECT_METADATA_LABEL] ?? "{}") as {
      source?: { type?: unknown; metadata?: Record<string, unknown> };
    };
    const text = project.source?.metadata?.[INPUTS_LABEL];
    if (project.source?.type === PROJECT_SOURCE_TYPE && typeof text === "string")
      return parseInputsLabel(text);
  } catch {
    // not JSON: fall through to the older label
  }
  return parseInputsLabel(labels[INPUTS_LABEL]);
}
