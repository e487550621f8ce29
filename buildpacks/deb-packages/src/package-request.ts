// What the buildpack is asked to install and from where: the vocabulary the Aptfile parser, the
// build plan reader, apt and the error messages share (its own module, so none of them import each other).

export interface PackageRequest {
  name: string;
  /** Exact version (apt's "name=version"), or undefined for the candidate version. */
  version?: string;
  /** Where the request comes from, for messages: "Aptfile:3" or "ml-buildpacks/hardware (hardware.txt: coral)". */
  origin: string;
  /** Set for Aptfile lines. */
  file?: string;
  line?: number;
}

export interface ExtraSource {
  name: string;
  uri: string;
  suite: string;
  components: string[];
  /** Absolute path of the keyring apt verifies the source's Release file with. */
  signedBy: string;
  requestedBy: string;
}
