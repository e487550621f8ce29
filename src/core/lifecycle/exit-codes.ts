import type { Phase } from "./phases.js";

/**
 * Lifecycle exit codes (platform/exit.go and cmd/exit.go of lifecycle 0.21) turned into sentences.
 * Returns the error's title and what to do.
 */
export function explainExit(
  phase: Phase,
  code: number,
  memoryLimit?: string,
): { title: string; hint: string } {
  switch (code) {
    // SIGKILL: with a memory limit, almost always the kernel's OOM killer in the container's cgroup.
    case 137:
      return memoryLimit
        ? {
            title: `the ${phase} phase ran out of memory (its container is limited to ${memoryLimit}) and was killed`,
            hint: "raise the limit (--memory / the action's memory input) or drop it",
          }
        : {
            title: `the ${phase} phase was killed (SIGKILL: out of memory on the host, or stopped)`,
            hint: "check the host's free memory, or give the build a limit with --memory to see which phase needs it",
          };
    case 3:
      return {
        title: `the ${phase} phase rejected its arguments`,
        hint: "this is a bug in ml-buildpacks: please report it with the log",
      };
    case 11:
      return {
        title: "the builder's lifecycle does not support the Platform API ml-buildpacks asked for",
        hint: "use a builder with lifecycle 0.17 or newer",
      };
    case 12:
      return {
        title: "a buildpack in the builder uses a Buildpack API its lifecycle does not support",
        hint: "rebuild the builder with a newer lifecycle or older buildpacks",
      };
    case 20:
      return {
        title: "no buildpack group detected this app",
        hint: "add the files the buildpacks look for (listed above), or choose another builder",
      };
    case 21:
      return {
        title: "no buildpack group detected this app, and a buildpack's detect failed with an error",
        hint: "read the buildpack's error above",
      };
    case 22:
      return { title: "detection failed with an error", hint: "read the detector's output above" };
    case 32:
      return {
        title: "analyzing the previous image failed",
        hint: "check the registry is reachable and your credentials allow reading the image; see the log above",
      };
    case 42:
      return {
        title: "restoring cached layers failed",
        hint: "clear the cache (--clear-cache or remove the cache dir) and build again",
      };
    case 51:
      return {
        title: "a buildpack failed while building the app",
        hint: "read the buildpack's error above; nothing was pushed",
      };
    case 52:
      return { title: "the build phase failed", hint: "read the builder's output above; nothing was pushed" };
    case 62:
      return {
        title: "exporting the image failed",
        hint: "check the registry is reachable and you may push to it; see the exporter's output above",
      };
    default:
      return {
        title: `the ${phase} phase failed with exit code ${code}`,
        hint: "read the phase's output above",
      };
  }
}
