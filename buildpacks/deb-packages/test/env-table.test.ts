import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Layer } from "#libcnb";
import { ENV_RULES, envSettings } from "../src/integration/env-table.js";
import { expand } from "../src/integration/paths.js";
import { writePackagesEnv } from "../src/layers/packages.js";
import { tempDir } from "./helpers.js";

const T = "x86_64-linux-gnu";

function layer(files: string[]): string {
  const root = tempDir();
  for (const f of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), "x");
  }
  return root;
}

const byName = (root: string) => Object.fromEntries(envSettings(root, T).map((s) => [s.rule.name, s]));

describe("the relocation table", () => {
  it("is well formed: valid unique names, relative patterns, lists only where a list is read", () => {
    const names = ENV_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of ENV_RULES) {
      expect(r.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(r.what.length).toBeGreaterThan(5);
      for (const p of r.paths) expect(p, r.name).toMatch(/^(usr|etc)\/[^/]/);
    }
  });

  it("sets nothing for a layer of plain libraries", () => {
    expect(envSettings(layer(["usr/lib/x86_64-linux-gnu/libGL.so.1"]), T)).toEqual([]);
  });

  it("keys each variable by the files the packages ship", () => {
    const root = layer([
      "usr/share/tesseract-ocr/5/tessdata/eng.traineddata",
      "usr/share/gdal/gdalvrt.xsd",
      "usr/share/proj/proj.db",
      "usr/lib/x86_64-linux-gnu/graphviz/libgvplugin_core.so.6",
      "usr/lib/x86_64-linux-gnu/espeak-ng-data/phontab",
      "usr/lib/file/magic.mgc",
      "etc/ImageMagick-7/policy.xml",
      "usr/share/ImageMagick-7/english.xml",
      "usr/lib/x86_64-linux-gnu/ImageMagick-7.1.1/modules-Q16/coders/png.so",
    ]);
    const s = byName(root);
    expect(s.TESSDATA_PREFIX?.value).toBe(`${root}/usr/share/tesseract-ocr/5/tessdata`);
    expect(s.GDAL_DATA?.value).toBe(`${root}/usr/share/gdal`);
    expect(s.PROJ_DATA?.value).toBe(`${root}/usr/share/proj`);
    expect(s.PROJ_LIB?.value).toBe(`${root}/usr/share/proj`);
    expect(s.GVBINDIR?.value).toBe(`${root}/usr/lib/x86_64-linux-gnu/graphviz`);
    expect(s.ESPEAK_DATA_PATH?.value).toBe(`${root}/usr/lib/x86_64-linux-gnu`);
    expect(s.MAGIC?.value).toBe(`${root}/usr/lib/file/magic.mgc`);
    expect(s.MAGICK_CONFIGURE_PATH).toMatchObject({
      action: "prepend",
      value: `${root}/etc/ImageMagick-7:${root}/usr/share/ImageMagick-7`,
    });
    expect(s.MAGICK_CODER_MODULE_PATH?.value).toBe(
      `${root}/usr/lib/x86_64-linux-gnu/ImageMagick-7.1.1/modules-Q16/coders`,
    );
    expect(s.TESSDATA_PREFIX?.action).toBe("default");
  });

  it("keeps the system's default after the layer's entries for search lists", () => {
    const root = layer(["usr/share/mime/packages/x.xml", "usr/share/icons/hicolor/index.theme"]);
    expect(byName(root).XDG_DATA_DIRS?.value).toBe(`${root}/usr/share:/usr/local/share:/usr/share`);
    const dri = layer(["usr/lib/x86_64-linux-gnu/dri/swrast_dri.so"]);
    expect(byName(dri).LIBGL_DRIVERS_PATH?.value).toBe(
      `${dri}/usr/lib/x86_64-linux-gnu/dri:/usr/lib/x86_64-linux-gnu/dri`,
    );
  });
});

describe("expand", () => {
  it("matches * within one segment, newest version first", () => {
    const root = layer([
      "usr/share/x/9/d/f",
      "usr/share/x/10/d/f",
      "usr/share/x/10/e/f",
      "usr/share/y/10/d/f",
    ]);
    expect(expand(root, "usr/share/x/*/d", T)).toEqual(["usr/share/x/10/d", "usr/share/x/9/d"]);
    expect(expand(root, "usr/share/*/10/d/f", T)).toEqual(["usr/share/y/10/d/f", "usr/share/x/10/d/f"]);
    expect(expand(root, "usr/share/z/*", T)).toEqual([]);
  });
});

describe("writePackagesEnv", () => {
  it("writes the table's variables for build and launch, bin/ and ld.so.conf.d dirs in the search paths", () => {
    const dir = tempDir();
    const root = join(dir, "packages");
    for (const f of [
      "bin/nc",
      "usr/bin/dot",
      "usr/lib/x86_64-linux-gnu/libx.so.1",
      "usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
      "usr/share/tesseract-ocr/5/tessdata/eng.traineddata",
      "usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
    ]) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), "x");
    }
    mkdirSync(join(root, "etc/ld.so.conf.d"), { recursive: true });
    writeFileSync(join(root, "etc/ld.so.conf.d/blas.conf"), "# blas\n/usr/lib/x86_64-linux-gnu/blas\n");
    const layer = new Layer(dir, "packages");
    writePackagesEnv(layer, "amd64", envSettings(root, T));
    const env = (f: string) => readFileSync(join(root, "env", f), "utf8");
    expect(env("PATH.prepend")).toBe(`${root}/usr/bin:${root}/bin`);
    expect(env("LD_LIBRARY_PATH.prepend")).toBe(
      `${root}/usr/lib/${T}:${root}/usr/lib:${root}/usr/lib/${T}/blas`,
    );
    expect(env("TESSDATA_PREFIX.default")).toBe(`${root}/usr/share/tesseract-ocr/5/tessdata`);
    expect(env("LIBGL_DRIVERS_PATH.prepend")).toBe(`${root}/usr/lib/${T}/dri:/usr/lib/${T}/dri`);
    expect(env("LIBGL_DRIVERS_PATH.delim")).toBe(":");
  });
});
