import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { parseImageRef } from "../../../src/core/image-ref.js";
import {
  archTag,
  comparableName,
  defaultRunImageName,
  type ImageConfig,
  planArch,
  recordedRunImage,
} from "../../../src/core/rebase/plan.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
const STACK = {
  "io.buildpacks.base.distro.name": "debian",
  "io.buildpacks.base.distro.version": "13",
  "io.buildpacks.stack.id": "dev.ml-buildpacks.stacks.trixie.cpu",
};

function appConfig(over: Partial<ImageConfig> = {}, labels: Record<string, string> = {}): ImageConfig {
  return {
    os: "linux",
    architecture: "arm64",
    config: {
      Labels: {
        ...STACK,
        "io.buildpacks.lifecycle.metadata": JSON.stringify({
          runImage: {
            topLayer: D("1"),
            reference: `reg.test/ns/run@${D("2")}`,
            image: "reg.test/ns/run:cpu",
            mirrors: ["mirror.test/ns/run:cpu"],
          },
        }),
        ...labels,
      },
    },
    rootfs: { diff_ids: [D("1"), D("a")] },
    ...over,
  };
}

function runConfig(over: Partial<ImageConfig> = {}, labels: Record<string, string> = STACK): ImageConfig {
  return {
    os: "linux",
    architecture: "arm64",
    config: { Labels: labels },
    rootfs: { diff_ids: [D("1"), D("3")] },
    ...over,
  };
}

function plan(o: { app?: ImageConfig; run?: ImageConfig; runRef?: string; single?: boolean } = {}) {
  const app = o.app ?? appConfig();
  return planArch({
    target: parseImageRef("reg.test/team/app:1.0"),
    single: o.single ?? false,
    appDigest: D("b"),
    appConfig: app,
    recorded: recordedRunImage("reg.test/team/app:1.0", app),
    runImage: {
      ref: parseImageRef(o.runRef ?? "reg.test/ns/run:cpu"),
      digest: D("c"),
      config: o.run ?? runConfig(),
    },
  });
}

const fails = (fn: () => unknown, text: string) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MlBuildpacksError);
    expect((err as MlBuildpacksError).title + (err as MlBuildpacksError).detail).toContain(text);
    expect((err as MlBuildpacksError).exitCode).toBe(2);
    return;
  }
  throw new Error("did not throw");
};

describe("rebase plan", () => {
  test("reads the recorded run image; a tagged name loses the digest a forced rebase recorded", () => {
    expect(recordedRunImage("x", appConfig())).toEqual({
      topLayer: D("1"),
      reference: `reg.test/ns/run@${D("2")}`,
      names: ["reg.test/ns/run:cpu", "mirror.test/ns/run:cpu"],
    });
    const forced = appConfig(
      {},
      {
        "io.buildpacks.lifecycle.metadata": JSON.stringify({
          runImage: { topLayer: D("1"), image: `reg.test/p/run:patched@${D("4")}` },
        }),
      },
    );
    expect(recordedRunImage("x", forced).names).toEqual(["reg.test/p/run:patched"]);
  });

  test("falls back to stack.runImage (images of Platform API < 0.12)", () => {
    const old = appConfig(
      {},
      {
        "io.buildpacks.lifecycle.metadata": JSON.stringify({
          runImage: { topLayer: D("1") },
          stack: { runImage: { image: "reg.test/ns/run:old" } },
        }),
      },
    );
    expect(recordedRunImage("x", old).names).toEqual(["reg.test/ns/run:old"]);
  });

  test.each([
    ["no labels", { os: "linux", architecture: "amd64" } as ImageConfig],
    ["other labels", { os: "linux", architecture: "amd64", config: { Labels: { a: "b" } } } as ImageConfig],
    ["broken JSON", appConfig({}, { "io.buildpacks.lifecycle.metadata": "{" })],
    ["no top layer", appConfig({}, { "io.buildpacks.lifecycle.metadata": "{}" })],
  ])("not a buildpacks image: %s", (_, config) => {
    fails(
      () => recordedRunImage("reg.test/x:1", config),
      "reg.test/x:1 is not an image built with buildpacks",
    );
  });

  test("the default run image is the recorded name in the image's registry, else the first", () => {
    const names = ["reg.test/ns/run:cpu", "mirror.test/ns/run:cpu"];
    expect(defaultRunImageName(names, "mirror.test")).toBe("mirror.test/ns/run:cpu");
    expect(defaultRunImageName(names, "other.test")).toBe("reg.test/ns/run:cpu");
    expect(defaultRunImageName([], "other.test")).toBeUndefined();
  });

  test("names compare as the lifecycle does: digest dropped, latest added", () => {
    expect(comparableName(`reg.test/a/run:cpu@${D("1")}`)).toBe("reg.test/a/run:cpu");
    expect(comparableName("debian")).toBe("debian:latest");
  });

  test.each([
    ["1.0", { os: "linux", architecture: "amd64" }, "1.0-amd64"],
    ["1.0", { os: "linux", architecture: "arm", variant: "v7" }, "1.0-arm-v7"],
    ["1.0", { os: "windows", architecture: "amd64" }, "1.0-windows-amd64"],
  ])("per-arch tag of %s for %o", (tag, platform, expected) => {
    expect(archTag(tag, platform)).toBe(expected);
  });

  test("a list's platform: pushed as TAG-ARCH, run image pinned by digest with its name, not forced", () => {
    expect(plan()).toEqual({
      platform: { os: "linux", architecture: "arm64" },
      image: `reg.test/team/app@${D("b")}`,
      previousDigest: D("b"),
      output: "reg.test/team/app:1.0-arm64",
      runImage: `reg.test/ns/run:cpu@${D("c")}`,
      previousRunImage: `reg.test/ns/run@${D("2")}`,
      force: false,
      upToDate: false,
    });
  });

  test("a single image is rebased under its own tag; a mirror counts as recorded", () => {
    const p = plan({ single: true, runRef: "mirror.test/ns/run:cpu" });
    expect(p.output).toBe("reg.test/team/app:1.0");
    expect(p.force).toBe(false);
  });

  test("a run image the image never recorded (a patched copy) is forced, after our own checks", () => {
    expect(plan({ runRef: "reg.test/team/run:patched" }).force).toBe(true);
  });

  test("already on the run image (same top layer): up to date", () => {
    expect(plan({ run: runConfig({ rootfs: { diff_ids: [D("1")] } }) }).upToDate).toBe(true);
  });

  test("a run image of another platform is refused", () => {
    fails(() => plan({ run: runConfig({ architecture: "amd64" }) }), "has no linux/arm64 image");
  });

  test("arm64 v8 and no variant are the same platform", () => {
    expect(plan({ run: runConfig({ variant: "v8" }) }).force).toBe(false);
  });

  test.each([
    ["io.buildpacks.base.distro.name", "ubuntu"],
    ["io.buildpacks.base.distro.version", "12"],
    ["io.buildpacks.stack.id", "io.buildpacks.stacks.jammy"],
  ])("a run image of another stack (%s) is refused", (label, value) => {
    fails(() => plan({ run: runConfig({}, { ...STACK, [label]: value }) }), `${label}: the image has`);
  });

  test("a stack label only one side has does not refuse", () => {
    expect(plan({ run: runConfig({}, {}) }).force).toBe(false);
  });

  test("an image marked not rebasable is refused", () => {
    fails(() => plan({ app: appConfig({}, { "io.buildpacks.rebasable": "false" }) }), "not rebasable");
  });
});
