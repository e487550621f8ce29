// Which stack flavor we build on. The cuda build image says so with ML_BUILDPACKS_STACK_FLAVOR=cuda (and
// ML_BUILDPACKS_CUDA_VERSION, e.g. 12.4); without the variable the flavor is the last part of the stack
// id (CNB_STACK_ID, set by every ml-buildpacks build image: dev.ml-buildpacks.stacks.trixie.cpu -> cpu).
import type { Env } from "#libcnb";

export function stackFlavor(env: Env): string {
  const explicit = env.ML_BUILDPACKS_STACK_FLAVOR?.trim();
  if (explicit) return explicit;
  const id = env.CNB_STACK_ID?.trim() ?? "";
  return id ? (id.split(".").pop() ?? id) : "unknown";
}

/** CUDA version of the cuda stack ("12.4"), defaulting to Debian trixie's CUDA runtime. */
export function cudaVersion(env: Env): string {
  return env.ML_BUILDPACKS_CUDA_VERSION?.trim() || "12.4";
}

/** The builder a platform team names for cuda apps (BP_HARDWARE_CUDA_BUILDER), for messages; else undefined. */
export function cudaBuilderOverride(env: Env): string | undefined {
  return env.BP_HARDWARE_CUDA_BUILDER?.trim() || undefined;
}
