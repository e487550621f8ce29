/** User-facing texts of the GitHub Action adapter, in one place. */
type ErrorOpts = { title: string; hint: string; exitCode: number };

export const messages = {
  badBoolean: (input: string, value: string): ErrorOpts => ({
    title: `input "${input}" must be true or false, not "${value}"`,
    hint: `set ${input}: true or ${input}: false in the step's with: block`,
    exitCode: 2,
  }),
  sbomNeedsPublish: {
    title: 'input "sbom-output-dir" reads the SBOM of the pushed image, but publish is false',
    hint: "set publish: true, or remove sbom-output-dir from the step's with: block",
    exitCode: 2,
  } satisfies ErrorOpts,
  required: (input: string): ErrorOpts => ({
    title: `input "${input}" is required`,
    hint: `add ${input}: ... to the step's with: block`,
    exitCode: 2,
  }),
  badCompression: (value: string, allowed: readonly string[]): ErrorOpts => ({
    title: `input "compression" must be one of ${allowed.join(", ")}, not "${value}"`,
    hint: "fast (the default) gzips the large new layers with igzip; small uses zlib level 4: about 5% smaller, slower",
    exitCode: 2,
  }),
  mergeNeedsTag: (image: string): ErrorOpts => ({
    title: `input "image" must be a tag to push the index to, not a digest: ${image}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression for the user's workflow
    hint: "e.g. image: ghcr.io/org/app:${{ github.sha }}",
    exitCode: 2,
  }),
  mergeNeedsSources: (): ErrorOpts => ({
    title: 'input "images" (or "digests") is required: the per-architecture images to merge',
    hint: "list them one per line under images: (tags or refs@sha256:...), or their digests under digests: (pushed to the repository of image:)",
    exitCode: 2,
  }),
  badMergeDigest: (line: string): ErrorOpts => ({
    title: `input "digests": "${line}" is not a digest such as sha256:<64 hex digits>, optionally after its platform (linux/arm64=)`,
    hint: "pass the digest output of each architecture's build step, one per line; images: takes full references",
    exitCode: 2,
  }),
  badMergeLine: (line: string): ErrorOpts => ({
    title: `input "images": "${line}" does not start with a platform such as linux/amd64=`,
    hint: "one image per line: a tag or digest, optionally prefixed with its platform (linux/arm64=ghcr.io/org/app:1.0-arm64)",
    exitCode: 2,
  }),
  badFlavor: (value: string, allowed: readonly string[]): ErrorOpts => ({
    title: `input "flavor" must be one of ${allowed.join(", ")}, not "${value}"`,
    hint: "cpu builds on the cpu builder; cuda on the cuda builder (CUDA 12 runtime in the image). Set `builder` for any other builder",
    exitCode: 2,
  }),
  badPlatform: (value: string, allowed: readonly string[]): ErrorOpts => ({
    title: `input "platform" must be one of ${allowed.join(", ")}, not "${value}"`,
    hint: "leave it empty to build for the builder's platform",
    exitCode: 2,
  }),
  badEnvLine: (line: number, text: string): ErrorOpts => ({
    title: `input "env" line ${line} is not KEY=VALUE: "${text}"`,
    hint: "write one KEY=VALUE per line; lines starting with # are comments",
    exitCode: 2,
  }),
  /** Names the line only: its text may hold a secret. */
  badSecretLine: (line: number): ErrorOpts => ({
    title: `input "secrets" line ${line} is not NAME=VALUE (its text is not shown: it may hold a secret)`,
    hint: "write one NAME=VALUE per line, e.g. PIP_INDEX_URL= and the URL from a repository secret; lines starting with # are comments",
    exitCode: 2,
  }),
  badScope: (value: string): ErrorOpts => ({
    title: `input "cache-scope" may only hold letters, digits, ".", "_" and "-", not "${value}"`,
    hint: "use a short name such as cpu-amd64",
    exitCode: 2,
  }),
} as const;

export const notes = {
  cacheDisabled: "Layer cache disabled (cache: false)",
  cacheCleared: "clear-cache: true, starting from an empty layer cache",
  cacheMiss: (key: string) => `Cache miss for ${key}: this build starts cold`,
  cacheRestored: (key: string, exact: boolean, size: string, time: string) =>
    `Cache restored from ${key}${exact ? " (exact hit)" : " (newest cache of this scope)"}: ${size} in ${time}`,
  restoreFailed: (why: string) => `Restoring the layer cache failed, building without it: ${why}`,
  saveSkippedExact: (key: string) => `Cache hit on the exact key ${key}: nothing new to save`,
  saveSkippedFailedBuild:
    "The build did not finish: keeping the previous cache instead of saving a partial one",
  saveSkippedNoState:
    "The main step stopped before it restored the layer cache (cancelled or killed): nothing to save",
  saveSkippedEmpty: "The lifecycle left no committed cache: nothing to save",
  saved: (key: string, size: string, time: string) => `Cache saved as ${key}: ${size} in ${time}`,
  saveFailed: (why: string) => `Saving the layer cache failed (the build itself succeeded): ${why}`,
} as const;
