// What signing says when it cannot do its work: each message names the setting the user changes.
export const signMessages = {
  keyEnvUnset: (name: string) => ({
    title: `the signing key env://${name} is empty: $${name} is not set`,
    hint: `set ${name} to the cosign private key (the PEM text of cosign.key, from a CI secret), or pass a key file`,
    exitCode: 2,
  }),
  keyFileMissing: (file: string) => ({
    title: `the signing key file ${file} does not exist or is not a file`,
    hint: "pass the path of a cosign private key (cosign generate-key-pair writes cosign.key), or env://VAR naming a variable that holds it",
    exitCode: 2,
  }),
  keyScheme: (key: string) => ({
    title: `the signing key "${key}" is neither a file nor env://VAR`,
    hint: "pass a cosign.key file or env://VAR; KMS and keyless signing are not supported by ml-buildpacks (run cosign yourself on the digest output for those)",
    exitCode: 2,
  }),
  notAKey: (where: string) => ({
    title: `the signing key ${where} is not a cosign private key`,
    detail:
      "A cosign private key starts with -----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY----- (or ENCRYPTED COSIGN PRIVATE KEY).",
    hint: "use the cosign.key that `cosign generate-key-pair` wrote (not cosign.pub)",
    exitCode: 2,
  }),
  passwordUnset: () => ({
    title: "signing needs COSIGN_PASSWORD, and it is not set",
    hint: "set COSIGN_PASSWORD to the signing key's password (from a CI secret; an empty value for a key made without one)",
    exitCode: 2,
  }),
  keyRejected: (why: string) => ({
    title: "cosign could not open the signing key: nothing was built or pushed",
    detail: why,
    hint: "check COSIGN_PASSWORD (the password the key was generated with) and that the key is the cosign.key of that pair",
  }),
  signFailed: (ref: string, why: string, tagged: boolean) => ({
    title: `cosign could not sign ${ref}`,
    detail: tagged
      ? `${why}\nThe image was pushed and tagged before this step; it carries no signature, so a verifying deploy refuses it.`
      : `${why}\nNothing was tagged: the tag still names what it named before.`,
    hint: "run the build again (a registry error may pass); if it persists, check that the credentials for this registry may push <repository>:sha256-<digest>.sig",
  }),
  noCosign: (why: string) => ({
    title: `cosign is not available to sign: ${why}`,
    hint: "use an ml-buildpacks builder (it carries /cnb/ml-buildpacks/cosign), or set ML_BUILDPACKS_COSIGN to a cosign binary",
  }),
  signed: (ref: string, offline: boolean) =>
    `Signed ${ref} with the cosign key${offline ? " (offline: no transparency-log entry)" : ""}`,
};
