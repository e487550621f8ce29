import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import TOML from "@iarna/toml";
import { describe, expect, test } from "vitest";
import { appLayerKey, buildAppLayer, planAppLayer } from "../../../src/core/fast-path/app-layer.js";
import {
  INPUTS_LABEL,
  inputParts,
  parseInputsLabel,
  recordInputs,
} from "../../../src/core/fast-path/inputs.js";
import { listSourceTree } from "../../../src/core/fast-path/source-digest.js";
import type { PreExportRequest } from "../../../src/core/pre-export/contract.js";
import { appReadsLabelKey } from "../../../src/labels/app-reads.js";
import { testTempDir } from "../../../src/libcnb/testing.js";
import { buildLabels, PROJECT_METADATA_FILE, writeInputs } from "../../../src/pre-export/inputs-file.js";
import { preExport } from "../../../src/pre-export/pre-export.js";

const owner = { uid: 1000, gid: 1000 };
const inputs = recordInputs(
  inputParts({
    sourceDigest: "sha256:src",
    env: {},
    builderDigest: "sha256:b",
    runImageDigest: "sha256:r",
    buildpacks: [{ id: "a/pip", version: "0.1.0" }],
    platform: "linux/amd64",
    defaultProcess: undefined,
    lifecycleVersion: "0.21.17",
    platformApi: "0.14",
    toolVersion: "0.2.0",
  }),
);

/** The builder's output as the lifecycle writes it (BurntSushi's layout), an app, and the group. */
function built(o: { reads?: string[] } = {}) {
  const root = testTempDir("pre-export-inputs-");
  const layers = join(root, "layers");
  const app = join(root, "workspace");
  mkdirSync(join(layers, "config"), { recursive: true });
  mkdirSync(app);
  writeFileSync(join(app, "app.py"), "print(1)\n");
  writeFileSync(join(app, "requirements.txt"), "six\n");
  const label = o.reads
    ? `[[labels]]\n  key = "${appReadsLabelKey("a/pip")}"\n  value = ${JSON.stringify(JSON.stringify({ buildpack: "a/pip", files: o.reads }))}\n\n`
    : "";
  writeFileSync(
    join(layers, "config", "metadata.toml"),
    `[[buildpacks]]\n  id = "a/pip"\n  version = "0.1.0"\n\n${label}[[processes]]\n  type = "web"\n  command = ["python"]\n`,
  );
  const groupPath = join(root, "group.toml");
  writeFileSync(groupPath, '[[group]]\n  id = "a/pip"\n  version = "0.1.0"\n');
  return { layersDir: layers, appDir: app, groupPath, root };
}

function written(layersDir: string) {
  const doc = TOML.parse(readFileSync(join(layersDir, PROJECT_METADATA_FILE), "utf8")) as {
    source: { type: string; metadata: Record<string, string> };
  };
  expect(doc.source.type).toBe("ml-buildpacks");
  return parseInputsLabel(doc.source.metadata[INPUTS_LABEL]);
}

describe("the inputs pre-export gives the exporter", () => {
  test("buildpacks' labels are read from the builder's metadata.toml", () => {
    const { layersDir } = built({ reads: ["requirements.txt"] });
    const labels = buildLabels(readFileSync(join(layersDir, "config", "metadata.toml"), "utf8"));
    expect(Object.keys(labels)).toEqual([appReadsLabelKey("a/pip")]);
  });

  test("with the app record the next build checks: the host's key and the planned layer", () => {
    const dirs = built({ reads: ["requirements.txt"] });
    const tree = listSourceTree(dirs.appDir, []);
    const plan = planAppLayer(tree, owner);
    if ("problem" in plan) throw new Error(plan.problem);
    const layer = buildAppLayer(tree, owner);
    expect("diffId" in layer && layer.diffId).toBe(plan.layer);
    const said: string[] = [];
    expect(writeInputs(dirs, { inputs, app: plan }, (l) => said.push(l))).toBe(true);
    const recorded = written(dirs.layersDir);
    expect(recorded).toEqual({
      ...inputs,
      app: { files: ["requirements.txt"], key: appLayerKey(tree, ["requirements.txt"]), layer: plan.layer },
    });
    expect(said.join("\n")).toContain("a later change to other app files only replaces the app layer");
  });

  test("a buildpack that does not say what it read: the inputs without a record, and why", () => {
    const dirs = built();
    const plan = planAppLayer(listSourceTree(dirs.appDir, []), owner);
    if ("problem" in plan) throw new Error(plan.problem);
    const said: string[] = [];
    expect(writeInputs(dirs, { inputs, app: plan }, (l) => said.push(l))).toBe(true);
    expect(written(dirs.layersDir)).toEqual(inputs);
    expect(said.join("\n")).toContain("a/pip does not say which app files it reads");
  });

  test("no builder output to read: nothing written, false, and the log says why", () => {
    const dirs = built();
    const plan = { layer: "sha256:l", shape: "sha256:s" };
    const broken = { ...dirs, layersDir: join(dirs.root, "missing") };
    const said: string[] = [];
    expect(writeInputs(broken, { inputs, app: plan }, (l) => said.push(l))).toBe(false);
    expect(said.join("\n")).toMatch(/^Could not record the build's inputs/);
  });

  test("without staging, pre-export contacts no registry: it writes the inputs and its result", async () => {
    const dirs = built({ reads: [] });
    const resultPath = join(dirs.root, "result.json");
    const req: PreExportRequest = {
      image: "registry.invalid/app:1",
      platform: "linux/amd64",
      compression: { kind: "zlib", level: 4 } as unknown as PreExportRequest["compression"],
      minBytes: 1,
      uid: 1000,
      gid: 1000,
      layersDir: dirs.layersDir,
      appDir: dirs.appDir,
      stage: false,
      label: { inputs },
      analyzedPath: join(dirs.root, "analyzed.toml"),
      groupPath: dirs.groupPath,
      resultPath,
    };
    await preExport(req, () => {});
    expect(JSON.parse(readFileSync(resultPath, "utf8"))).toEqual({ layers: [], labeled: true });
    expect(written(dirs.layersDir)).toEqual(inputs);
    expect(existsSync(req.analyzedPath)).toBe(false);
  });
});
