import { describe, expect, it } from "vitest";
import { Layers } from "#libcnb";
import { testTarget } from "#libcnb/testing";
import { decideVenv } from "#pybuild/launch-venv";
import { uvToolKey, wheelFor } from "../src/layers/uv.js";
import { uvCacheKey } from "../src/layers/uv-cache.js";
import { uvEnv, uvSyncArgs, VENV_DESCRIBERS, venvKey } from "../src/layers/venv.js";
import type { UvProject } from "../src/project.js";
import { UV_VERSION, UV_WHEELS } from "../src/uv-wheels.js";

const project: UvProject = {
  lockSha256: "3c4d5e6f".repeat(8),
  manifestSha256: "9a8b7c6d".repeat(8),
  lockVersion: 1,
  packages: 3,
};

describe("venvKey", () => {
  it("is keyed by uv.lock, pyproject.toml, groups, Python, uv, target and layer version", () => {
    expect(venvKey(project, ["dev", "ml"], "3.13.5", UV_VERSION, testTarget)).toEqual({
      layer_version: 3,
      lock_sha256: project.lockSha256,
      pyproject_sha256: project.manifestSha256,
      groups: "dev,ml",
      python_version: "3.13.5",
      uv_version: UV_VERSION,
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
    });
  });
});

describe("decideVenv", () => {
  const key = venvKey(project, [], "3.13.5", UV_VERSION, testTarget);
  it("creates, reuses, and rebuilds naming every change", () => {
    expect(decideVenv(key, { restored: undefined }, VENV_DESCRIBERS)).toEqual({ action: "create" });
    expect(decideVenv(key, { restored: { ...key } }, VENV_DESCRIBERS)).toEqual({ action: "reuse" });
    const restored = {
      ...key,
      lock_sha256: "1a2b3c4d".repeat(8),
      groups: "dev",
      uv_version: "0.9.0",
      arch: "arm64",
    };
    expect(decideVenv(key, { restored }, VENV_DESCRIBERS)).toEqual({
      action: "rebuild",
      reasons: [
        "uv.lock changed (sha256 1a2b3c4d… -> 3c4d5e6f…)",
        "dependency groups dev -> (none)",
        `uv 0.9.0 -> ${UV_VERSION}`,
        "architecture arm64 -> amd64",
      ],
    });
  });
});

describe("uv tool and cache keys", () => {
  it("pin the wheel of the target architecture", () => {
    expect(uvToolKey("3.13.5", testTarget)).toEqual({
      layer_version: 1,
      uv_version: UV_VERSION,
      wheel_sha256: UV_WHEELS.amd64?.sha256,
      python_version: "3.13.5",
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
    });
    expect(uvToolKey("3.13.5", { ...testTarget, arch: "arm64" }).wheel_sha256).toBe(UV_WHEELS.arm64?.sha256);
    expect(uvCacheKey(UV_VERSION, "3.13.5", testTarget)).toMatchObject({
      uv_version: UV_VERSION,
      arch: "amd64",
    });
  });

  it("has a sha256-pinned https wheel for amd64 and arm64 only", () => {
    for (const arch of ["amd64", "arm64"]) {
      const w = wheelFor(arch);
      expect(w.url).toMatch(
        new RegExp(`^https://files\\.pythonhosted\\.org/.+/uv-${UV_VERSION}-py3-none-.+\\.whl$`),
      );
      expect(w.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(wheelFor("amd64").url).toContain("x86_64");
    expect(wheelFor("arm64").url).toContain("aarch64");
    expect(() => wheelFor("s390x")).toThrow("This buildpack has no uv for s390x");
  });
});

describe("uv sync command", () => {
  it("installs from the lock as is, without the project and without default groups", () => {
    expect(uvSyncArgs([])).toEqual(["sync", "--locked", "--no-install-project", "--no-default-groups"]);
    expect(uvSyncArgs(["dev", "ml"]).slice(4)).toEqual(["--group", "dev", "--group", "ml"]);
  });

  it("points uv at our venv, the selected Python and the cache layer", () => {
    const venv = new Layers("/layers/ml-buildpacks_uv").get("venv");
    expect(uvEnv({}, venv, "/layers/ml-buildpacks_uv/uv-cache", "/usr/bin/python3")).toEqual({
      UV_PROJECT_ENVIRONMENT: "/layers/ml-buildpacks_uv/venv",
      UV_PYTHON: "/usr/bin/python3",
      UV_PYTHON_DOWNLOADS: "never",
      UV_CACHE_DIR: "/layers/ml-buildpacks_uv/uv-cache",
      UV_LINK_MODE: "copy",
      UV_NO_PROGRESS: "1",
      SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt",
      VIRTUAL_ENV: undefined,
      UV_FROZEN: undefined,
      UV_LOCKED: undefined,
    });
    expect(uvEnv({ SSL_CERT_FILE: "/certs/ca.pem" }, venv, "/c", "/usr/bin/python3").SSL_CERT_FILE).toBe(
      "/certs/ca.pem",
    );
  });
});
