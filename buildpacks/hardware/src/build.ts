import type { BuildContext, BuildResult, Env } from "#libcnb";
import { CORAL_PYTHON_RUNTIMES, coralSettings } from "./coral.js";
import { mentioned, VARIANT_PACKAGES } from "./dependencies.js";
import * as errors from "./errors.js";
import { HARDWARE_FILE, type Hardware, parseHardware } from "./hardware-file.js";
import { writeHardwareLayer } from "./layers/hardware.js";
import { cudaBuilderOverride, cudaVersion, stackFlavor } from "./stack.js";

export const HARDWARE_LABEL = "dev.ml-buildpacks.hardware";
export const DEFAULT_PYTORCH_INDEX = "https://download.pytorch.org/whl";

/** The wheel index for `hardware`, e.g. https://download.pytorch.org/whl/cpu or .../cu124. */
export function pytorchIndex(env: Env, hardware: Hardware): string | undefined {
  const explicit = env.BP_PYTORCH_INDEX_URL?.trim();
  if (explicit !== undefined && explicit !== "" && !/^https?:\/\/\S+$/.test(explicit)) {
    throw errors.badIndexUrl("BP_PYTORCH_INDEX_URL", explicit);
  }
  const base = (explicit || DEFAULT_PYTORCH_INDEX).replace(/\/+$/, "");
  if (hardware === "cpu" || hardware === "coral") return `${base}/cpu`;
  return `${base}/cu${cudaVersion(env).split(".").slice(0, 2).join("")}`;
}

export async function build(ctx: BuildContext): Promise<BuildResult> {
  const log = ctx.logger;
  const env: Env = { ...ctx.env, ...ctx.platformEnv };
  log.header("Hardware target");
  const text = ctx.app.readText(HARDWARE_FILE) ?? "";
  const { value, line } = parseHardware(text);
  const flavor = stackFlavor(env);
  log.step(`${HARDWARE_FILE} (line ${line}): ${value}; this builder's stack: ${flavor}`);

  const nvidia = value === "cuda" || value === "aws";
  if (nvidia && flavor !== "cuda") {
    throw errors.needsCudaStack(HARDWARE_FILE, line, value, flavor, cudaBuilderOverride(env));
  }
  if (nvidia)
    log.step(`CUDA ${cudaVersion(env)} runtime from the stack; NVIDIA container env set for launch`);

  // Point pip/uv at the matching builds of packages published per accelerator (torch & co.): only when
  // the app uses one (an unused extra index only slows every install), or when BP_PYTORCH_INDEX_URL is set.
  const variants = mentioned(ctx.app, VARIANT_PACKAGES);
  const forced = Boolean(env.BP_PYTORCH_INDEX_URL?.trim());
  let indexUrl: string | undefined;
  if (variants.length || forced) {
    indexUrl = pytorchIndex(env, value);
    const why = variants.length ? `for ${variants.join(", ")}` : "(BP_PYTORCH_INDEX_URL)";
    log.step(`${nvidia ? "CUDA" : "CPU"} wheels ${why}: PIP_EXTRA_INDEX_URL and UV_INDEX += ${indexUrl}`);
  } else {
    log.step(
      `No dependency with CPU/CUDA builds (${VARIANT_PACKAGES.join(", ")}): package indexes unchanged`,
    );
  }

  if (value === "coral") {
    const s = coralSettings(env);
    log.step(
      `Edge TPU runtime ${s.BP_CORAL_PACKAGE} from ${s.BP_CORAL_APT_URI} (${s.BP_CORAL_APT_SUITE}), installed by ml-buildpacks/deb-packages`,
    );
    if (mentioned(ctx.app, CORAL_PYTHON_RUNTIMES).length === 0) {
      log.warning(
        "No Python TFLite runtime among the app's dependencies",
        "The Edge TPU is used through a TFLite interpreter with the libedgetpu delegate. Add one to\n" +
          "requirements.txt, e.g. ai-edge-litert (wheels for Python 3.13), or tflite-runtime on older Pythons.",
      );
    }
  }

  writeHardwareLayer(ctx.layers, { hardware: value, ...(indexUrl ? { indexUrl } : {}), nvidia });
  return { labels: [{ key: HARDWARE_LABEL, value }] };
}
