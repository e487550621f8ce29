// The "hardware" layer holds only env: the package index env for later buildpacks (env.build) and, for
// NVIDIA targets, the container runtime's env for the app (env.launch). Recreated every build; the
// exporter reuses the previous image's layer when its content (and so its digest) is unchanged.
import type { Layers } from "#libcnb";
import type { Hardware } from "../hardware-file.js";

export const HARDWARE_ENV = "ML_BUILDPACKS_HARDWARE";

export interface HardwareLayerInput {
  hardware: Hardware;
  /** PyTorch-style wheel index to add for pip and uv, if any. */
  indexUrl?: string;
  /** NVIDIA container toolkit env for launch. */
  nvidia: boolean;
}

export function writeHardwareLayer(layers: Layers, input: HardwareLayerInput): void {
  const layer = layers.get("hardware");
  layer.reset();
  layer.env.shared.override(HARDWARE_ENV, input.hardware);
  if (input.indexUrl) {
    // pip: an extra index (space-separated list); uv: an extra index searched before PyPI.
    layer.env.build.append("PIP_EXTRA_INDEX_URL", input.indexUrl, " ");
    layer.env.build.append("UV_INDEX", `pytorch=${input.indexUrl}`, " ");
  }
  if (input.nvidia) {
    // Read by the NVIDIA container toolkit (docker --gpus / Kubernetes device plugin) at container start.
    layer.env.launch.default("NVIDIA_VISIBLE_DEVICES", "all");
    layer.env.launch.default("NVIDIA_DRIVER_CAPABILITIES", "compute,utility");
  }
  layer.write(
    { hardware: input.hardware, index_url: input.indexUrl ?? "" },
    { build: true, launch: true, cache: false },
  );
}
