import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { build, pytorchIndex } from "../src/build.js";
import { detect } from "../src/detect.js";
import { parseHardware } from "../src/hardware-file.js";
import { stackFlavor } from "../src/stack.js";
import { buildContext } from "./helpers.js";

const CPU_STACK = { CNB_STACK_ID: "dev.ml-buildpacks.stacks.trixie.cpu" };
const CUDA_STACK = {
  CNB_STACK_ID: "dev.ml-buildpacks.stacks.trixie.cuda",
  ML_BUILDPACKS_CUDA_VERSION: "12.4",
};

function ctxWith(files: Record<string, string>, env: Record<string, string>) {
  const ctx = buildContext(files);
  return { ...ctx, env };
}

async function buildError(ctx: Parameters<typeof build>[0]): Promise<BuildpackError> {
  const err = await Promise.resolve()
    .then(() => build(ctx))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BuildpackError);
  return err as BuildpackError;
}

describe("hardware.txt", () => {
  it("reads one value, with comments and blank lines", () => {
    expect(parseHardware("# where\n\n  CUDA  # gpus\n")).toEqual({ value: "cuda", line: 3 });
  });

  it.each([
    ["tpu\n", 1, 'names unknown hardware: "tpu"'],
    ["cpu\ncuda\n", 2, "names more than one hardware target"],
  ])("rejects %j (line %i)", (text, line, title) => {
    try {
      parseHardware(text);
      expect.unreachable();
    } catch (e) {
      const err = e as BuildpackError;
      expect(err.title).toContain(title);
      expect([err.file, err.line]).toEqual(["hardware.txt", line]);
      expect(err.body).toContain("cpu, cuda, aws, coral");
    }
  });

  it("knows the stack flavor from the stack id or the cuda image's marker", () => {
    expect(stackFlavor(CPU_STACK)).toBe("cpu");
    expect(stackFlavor({ ML_BUILDPACKS_STACK_FLAVOR: "cuda", CNB_STACK_ID: "x.cpu" })).toBe("cuda");
  });
});

describe("hardware detect", () => {
  it("fails without hardware.txt, passes otherwise; coral requires deb-packages with the source", () => {
    expect(detect(buildContext({})).pass).toBe(false);
    expect(detect(buildContext({ "hardware.txt": "nonsense\n" }))).toEqual({ pass: true, plan: {} });
    const coral = detect({
      ...buildContext({ "hardware.txt": "coral\n" }),
      platformEnv: { BP_CORAL_APT_URI: "http://127.0.0.1:9/apt" },
    });
    expect(coral).toEqual({
      pass: true,
      plan: {
        requires: [
          {
            name: "deb-packages",
            metadata: {
              requested_by: "ml-buildpacks/hardware (hardware.txt: coral)",
              packages: ["libedgetpu1-std"],
              sources: [
                {
                  name: "coral",
                  uri: "http://127.0.0.1:9/apt",
                  suite: "coral-edgetpu-stable",
                  components: ["main"],
                  signed_by: "coral-archive-keyring.gpg",
                },
              ],
            },
          },
        ],
      },
    });
  });
});

describe("hardware build", () => {
  it("cpu: labels the image and leaves indexes alone when nothing has CPU/CUDA builds", async () => {
    const ctx = ctxWith({ "hardware.txt": "cpu\n", "requirements.txt": "numpy==2.5.5\n" }, CPU_STACK);
    expect(await build(ctx)).toEqual({ labels: [{ key: "dev.ml-buildpacks.hardware", value: "cpu" }] });
    const layer = join(ctx.layersDir, "hardware");
    expect(existsSync(join(layer, "env.build", "PIP_EXTRA_INDEX_URL.append"))).toBe(false);
    expect(readFileSync(join(layer, "env", "ML_BUILDPACKS_HARDWARE.override"), "utf8")).toBe("cpu");
    expect(ctx.logger.text()).toContain("package indexes unchanged");
  });

  it("cpu with torch: the PyTorch CPU index for pip and uv", async () => {
    const ctx = ctxWith({ "hardware.txt": "cpu\n", "requirements.txt": "torch==2.9.0\n" }, CPU_STACK);
    await build(ctx);
    const env = join(ctx.layersDir, "hardware", "env.build");
    expect(readFileSync(join(env, "PIP_EXTRA_INDEX_URL.append"), "utf8")).toBe(
      "https://download.pytorch.org/whl/cpu",
    );
    expect(readFileSync(join(env, "PIP_EXTRA_INDEX_URL.delim"), "utf8")).toBe(" ");
    expect(readFileSync(join(env, "UV_INDEX.append"), "utf8")).toBe(
      "pytorch=https://download.pytorch.org/whl/cpu",
    );
  });

  it("cuda on the cpu stack: fails naming the cuda builder", async () => {
    const err = await buildError(ctxWith({ "hardware.txt": "# gpu\ncuda\n" }, CPU_STACK));
    expect(err.title).toBe(
      "hardware.txt asks for cuda, which needs the cuda builder (this is the cpu builder)",
    );
    expect(err.body).toContain("flavor: cuda");
    expect(err.body).toContain("--flavor cuda (CLI)");
    expect([err.file, err.line]).toEqual(["hardware.txt", 2]);
  });

  it("cuda on the cpu stack with BP_HARDWARE_CUDA_BUILDER: names that builder", async () => {
    const ctx = ctxWith(
      { "hardware.txt": "cuda\n" },
      { ...CPU_STACK, BP_HARDWARE_CUDA_BUILDER: "registry.example/platform/builder:cuda" },
    );
    const err = await buildError(ctx);
    expect(err.body).toContain("--builder registry.example/platform/builder:cuda;");
  });

  it("aws on the cuda stack: NVIDIA launch env, the CUDA index, label aws", async () => {
    const ctx = ctxWith(
      { "hardware.txt": "aws\n", "pyproject.toml": 'dependencies = ["torch>=2.5"]\n' },
      CUDA_STACK,
    );
    expect(await build(ctx)).toEqual({ labels: [{ key: "dev.ml-buildpacks.hardware", value: "aws" }] });
    const layer = join(ctx.layersDir, "hardware");
    expect(readFileSync(join(layer, "env.launch", "NVIDIA_VISIBLE_DEVICES.default"), "utf8")).toBe("all");
    expect(readFileSync(join(layer, "env.launch", "NVIDIA_DRIVER_CAPABILITIES.default"), "utf8")).toBe(
      "compute,utility",
    );
    expect(readFileSync(join(layer, "env.build", "PIP_EXTRA_INDEX_URL.append"), "utf8")).toBe(
      "https://download.pytorch.org/whl/cu124",
    );
  });

  it("BP_PYTORCH_INDEX_URL points at a mirror, and must be a URL", async () => {
    expect(pytorchIndex({ BP_PYTORCH_INDEX_URL: "https://mirror.example/whl/" }, "cpu")).toBe(
      "https://mirror.example/whl/cpu",
    );
    expect(() => pytorchIndex({ BP_PYTORCH_INDEX_URL: "mirror" }, "cpu")).toThrow(BuildpackError);
  });

  it("coral: warns when the app has no TFLite runtime", async () => {
    const ctx = ctxWith({ "hardware.txt": "coral\n", "requirements.txt": "numpy\n" }, CPU_STACK);
    await build(ctx);
    expect(ctx.logger.text()).toContain("No Python TFLite runtime among the app's dependencies");
  });
});
