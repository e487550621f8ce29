import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  aptConfig,
  aptPaths,
  archiveFileName,
  describeSources,
  extraSourceFile,
  multiarchTriplet,
  parseSimulation,
  resolveProblems,
  sourceFailures,
  systemSources,
} from "../src/apt.js";
import { tempDir } from "./helpers.js";

const SIMULATION = `NOTE: This is only a simulation!
Reading package lists...
Inst libx11-6 (2:1.8.12-1 Debian:13.8/stable [amd64])
Inst libstdc++6 [14.2.0-19] (14.2.0-19+deb13u1 Debian-Security:13/stable-security [amd64])
Inst libdrm-common (2.4.124-2 Debian:13.8/stable [all])
Conf libx11-6 (2:1.8.12-1 Debian:13.8/stable [amd64])
`;

describe("apt helpers", () => {
  it("parses what apt-get install --simulate would install, sorted, with upgrades", () => {
    expect(parseSimulation(SIMULATION)).toEqual([
      { name: "libdrm-common", version: "2.4.124-2", arch: "all" },
      { name: "libstdc++6", version: "14.2.0-19+deb13u1", arch: "amd64" },
      { name: "libx11-6", version: "2:1.8.12-1", arch: "amd64" },
    ]);
  });

  it("names downloaded archives the way apt does (epoch colon quoted)", () => {
    expect(archiveFileName({ name: "libx11-6", version: "2:1.8.12-1", arch: "amd64" })).toBe(
      "libx11-6_2%3a1.8.12-1_amd64.deb",
    );
  });

  it("maps apt errors back to the request", () => {
    const reqs = [
      { name: "libnope", origin: "Aptfile:2", file: "Aptfile", line: 2 },
      { name: "libgl1", version: "9", origin: "Aptfile:3", file: "Aptfile", line: 3 },
    ];
    const out = "E: Unable to locate package libnope\nE: Version '9' for 'libgl1' was not found\n";
    expect(resolveProblems(out, reqs).map((p) => [p.kind, p.request.line])).toEqual([
      ["unknown", 2],
      ["no-version", 3],
    ]);
  });

  it("copies the stack's sources and describes them", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sources.list.d"));
    writeFileSync(
      join(dir, "sources.list"),
      "deb [arch=amd64] http://mirror/debian trixie main\n# deb-src x\n",
    );
    writeFileSync(
      join(dir, "sources.list.d", "debian.sources"),
      "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie trixie-updates\nComponents: main\n\nTypes: deb-src\nURIs: http://src\nSuites: trixie\n",
    );
    writeFileSync(join(dir, "sources.list.d", "README"), "ignored\n");
    const files = systemSources({
      sourcesList: join(dir, "sources.list"),
      sourcesParts: join(dir, "sources.list.d"),
      runImageStatus: "",
      buildImageStatus: "",
      user: "cnb",
    });
    expect(files.map((f) => f.name)).toEqual(["stack-sources.list", "stack-debian.sources"]);
    const extra = extraSourceFile({
      name: "coral",
      uri: "https://packages.cloud.google.com/apt",
      suite: "coral-edgetpu-stable",
      components: ["main"],
      signedBy: "/workspace/coral.gpg",
      requestedBy: "x",
    });
    expect(extra.content).toContain("Signed-By: /workspace/coral.gpg\n");
    expect(describeSources([...files, extra])).toEqual([
      "http://mirror/debian trixie",
      "http://deb.debian.org/debian trixie trixie-updates",
      "https://packages.cloud.google.com/apt coral-edgetpu-stable",
    ]);
  });

  it("points every directory apt writes to into the cache layer, and uses the given status", () => {
    const conf = aptConfig(aptPaths("/layers/x/apt-cache"), "/cnb/run-image-dpkg-status", "cnb");
    expect(conf).toContain('Dir::State::status "/cnb/run-image-dpkg-status";');
    expect(conf).toContain('Dir::Cache::archives "/layers/x/apt-cache/archives";');
    expect(conf).toContain('Dir::Cache::pkgcache "/layers/x/apt-cache/cache/pkgcache.bin";');
    expect(conf).toContain('Dir::Etc::sourceparts "/layers/x/apt-cache/etc/sources.list.d";');
    expect(conf).toContain('APT::Sandbox::User "cnb";');
    expect(conf).toContain("#clear APT::Update::Post-Invoke;");
  });

  it("finds update failures of one source", () => {
    const out =
      "Hit:1 http://deb.debian.org/debian trixie InRelease\nErr:2 http://127.0.0.1:9/apt coral InRelease\n  Could not connect\nW: Failed to fetch http://127.0.0.1:9/apt/dists/coral/InRelease  Could not connect\n";
    expect(sourceFailures(out, "http://127.0.0.1:9/apt/")).toEqual([
      "Err:2 http://127.0.0.1:9/apt coral InRelease",
      "W: Failed to fetch http://127.0.0.1:9/apt/dists/coral/InRelease  Could not connect",
    ]);
    expect(multiarchTriplet("arm64")).toBe("aarch64-linux-gnu");
  });
});
