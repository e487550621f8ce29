// Coral Edge TPU: the libedgetpu runtime from Coral's apt source (through ml-buildpacks/deb-packages) and
// a TFLite/LiteRT Python runtime the app lists itself.
import type { Env, TomlTable } from "#libcnb";

export const CORAL_DEFAULTS = {
  BP_CORAL_APT_URI: "https://packages.cloud.google.com/apt",
  BP_CORAL_APT_SUITE: "coral-edgetpu-stable",
  BP_CORAL_APT_KEYRING: "coral-archive-keyring.gpg",
  BP_CORAL_PACKAGE: "libedgetpu1-std",
} as const;

export type CoralSettings = { [K in keyof typeof CORAL_DEFAULTS]: string };

export function coralSettings(env: Env): CoralSettings {
  const get = (k: keyof typeof CORAL_DEFAULTS) => env[k]?.trim() || CORAL_DEFAULTS[k];
  return {
    BP_CORAL_APT_URI: get("BP_CORAL_APT_URI"),
    BP_CORAL_APT_SUITE: get("BP_CORAL_APT_SUITE"),
    BP_CORAL_APT_KEYRING: get("BP_CORAL_APT_KEYRING"),
    BP_CORAL_PACKAGE: get("BP_CORAL_PACKAGE"),
  };
}

/** Metadata of the "deb-packages" plan entry this buildpack requires for coral. */
export function coralDebRequest(s: CoralSettings): TomlTable {
  return {
    requested_by: "ml-buildpacks/hardware (hardware.txt: coral)",
    packages: [s.BP_CORAL_PACKAGE],
    sources: [
      {
        name: "coral",
        uri: s.BP_CORAL_APT_URI,
        suite: s.BP_CORAL_APT_SUITE,
        components: ["main"],
        signed_by: s.BP_CORAL_APT_KEYRING,
      },
    ],
  };
}

/** Python packages that run TFLite models with the Edge TPU delegate. */
export const CORAL_PYTHON_RUNTIMES = ["ai-edge-litert", "tflite-runtime", "pycoral"];
