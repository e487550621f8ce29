import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { elfRunpaths } from "../src/integration/runpath.js";
import { elfWithRunpath, tempDir } from "./helpers.js";

describe("elfRunpaths", () => {
  it("reads RUNPATH entries through the string table's load segment", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "libpulse.so.0"),
      elfWithRunpath("/usr/lib/x86_64-linux-gnu/pulseaudio:$ORIGIN/../lib"),
    );
    expect(elfRunpaths(join(dir, "libpulse.so.0"))).toEqual([
      "/usr/lib/x86_64-linux-gnu/pulseaudio",
      "$ORIGIN/../lib",
    ]);
  });

  it("is empty for directories, files that are not 64-bit ELF and a real program without one", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "script"), "#!/bin/sh\necho hi\n");
    expect(elfRunpaths(join(dir, "script"))).toEqual([]);
    expect(elfRunpaths(join(dir, "missing"))).toEqual([]);
    expect(elfRunpaths(dir)).toEqual([]);
    expect(elfRunpaths(process.execPath)).toEqual([]);
  });
});
