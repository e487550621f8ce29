import { createHash } from "node:crypto";

/** The image label that records what an image was built from. */
export const INPUTS_LABEL = "dev.ml-buildpacks.inputs";

/**
 * Everything a build's result depends on, each as a digest so a miss can say which one changed.
 * Registry credentials and the CA bundle are left out: they decide whether downloads work, not what
 * goes into the image.
 */
export interface InputParts {
  /** The app's files after the ignore rules. */
  source: string;
  /** Build-time environment (names and values). */
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

function canonicalJson(value: unknown): string {
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
