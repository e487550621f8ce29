import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { writeContext } from "../../../src/core/builder/create.js";
import { readGoBuildInfo } from "../../../src/core/builder/go-buildinfo.js";
import {
  binarySbomFiles,
  GO_PROPERTIES,
  goComponents,
  goPurl,
  SYFT_SCHEMA,
} from "../../../src/core/builder/lifecycle-sbom.js";
import { type JsonObject, sbomProblems } from "../libcnb/sbom-check.js";
import { goBinary, LAUNCHER_LINES } from "./go-binary-fixture.js";

const TOOL = { name: "ml-buildpacks", version: "1.2.3" };
const info = () => {
  const i = readGoBuildInfo(goBinary("go1.26.8", LAUNCHER_LINES));
  if (!i) throw new Error("fixture has no build info");
  return i;
};
const docs = () => {
  const files = binarySbomFiles("launcher", "/cnb/lifecycle/launcher", info(), TOOL);
  const parse = (name: string) => JSON.parse(files[name] ?? "null") as JsonObject;
  return {
    names: Object.keys(files).sort(),
    cdx: parse("launcher.sbom.cdx.json"),
    spdx: parse("launcher.sbom.spdx.json"),
    syft: parse("launcher.sbom.syft.json"),
  };
};

describe("the lifecycle binaries' SBOM components", () => {
  test("Go modules are pkg:golang purls, the module path's last element the name", () => {
    expect(goPurl("github.com/buildpacks/lifecycle", "v0.21.17")).toBe(
      "pkg:golang/github.com/buildpacks/lifecycle@v0.21.17",
    );
    expect(goPurl("golang.org/x/sys/v2", "v2.0.0+incompatible")).toBe(
      "pkg:golang/golang.org/x/sys/v2@v2.0.0%2Bincompatible",
    );
    expect(goPurl("stdlib", "1.26.8")).toBe("pkg:golang/stdlib@1.26.8");
  });

  test("main module (application), every dependency as linked, the toolchain's standard library", () => {
    const components = goComponents(info());
    expect(components.map((c) => `${c.type ?? "library"} ${c.purl}`)).toEqual([
      "application pkg:golang/github.com/buildpacks/lifecycle@v0.21.17",
      "library pkg:golang/github.com/BurntSushi/toml@v1.6.0",
      "library pkg:golang/github.com/heroku/color@v0.0.6",
      "library pkg:golang/github.com/example/fork@v1.0.1",
      "library pkg:golang/github.com/example/patched@v2.0.0",
      "library pkg:golang/golang.org/x/sys/v2@v2.0.0%2Bincompatible",
      "library pkg:golang/stdlib@1.26.8",
    ]);
    const [main] = components;
    expect(main?.properties).toEqual({
      [GO_PROPERTIES.sum]: "h1:edOH8bfQb143kfBbfuoDzYqzsHcPczdZ9Cp86jnvITE=",
      [GO_PROPERTIES.package]: "github.com/buildpacks/lifecycle/cmd/launcher",
    });
    expect(components.find((c) => c.name === "github.com/example/fork")?.properties).toEqual({
      [GO_PROPERTIES.sum]: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      [GO_PROPERTIES.replaces]: "github.com/example/old@v1.0.0",
    });
    expect(components.find((c) => c.name === "github.com/example/patched")?.properties).toEqual({
      [GO_PROPERTIES.localDir]: "../patched",
    });
    expect(components.find((c) => c.name === "stdlib")?.version).toBe("go1.26.8");
    // An h1 sum is not the SHA-256 of any file: no hash claims it is.
    expect(components.every((c) => c.hashes.sha256 === undefined)).toBe(true);
  });
});

describe("the lifecycle binaries' SBOM documents", () => {
  test("<binary>.sbom.{cdx,spdx,syft}.json, as the exporter looks for them", () => {
    expect(docs().names).toEqual([
      "launcher.sbom.cdx.json",
      "launcher.sbom.spdx.json",
      "launcher.sbom.syft.json",
    ]);
  });

  test("CycloneDX and SPDX are valid, list the same purls, and carry the h1 sums", () => {
    const { cdx, spdx } = docs();
    expect(sbomProblems(cdx)).toEqual([]);
    expect(sbomProblems(spdx)).toEqual([]);
    const cdxPurls = (cdx.components as JsonObject[]).map((c) => c.purl);
    const spdxPurls = (spdx.packages as JsonObject[]).map(
      (p) => (p.externalRefs as { referenceLocator: string }[])[0]?.referenceLocator,
    );
    expect(cdxPurls).toHaveLength(7);
    expect(spdxPurls).toEqual(cdxPurls);
    const lifecycle = (cdx.components as JsonObject[]).find(
      (c) => c.purl === "pkg:golang/github.com/buildpacks/lifecycle@v0.21.17",
    );
    expect(lifecycle?.type).toBe("application");
    expect(lifecycle?.properties).toContainEqual({
      name: GO_PROPERTIES.sum,
      value: "h1:edOH8bfQb143kfBbfuoDzYqzsHcPczdZ9Cp86jnvITE=",
    });
    const pkg = (spdx.packages as JsonObject[]).find((p) => p.name === "github.com/buildpacks/lifecycle");
    expect(pkg?.comment).toContain(`${GO_PROPERTIES.sum}: h1:edOH8bfQb143kfBbfuoDzYqzsHcPczdZ9Cp86jnvITE=`);
    expect((cdx.metadata as JsonObject).component).toMatchObject({
      name: "/cnb/lifecycle/launcher (github.com/buildpacks/lifecycle/cmd/launcher)",
    });
  });

  test("syft JSON: go-module artifacts with purls and h1 digests, the binary as source, our descriptor", () => {
    const { syft } = docs();
    expect(syft.schema).toEqual(SYFT_SCHEMA);
    expect(syft.descriptor).toEqual(TOOL);
    expect(syft.source).toMatchObject({ type: "file", name: "/cnb/lifecycle/launcher", version: "v0.21.17" });
    const artifacts = syft.artifacts as JsonObject[];
    expect(artifacts).toHaveLength(7);
    for (const a of artifacts) {
      expect(a.type).toBe("go-module");
      expect(a.language).toBe("go");
      expect(String(a.purl)).toMatch(/^pkg:golang\//);
      expect(a.locations).toEqual([{ path: "/cnb/lifecycle/launcher" }]);
      expect(a.metadata).toMatchObject({ goCompiledVersion: "go1.26.8", architecture: "amd64" });
    }
    expect(new Set(artifacts.map((a) => a.id)).size).toBe(7);
    const toml = artifacts.find((a) => a.name === "github.com/BurntSushi/toml");
    expect(toml?.metadata).toMatchObject({
      h1Digest: "h1:dRaEfpa2VI55EwlIW72hMRHdWouJeRF7TPYhI+AUQjk=",
      mainModule: "github.com/buildpacks/lifecycle",
    });
  });

  test("the same binary gives byte-identical documents (the image digest must not change)", () => {
    const once = binarySbomFiles("launcher", "/cnb/lifecycle/launcher", info(), TOOL);
    expect(binarySbomFiles("launcher", "/cnb/lifecycle/launcher", info(), TOOL)).toEqual(once);
  });
});

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), "builder-lifecycle-sbom-test-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CONFIG = {
  buildImage: "127.0.0.1:5000/ml-buildpacks/build:cpu",
  runImages: [{ image: "127.0.0.1:5000/ml-buildpacks/run:cpu", mirrors: [] }],
} as unknown as Parameters<typeof writeContext>[3];

describe("builder create puts the SBOMs beside the binaries (lifecycle/ -> /cnb/lifecycle)", () => {
  test("six files, each binary's from its own build info", () => {
    const lifecycleDir = temp();
    const lifecycleLines = LAUNCHER_LINES.map((l) => l.replace("cmd/launcher", "cmd/lifecycle"));
    writeFileSync(join(lifecycleDir, "lifecycle"), goBinary("go1.26.8", lifecycleLines));
    writeFileSync(join(lifecycleDir, "launcher"), goBinary("go1.26.8", LAUNCHER_LINES));
    const context = temp();
    const dockerfile = readFileSync(writeContext(context, lifecycleDir, [], CONFIG, [], undefined), "utf8");
    expect(dockerfile).toContain("COPY lifecycle /cnb/lifecycle\n");
    const lc = join(context, "lifecycle");
    const sboms = readdirSync(lc).filter((f) => f.includes(".sbom."));
    expect(sboms.sort()).toEqual([
      "launcher.sbom.cdx.json",
      "launcher.sbom.spdx.json",
      "launcher.sbom.syft.json",
      "lifecycle.sbom.cdx.json",
      "lifecycle.sbom.spdx.json",
      "lifecycle.sbom.syft.json",
    ]);
    const subject = (bin: string) =>
      (
        JSON.parse(readFileSync(join(lc, `${bin}.sbom.cdx.json`), "utf8")) as {
          metadata: { component: { name: string } };
        }
      ).metadata.component.name;
    expect(subject("launcher")).toBe(
      "/cnb/lifecycle/launcher (github.com/buildpacks/lifecycle/cmd/launcher)",
    );
    expect(subject("lifecycle")).toBe(
      "/cnb/lifecycle/lifecycle (github.com/buildpacks/lifecycle/cmd/lifecycle)",
    );
  });

  test("a binary without Go build info gets no SBOM, and the builder context is still made", () => {
    const lifecycleDir = temp();
    writeFileSync(join(lifecycleDir, "lifecycle"), goBinary("go1.26.8", LAUNCHER_LINES));
    writeFileSync(join(lifecycleDir, "launcher"), "#!/bin/sh\n");
    const context = temp();
    expect(() => writeContext(context, lifecycleDir, [], CONFIG, [], undefined)).not.toThrow();
    const sboms = readdirSync(join(context, "lifecycle")).filter((f) => f.includes(".sbom."));
    expect(sboms.sort()).toEqual([
      "lifecycle.sbom.cdx.json",
      "lifecycle.sbom.spdx.json",
      "lifecycle.sbom.syft.json",
    ]);
  });
});
