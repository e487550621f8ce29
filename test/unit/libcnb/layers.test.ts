import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Layers } from "../../../src/libcnb/layers.js";
import { parseToml } from "../../../src/libcnb/toml.js";
import { tempDir } from "./helpers.js";

describe("Layer metadata", () => {
  it("round-trips typed metadata and writes flags under [types]", () => {
    const dir = tempDir();
    const layer = new Layers(dir).get("venv");
    expect(layer.restored).toBeUndefined();
    layer.reset();
    layer.write({ layer_version: 1, requirements_sha256: "abc", python_version: "3.13.5" }, { launch: true });

    const toml = parseToml(readFileSync(join(dir, "venv.toml"), "utf8"));
    expect(toml).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: { layer_version: 1, requirements_sha256: "abc", python_version: "3.13.5" },
    });

    const again = new Layers(dir).get("venv");
    expect(again.metadata).toEqual({
      layer_version: 1,
      requirements_sha256: "abc",
      python_version: "3.13.5",
    });
  });

  it("reads metadata as the lifecycle restores it (no [types], indented keys)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "venv.toml"), '[metadata]\n  layer_version = 1\n  python_version = "3.13.5"\n');
    const layer = new Layers(dir).get("venv");
    expect(layer.restored).toEqual({ layer_version: 1, python_version: "3.13.5" });
    expect(layer.hasContents()).toBe(false);
  });

  it("treats a toml without [metadata] as empty metadata", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.toml"), "");
    expect(new Layers(dir).get("x").restored).toEqual({});
  });

  it("applies a decoder and reports unreadable metadata instead of throwing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.toml"), "[metadata]\nversion = 3\n");
    writeFileSync(join(dir, "b.toml"), "[metadata\n");
    const decode = (raw: Record<string, unknown>) =>
      typeof raw.version === "string" ? { version: raw.version } : undefined;
    const a = new Layers(dir).get("a", decode);
    expect(a.restored).toEqual({ version: 3 });
    expect(a.metadata).toBeUndefined();
    const b = new Layers(dir).get("b");
    expect(b.restored).toBeUndefined();
    expect(b.restoreProblem).toMatch(/b\.toml/);
  });

  it("rejects reserved and invalid layer names", () => {
    const layers = new Layers(tempDir());
    expect(() => layers.get("launch")).toThrow(/invalid layer name/);
    expect(() => layers.get("store")).toThrow(/invalid layer name/);
    expect(() => layers.get("../x")).toThrow(/invalid layer name/);
  });
});

describe("Layer contents", () => {
  it("reset deletes contents and metadata and leaves an empty dir", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "venv", "bin"), { recursive: true });
    writeFileSync(join(dir, "venv", "bin", "python"), "");
    writeFileSync(join(dir, "venv.toml"), "[metadata]\na = 1\n");
    writeFileSync(join(dir, "venv.sha"), "sha256:x");
    const layer = new Layers(dir).get("venv");
    layer.reset();
    expect(existsSync(join(dir, "venv", "bin"))).toBe(false);
    expect(existsSync(join(dir, "venv.toml"))).toBe(false);
    expect(existsSync(join(dir, "venv.sha"))).toBe(false);
    expect(layer.hasContents()).toBe(true);
  });

  it("reuses a launch layer from the previous image by rewriting only the toml", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "venv.toml"), '[metadata]\nkey = "k"\n');
    const layer = new Layers(dir).get("venv");
    layer.write({ key: "k" }, { launch: true });
    expect(existsSync(join(dir, "venv"))).toBe(false);
    expect(parseToml(readFileSync(join(dir, "venv.toml"), "utf8")).types).toEqual({
      build: false,
      launch: true,
      cache: false,
    });
  });

  it("refuses flags the lifecycle would fail the export for", () => {
    const dir = tempDir();
    const layer = new Layers(dir).get("cache");
    expect(() => layer.write({}, { cache: true })).toThrow(/cache=true needs contents/);
    expect(() => layer.write({}, { launch: true })).toThrow(/no metadata was restored/);
  });
});

describe("Layer env files", () => {
  it("writes suffixed files in env, env.build, env.launch and env.launch/<process>", () => {
    const dir = tempDir();
    const layer = new Layers(dir).get("venv");
    layer.reset();
    layer.env.launch.override("VIRTUAL_ENV", "/layers/venv");
    layer.env.shared.default("PYTHONUNBUFFERED", "1");
    layer.env.build.prepend("PYTHONPATH", "/x");
    layer.env.build.append("CFLAGS", "-O2", " ");
    layer.env.launchFor("web").override("PORT", "8080");
    const read = (p: string) => readFileSync(join(dir, "venv", p), "utf8");
    expect(read("env.launch/VIRTUAL_ENV.override")).toBe("/layers/venv");
    expect(read("env/PYTHONUNBUFFERED.default")).toBe("1");
    expect(read("env.build/PYTHONPATH.prepend")).toBe("/x");
    expect(read("env.build/PYTHONPATH.delim")).toBe(":");
    expect(read("env.build/CFLAGS.append")).toBe("-O2");
    expect(read("env.build/CFLAGS.delim")).toBe(" ");
    expect(read("env.launch/web/PORT.override")).toBe("8080");
  });

  it("rejects names that are not environment variable names", () => {
    const layer = new Layers(tempDir()).get("x");
    expect(() => layer.env.launch.override("A-B", "1")).toThrow(/invalid environment variable name/);
  });
});
