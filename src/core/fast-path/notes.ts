/** The fast path's log lines, in one place. */
export const fastPathNotes = {
  daemon: "off: it compares with the image in the registry, and this build exports to the Docker daemon",
  disabled: "off (--no-fast-path): running every phase",
  clearCache: "skipped: the cache is being cleared, so everything is rebuilt",
  hit: (files: number) =>
    `inputs unchanged (${files} source file(s), build env, builder, run image, buildpacks, options): reusing the previous image`,
  stampFailed: (why: string) =>
    `could not record the build's inputs on the image (${why}); the next build will run in full`,
};
