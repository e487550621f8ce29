import { describe, expect, test } from "vitest";
import { phaseDockerArgs, workspaceCopyScript } from "../../../src/core/executor/docker.js";
import { explainExit } from "../../../src/core/lifecycle/exit-codes.js";
import { creatorSpec, type PhaseInputs, phaseSpecs } from "../../../src/core/lifecycle/phases.js";
import { negotiatePlatformApi } from "../../../src/core/lifecycle/versions.js";
import { workspaceSource } from "../../../src/core/workspace.js";

const inputs: PhaseInputs = {
  platformApi: "0.14",
  image: "127.0.0.1:5000/a/b:1",
  additionalTags: ["127.0.0.1:5000/a/b:latest"],
  runImage: undefined,
  previousImage: undefined,
  useCache: true,
  logLevel: "info",
  defaultProcess: undefined,
  insecureRegistries: [],
  daemon: false,
};

describe("phaseSpecs", () => {
  const specs = phaseSpecs(inputs);

  test("five phases in lifecycle order", () => {
    expect(specs.map((s) => s.phase)).toEqual(["analyze", "detect", "restore", "build", "export"]);
  });

  test.each([
    ["analyze", "root"],
    ["detect", "cnb"],
    ["restore", "root"],
    ["build", "cnb"],
    ["export", "root"],
  ])("%s runs as %s (detector and builder refuse root)", (phase, user) => {
    expect(specs.find((s) => s.phase === phase)?.runAs).toBe(user);
  });

  test("cache dir only for restore and export, and only when caching", () => {
    const withCache = specs.filter((s) => s.args.includes("-cache-dir")).map((s) => s.phase);
    expect(withCache).toEqual(["restore", "export"]);
    const noCache = phaseSpecs({ ...inputs, useCache: false });
    expect(noCache.some((s) => s.args.includes("-cache-dir"))).toBe(false);
  });

  test("analyze and export name the image and extra tags", () => {
    const analyze = specs[0]?.args ?? [];
    expect(analyze.at(-1)).toBe(inputs.image);
    expect(analyze).toContain("-tag");
    const exp = specs[4]?.args ?? [];
    expect(exp.slice(-2)).toEqual([inputs.image, "127.0.0.1:5000/a/b:latest"]);
    expect(exp).toContain("-parallel");
  });

  test("detect runs at debug level so failures can list what was looked for", () => {
    const detect = specs[1]?.args ?? [];
    expect(detect.slice(0, 2)).toEqual(["-log-level", "debug"]);
  });
});

function specOf(phase: string) {
  const spec = phaseSpecs(inputs).find((s) => s.phase === phase);
  if (!spec) throw new Error(`no ${phase} phase`);
  return spec;
}

describe("phaseDockerArgs", () => {
  const base = {
    builderRef: "b:1",
    platform: "linux/amd64",
    uid: 1000,
    gid: 1000,
    layersVolume: "lv",
    workspaceVolume: "wv",
    platformDir: "/tmp/p",
    outDir: "/tmp/o",
    cacheDir: "/tmp/c",
    caCerts: "/host/ca.crt",
    dockerSocket: "/var/run/docker.sock",
    platformApi: "0.14",
    secretEnvNames: ["CNB_REGISTRY_AUTH"],
    name: "n",
  };

  test("with a prelude, the phase's container fills the workspace first, then execs the phase", () => {
    const spec = specOf("analyze");
    const a = phaseDockerArgs(spec, { ...base, prelude: { appDir: "/src/app", script: "copy it" } });
    expect(a).toEqual(expect.arrayContaining(["-v", "/src/app:/app-source:ro"]));
    const entry = a.indexOf("--entrypoint");
    expect(a.slice(entry, entry + 6)).toEqual([
      "--entrypoint",
      "sh",
      "b:1",
      "-c",
      'copy it\nexec "$0" "$@"',
      spec.binary,
    ]);
    expect(a.slice(entry + 6)).toEqual(spec.args);
    expect(phaseDockerArgs(spec, base)).not.toContain("/src/app:/app-source:ro");
  });

  test("the workspace copy leaves out .git and a cache dir kept inside the app", () => {
    const inside = workspaceCopyScript({
      source: workspaceSource("/p/app", "/p/app/.ml-buildpacks/cache"),
      cached: true,
      owner: "1000:1000",
    });
    expect(inside).toContain("tar --exclude='./.git' --exclude='./.ml-buildpacks/cache' -cf - .");
    expect(inside).toContain("chown -R 1000:1000 /workspace /layers /cache");
    const outside = workspaceCopyScript({
      source: workspaceSource("/p/app", "/home/u/.cache/x"),
      cached: true,
      owner: "1:2",
    });
    expect(outside).toContain("tar --exclude='./.git' -cf - .");
    const none = workspaceCopyScript({
      source: workspaceSource("/p/app", undefined),
      cached: false,
      owner: "1:2",
    });
    expect(none).toContain("chown -R 1:2 /workspace /layers\n");
  });

  test("a memory limit caps every phase's container, swap included", () => {
    const a = phaseDockerArgs(specOf("build"), { ...base, memoryLimit: "1g" });
    const at = a.indexOf("--memory");
    expect(a.slice(at, at + 4)).toEqual(["--memory", "1g", "--memory-swap", "1g"]);
    expect(a.indexOf("--entrypoint")).toBeGreaterThan(at);
    expect(phaseDockerArgs(specOf("build"), base).join(" ")).not.toContain("--memory");
  });

  test("passes credentials by name only, and only to registry phases", () => {
    const a = phaseDockerArgs(specOf("analyze"), base);
    expect(a).toContain("CNB_REGISTRY_AUTH");
    expect(a.some((x) => x.startsWith("CNB_REGISTRY_AUTH="))).toBe(false);
    expect(phaseDockerArgs(specOf("detect"), base)).not.toContain("CNB_REGISTRY_AUTH");
  });

  test("users, network and mounts", () => {
    const a = phaseDockerArgs(specOf("analyze"), base);
    expect(a.slice(a.indexOf("--user"), a.indexOf("--user") + 2)).toEqual(["--user", "0:0"]);
    const d = phaseDockerArgs(specOf("detect"), base);
    expect(d.slice(d.indexOf("--user"), d.indexOf("--user") + 2)).toEqual(["--user", "1000:1000"]);
    expect(d).toEqual(
      expect.arrayContaining([
        "--network",
        "host",
        "lv:/layers",
        "wv:/workspace",
        "/tmp/p:/platform:ro",
        "/tmp/c:/cache",
        "/host/ca.crt:/etc/ssl/certs/ca-certificates.crt:ro",
        "CNB_PLATFORM_API=0.14",
      ]),
    );
  });
});

describe("daemon export and the creator", () => {
  test("-daemon on analyze and export only, and the socket mounted only there", () => {
    const specs = phaseSpecs({ ...inputs, daemon: true });
    expect(specs.filter((s) => s.args.includes("-daemon")).map((s) => s.phase)).toEqual([
      "analyze",
      "export",
    ]);
    const base = {
      builderRef: "b:1",
      platform: "linux/amd64",
      uid: 1000,
      gid: 1000,
      layersVolume: "lv",
      workspaceVolume: "wv",
      platformDir: "/p",
      outDir: "/o",
      cacheDir: undefined,
      caCerts: undefined,
      dockerSocket: "/run/docker.sock",
      platformApi: "0.14",
      secretEnvNames: [],
      name: "n",
    };
    const mounts = specs.map((s) =>
      phaseDockerArgs(s, base).includes("/run/docker.sock:/var/run/docker.sock"),
    );
    expect(mounts).toEqual([true, false, false, false, true]);
  });

  test("the creator gets the image, tags, cache and report in one invocation", () => {
    const spec = creatorSpec(inputs);
    expect(spec.runAs).toBe("root");
    expect(spec.args).toEqual(
      expect.arrayContaining(["-cache-dir", "/cache", "-report", "/ml-buildpacks/report.toml", "-tag"]),
    );
    expect(spec.args.at(-1)).toBe(inputs.image);
  });
});

describe("platform API negotiation", () => {
  test.each([
    [["0.7", "0.12", "0.13", "0.14", "0.15"], "0.14"],
    [["0.12", "0.13"], "0.13"],
    [["0.9", "0.10"], undefined],
  ])("%j -> %s", (apis, expected) => {
    expect(negotiatePlatformApi(apis)).toBe(expected);
  });
});

describe("exit codes", () => {
  test.each([
    [20, "no buildpack group detected this app"],
    [51, "a buildpack failed while building the app"],
    [62, "exporting the image failed"],
    [99, "failed with exit code 99"],
  ])("%i", (code, text) => {
    expect(explainExit("build", code).title).toContain(text);
  });

  test("137 (SIGKILL) names the memory limit when there is one", () => {
    expect(explainExit("create", 137, "1g")).toEqual({
      title: "the create phase ran out of memory (its container is limited to 1g) and was killed",
      hint: "raise the limit (--memory / the action's memory input) or drop it",
    });
    expect(explainExit("build", 137).title).toContain(
      "killed (SIGKILL: out of memory on the host, or stopped)",
    );
  });
});
