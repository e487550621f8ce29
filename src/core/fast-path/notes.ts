/** The fast path's log lines, in one place. */
export const fastPathNotes = {
  daemon: "off: it compares with the image in the registry, and this build exports to the Docker daemon",
  disabled: "off (--no-fast-path): running every phase",
  clearCache: "skipped: the cache is being cleared, so everything is rebuilt",
  hit: (files: number) =>
    `inputs unchanged (${files} source file(s), build env, builder, run image, buildpacks, options): reusing the previous image`,
  appOnly: (files: number) =>
    `only app files that no buildpack reads changed (${files} source file(s)): replacing the app layer of the previous image, no phase runs`,
  refreshDue: (due: string, reason: string) =>
    `the previous image was due for a rebuild at ${due}: ${reason}`,
  appSwapFailed: (why: string) => `could not replace the app layer (${why}); running every phase`,
  appSwapReady: (files: readonly string[]) =>
    `a later change to other app files only replaces the app layer (the buildpacks read ${files.length ? files.join(", ") : "no app file"})`,
  appSwapNotReady: (why: string) => `a later code change runs every phase: ${why}`,
  inputsLost:
    "the build's inputs could not go into the exporter's image, and this registry would keep a relabelled copy's predecessor as an untagged leftover: the image records no inputs, so the next build runs in full",
  stampFailed: (why: string) =>
    `could not record the build's inputs on the image (${why}); the next build will run in full`,
};
