import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseModInfo, readGoBuildInfo } from "../../../src/core/builder/go-buildinfo.js";
import { goBinary, header, LAUNCHER_LINES, modInfo, uvarint } from "./go-binary-fixture.js";

describe("Go build info of a binary (Go >= 1.18 inline format)", () => {
  test("the Go version, main package and module, every dependency with its h1 sum and the build settings", () => {
    const info = readGoBuildInfo(goBinary("go1.26.8", LAUNCHER_LINES));
    expect(info?.goVersion).toBe("go1.26.8");
    expect(info?.path).toBe("github.com/buildpacks/lifecycle/cmd/launcher");
    expect(info?.main).toEqual({
      path: "github.com/buildpacks/lifecycle",
      version: "v0.21.17",
      sum: "h1:edOH8bfQb143kfBbfuoDzYqzsHcPczdZ9Cp86jnvITE=",
    });
    expect(info?.deps.map((d) => `${d.path}@${d.version}`)).toEqual([
      "github.com/BurntSushi/toml@v1.6.0",
      "github.com/heroku/color@v0.0.6",
      "github.com/example/fork@v1.0.1",
      "github.com/example/patched@v2.0.0",
      "golang.org/x/sys/v2@v2.0.0+incompatible",
    ]);
    expect(info?.deps[0]?.sum).toBe("h1:dRaEfpa2VI55EwlIW72hMRHdWouJeRF7TPYhI+AUQjk=");
    expect(info?.settings).toMatchObject({ GOARCH: "amd64", GOOS: "linux", CGO_ENABLED: "0" });
    expect(info?.settings["-ldflags"]).toBe('"-X github.com/buildpacks/lifecycle/cmd.Version=0.21.17"');
  });

  test("a replacement by a module version is what was linked; one by a directory keeps go.mod's name without a sum", () => {
    const deps = readGoBuildInfo(goBinary("go1.26.8", LAUNCHER_LINES))?.deps ?? [];
    expect(deps.find((d) => d.path === "github.com/example/fork")).toEqual({
      path: "github.com/example/fork",
      version: "v1.0.1",
      sum: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      replaces: { path: "github.com/example/old", version: "v1.0.0" },
    });
    expect(deps.find((d) => d.path === "github.com/example/patched")).toEqual({
      path: "github.com/example/patched",
      version: "v2.0.0",
      localDir: "../patched",
    });
    expect(deps.some((d) => d.path === "github.com/example/old")).toBe(false);
  });

  test("the blob is found wherever the file has it, also past an earlier unaligned magic", () => {
    expect(readGoBuildInfo(goBinary("devel go1.27-4f1e2d3 Tue Dec 1", []))?.goVersion).toBe(
      "devel go1.27-4f1e2d3 Tue Dec 1",
    );
    for (const prefix of [0, 16, 100_000]) {
      expect(readGoBuildInfo(goBinary("go1.22.0", LAUNCHER_LINES, prefix))?.goVersion).toBe("go1.22.0");
    }
    // A stray magic in the filler (e.g. the string in the reader's own code) that decodes to nothing.
    const stray = Buffer.concat([
      Buffer.from("\xff Go buildinf:xx", "latin1"),
      goBinary("go1.23.1", LAUNCHER_LINES),
    ]);
    expect(readGoBuildInfo(stray)?.goVersion).toBe("go1.23.1");
  });

  test("a long module info (a two-byte length) and a binary built outside a module (no framing)", () => {
    const many = Array.from({ length: 200 }, (_, i) => `dep\texample.com/m${i}\tv1.0.${i}\th1:x=`);
    expect(readGoBuildInfo(goBinary("go1.26.8", many))?.deps).toHaveLength(200);
    const bare = Buffer.concat([header(), uvarint(8), Buffer.from("go1.26.8"), uvarint(0)]);
    expect(readGoBuildInfo(bare)).toEqual({ goVersion: "go1.26.8", path: "", deps: [], settings: {} });
  });

  test("no build info: undefined, never a throw", () => {
    const valid = goBinary("go1.26.8", LAUNCHER_LINES, 0);
    const cases: [string, Buffer][] = [
      ["a shell script", Buffer.from("#!/bin/sh\nexec true\n")],
      ["empty", Buffer.alloc(0)],
      ["the magic alone", Buffer.from("\xff Go buildinf:", "latin1")],
      ["a header cut short", valid.subarray(0, 20)],
      ["the header without strings", valid.subarray(0, 32)],
      ["the version cut short", valid.subarray(0, 36)],
      ["the module info cut short", valid.subarray(0, 32 + 9 + 40)],
      ["pre-1.18 pointer format", Buffer.concat([header(0x0), Buffer.alloc(64)])],
      [
        "a length past the end",
        Buffer.concat([header(), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from("go")]),
      ],
      ["an endless varint", Buffer.concat([header(), Buffer.alloc(20, 0xff)])],
      [
        "a version that is not text",
        Buffer.concat([header(), uvarint(3), Buffer.from([0, 1, 2]), uvarint(0)]),
      ],
      ["an empty version", Buffer.concat([header(), uvarint(0), uvarint(0)])],
    ];
    for (const [name, bytes] of cases) expect(readGoBuildInfo(bytes), name).toBeUndefined();
  });

  test("any bytes, and any cut or corruption of a valid blob: a result or undefined, never a throw", () => {
    const valid = goBinary("go1.26.8", LAUNCHER_LINES, 0);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(valid.length),
        fc.nat(valid.length - 1),
        fc.nat(255),
        (noise, cut, at, byte) => {
          expect(() => readGoBuildInfo(Buffer.concat([header(), Buffer.from(noise)]))).not.toThrow();
          expect(() => readGoBuildInfo(valid.subarray(0, cut))).not.toThrow();
          const corrupt = Buffer.from(valid);
          corrupt[at] = byte;
          expect(() => readGoBuildInfo(corrupt)).not.toThrow();
        },
      ),
      { seed: 20261204 },
    );
  });
});

describe("module info lines", () => {
  test("unknown lines and a replacement with nothing before it are skipped", () => {
    const text = modInfo(["path\tx/cmd", "=>\ty\tv1\th1:z=", "future\tthing", "mod\tx\t(devel)\t"]).slice(
      16,
      -16,
    );
    expect(parseModInfo(text)).toEqual({
      path: "x/cmd",
      main: { path: "x", version: "(devel)" },
      deps: [],
      settings: {},
    });
  });
});
