// What `rebase` tells the user when an input is wrong: what happened and what to change.
type ErrorOpts = { title: string; detail?: string; hint?: string; exitCode?: number };

export const rebaseMessages = {
  needsTag: (image: string): ErrorOpts => ({
    title: `rebase needs a tag to push the rebased image to, and ${image} has none`,
    hint: "name the image by its tag, e.g. --image ghcr.io/team/app:1.0",
    exitCode: 2,
  }),

  imageNotFound: (image: string): ErrorOpts => ({
    title: `the image ${image} does not exist in its registry`,
    hint: "check the name and tag (and that your credentials can read it); nothing was pushed",
    exitCode: 2,
  }),

  notBuildpacksImage: (image: string): ErrorOpts => ({
    title: `${image} is not an image built with buildpacks: it has no io.buildpacks.lifecycle.metadata label`,
    hint: "only images built by ml-buildpacks (or another Cloud Native Buildpacks platform) can be rebased; rebuild it with `ml-buildpacks build`. Nothing was pushed",
    exitCode: 2,
  }),

  notRebasable: (image: string): ErrorOpts => ({
    title: `${image} is marked as not rebasable (io.buildpacks.rebasable=false)`,
    detail: "an image extension changed its run image, so its base layers cannot be swapped",
    hint: "rebuild the image instead; nothing was pushed",
    exitCode: 2,
  }),

  noRunImageName: (image: string): ErrorOpts => ({
    title: `${image} does not name the run image it was built on`,
    hint: "pass the run image to rebase onto with --run-image REF; nothing was pushed",
    exitCode: 2,
  }),

  unsupportedChild: (image: string, what: string): ErrorOpts => ({
    title: `${image} is a manifest list with an entry that is not a platform image (${what})`,
    hint: "rebase each per-arch image and make the list again with `ml-buildpacks manifest create`; nothing was pushed",
    exitCode: 2,
  }),

  runImageNotFound: (runImage: string, named: string): ErrorOpts => ({
    title: `the run image ${runImage} (${named}) does not exist in its registry`,
    hint: "check the name and tag, or pass the run image with --run-image REF; nothing was pushed",
    exitCode: 2,
  }),

  runImagePlatform: (runImage: string, wanted: string, found: string[]): ErrorOpts => ({
    title: `the run image ${runImage} has no ${wanted} image, which the image to rebase needs`,
    detail: `it has: ${found.join(", ") || "nothing"}`,
    hint: "pass a run image made for every platform of the image (a manifest list), e.g. with `ml-buildpacks manifest create`; nothing was pushed",
    exitCode: 2,
  }),

  otherStack: (runImage: string, platform: string, label: string, app: string, run: string): ErrorOpts => ({
    title: `the run image ${runImage} (${platform}) is of another stack than the image it would become the base of`,
    detail: `${label}: the image has "${app}", the run image "${run}"`,
    hint: "rebase onto a (patched) run image of the same stack, or rebuild the image with the new one; nothing was pushed",
    exitCode: 2,
  }),

  rebaserFailed: (platform: string, exitCode: number, output: string): ErrorOpts => ({
    title: `the lifecycle's rebaser failed for ${platform} (exit code ${exitCode})`,
    detail: output.trim().split("\n").slice(-15).join("\n"),
    hint: "see its output above; the image's tag was not changed",
  }),

  signFailed: (cause: { title: string; detail: string }, tag: string, previous: string): ErrorOpts => ({
    title: `${cause.title}: the rebase stopped before moving ${tag}`,
    // The cause's first line is cosign's reason; its own "nothing was tagged" line is said here for the tag.
    detail: `${cause.detail.split("\n")[0]}\n${tag} still names the image it named before (${previous}), with its old signature.`,
    hint: "run the rebase again (a registry error may pass); if it persists, check that the credentials for this registry may push <repository>:sha256-<digest>.sig",
  }),

  rebaserNoReport: (platform: string): ErrorOpts => ({
    title: `the lifecycle's rebaser for ${platform} wrote no report with the new image's digest`,
    hint: "see its output above; the image's tag was not changed",
  }),
};
