import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Exec } from "#libcnb";
import { BuildpackError, Layers, parseToml, RefreshRecorder, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec, memoryLogger } from "#libcnb/testing";
import type { System } from "../src/apt.js";
import { buildWith } from "../src/build.js";
import { detect } from "../src/detect.js";
import { buildContext, tempDir } from "./helpers.js";

const SIM = [
  "Inst libglvnd0 (1.7.0-1+b2 Debian:13.8/stable [amd64])",
  "Inst libgl1 (1.7.0-1+b2 Debian:13.8/stable [amd64])",
].join("\n");
const PACKAGES = "libgl1=1.7.0-1+b2:amd64 libglvnd0=1.7.0-1+b2:amd64";

function system(withStatus = true): System {
  const dir = tempDir();
  mkdirSync(join(dir, "sources.list.d"));
  writeFileSync(
    join(dir, "sources.list.d", "debian.sources"),
    "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\n",
  );
  if (withStatus) writeFileSync(join(dir, "run-status"), "Package: libc6\nStatus: install ok installed\n");
  writeFileSync(join(dir, "build-status"), "");
  return {
    sourcesList: join(dir, "sources.list"),
    sourcesParts: join(dir, "sources.list.d"),
    runImageStatus: join(dir, "run-status"),
    buildImageStatus: join(dir, "build-status"),
    user: "cnb",
  };
}

interface FakeApt {
  sim?: string;
  simCode?: number;
  simOutput?: string;
  update?: { code?: number; output?: string };
}

/** apt-get and dpkg-deb: "downloads" into the archives dir of apt.conf, "unpacks" a lib and a .pc file. */
function fakeApt(opts: FakeApt = {}) {
  return fakeExec((call: ExecCall) => {
    if (call.command === "apt-get") {
      const conf = readFileSync(call.args[1] ?? "", "utf8");
      const archives = /Dir::Cache::archives "([^"]+)"/.exec(conf)?.[1] ?? "";
      if (call.args.includes("update")) {
        // apt-get update writes its binary cache where apt.conf says.
        const pkgcache = /Dir::Cache::pkgcache "([^"]+)"/.exec(conf)?.[1] ?? "";
        writeFileSync(pkgcache, "cache");
        return {
          code: opts.update?.code ?? 0,
          stdout: opts.update?.output ?? "Hit:1 http://deb.debian.org/debian trixie InRelease\n",
        };
      }
      if (call.args.includes("--simulate")) {
        return { code: opts.simCode ?? 0, stdout: opts.simOutput ?? opts.sim ?? SIM };
      }
      if (call.args.includes("--download-only")) {
        for (const f of ["libgl1_1.7.0-1+b2_amd64.deb", "libglvnd0_1.7.0-1+b2_amd64.deb"])
          writeFileSync(join(archives, f), "deb");
        writeFileSync(join(archives, "stale_1.0_amd64.deb"), "old");
        return {};
      }
    }
    if (call.command === "dpkg-deb" && call.args[0] === "-I") {
      return { code: 2, stderr: "dpkg-deb: archive contains no control component 'postinst'\n" };
    }
    if (call.command === "dpkg-deb") {
      const into = call.args[2] ?? "";
      const lib = join(into, "usr/lib/x86_64-linux-gnu");
      mkdirSync(join(lib, "pkgconfig"), { recursive: true });
      writeFileSync(join(lib, "libGL.so.1"), "elf");
      writeFileSync(
        join(lib, "pkgconfig", "gl.pc"),
        "prefix=/usr\nlibdir=$" + "{prefix}/lib/x86_64-linux-gnu\n",
      );
      mkdirSync(join(into, "usr/include/GL"), { recursive: true });
      mkdirSync(join(into, "usr/share/man/man1"), { recursive: true });
      mkdirSync(join(into, "usr/share/locale/de/LC_MESSAGES"), { recursive: true });
      mkdirSync(join(into, "usr/share/doc/libgl1"), { recursive: true });
      writeFileSync(join(into, "usr/share/doc/libgl1/copyright"), "GPL");
      writeFileSync(join(into, "usr/share/doc/libgl1/changelog.Debian.gz"), "log");
      return {};
    }
    return { code: 1, stderr: `unexpected ${call.command}` };
  });
}

const toml = (p: string) => parseToml(readFileSync(p, "utf8"));

describe("deb-packages detect", () => {
  it("provides and requires deb-packages with an Aptfile, only provides without", async () => {
    const withFile = buildContext({ Aptfile: "libgl1\n" });
    expect(detect(withFile)).toEqual({
      pass: true,
      plan: { provides: [{ name: "deb-packages" }], requires: [{ name: "deb-packages" }] },
    });
    expect(detect(buildContext({}))).toEqual({ pass: true, plan: { provides: [{ name: "deb-packages" }] } });
  });
});

describe("deb-packages build", () => {
  it("resolves against the run image, downloads, unpacks into a launch+build+cache layer and sets paths", async () => {
    const exec = fakeApt();
    const ctx = buildContext({ Aptfile: "# gl\nlibgl1\n" }, exec);
    const sys = system();
    await buildWith(ctx, sys);

    const layer = join(ctx.layersDir, "packages");
    expect(toml(`${layer}.toml`)).toEqual({
      types: { build: true, launch: true, cache: true },
      metadata: {
        layer_version: 4,
        arch: "amd64",
        distro_name: "debian",
        distro_version: "13",
        packages: PACKAGES,
      },
    });
    const conf = readFileSync(join(ctx.layersDir, "apt-cache", "apt.conf"), "utf8");
    expect(conf).toContain(`Dir::State::status "${sys.runImageStatus}";`);
    expect(
      exec.calls.map((c) => `${c.command} ${c.args.slice(c.command === "apt-get" ? 2 : 0).join(" ")}`),
    ).toEqual([
      "apt-get update -q",
      "apt-get install --simulate libgl1",
      "apt-get install --download-only -qq libgl1",
      expect.stringMatching(/^dpkg-deb -X .*libgl1_1\.7\.0-1\+b2_amd64\.deb/),
      expect.stringMatching(/^dpkg-deb -I .*libgl1_1\.7\.0-1\+b2_amd64\.deb postinst$/),
      expect.stringMatching(/^dpkg-deb -X .*libglvnd0_1\.7\.0-1\+b2_amd64\.deb/),
      expect.stringMatching(/^dpkg-deb -I .*libglvnd0_1\.7\.0-1\+b2_amd64\.deb postinst$/),
    ]);
    const lib = join(layer, "usr/lib/x86_64-linux-gnu");
    expect(readFileSync(join(layer, "env", "LD_LIBRARY_PATH.prepend"), "utf8")).toBe(
      `${lib}:${join(layer, "usr/lib")}`,
    );
    expect(readFileSync(join(layer, "env.build", "PKG_CONFIG_PATH.prepend"), "utf8")).toBe(
      join(lib, "pkgconfig"),
    );
    expect(readFileSync(join(layer, "env.build", "CPATH.prepend"), "utf8")).toBe(join(layer, "usr/include"));
    expect(readFileSync(join(lib, "pkgconfig", "gl.pc"), "utf8")).toContain(`prefix=${layer}/usr\n`);
    expect(existsSync(join(layer, "usr/share/man"))).toBe(false);
    expect(existsSync(join(layer, "usr/share/locale"))).toBe(false);
    expect(existsSync(join(layer, "usr/share/doc/libgl1/changelog.Debian.gz"))).toBe(false);
    expect(readFileSync(join(layer, "usr/share/doc/libgl1/copyright"), "utf8")).toBe("GPL");
    // The cache keeps this build's archives only.
    const archives = join(ctx.layersDir, "apt-cache", "archives");
    expect(existsSync(join(archives, "libgl1_1.7.0-1+b2_amd64.deb"))).toBe(true);
    expect(existsSync(join(archives, "stale_1.0_amd64.deb"))).toBe(false);
    // apt's binary cache is rebuilt by the next update: not kept.
    expect(existsSync(join(ctx.layersDir, "apt-cache", "cache"))).toBe(false);
    expect(toml(join(ctx.layersDir, "apt-cache.toml"))).toMatchObject({
      types: { cache: true, launch: false },
    });
    const log = ctx.logger.text();
    expect(log).toContain("- Requested: libgl1 from Aptfile:2");
    expect(log).toContain("  http://deb.debian.org/debian trixie");
    expect(log).toContain("- 2 package(s) to install from debian 13:");
  });

  it("keeps the layer when the resolved packages are unchanged and the cache restored it", async () => {
    const exec = fakeApt();
    const ctx = buildContext({ Aptfile: "libgl1\n" }, exec);
    const meta = {
      layer_version: 4,
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
      packages: PACKAGES,
    };
    writeFileSync(join(ctx.layersDir, "packages.toml"), stringifyToml({ metadata: meta }));
    mkdirSync(join(ctx.layersDir, "packages", "usr"), { recursive: true });
    await buildWith(ctx, system());
    expect(exec.calls.map((c) => c.args[2])).toEqual(["update", "install"]);
    expect(toml(join(ctx.layersDir, "packages.toml"))).toEqual({
      types: { build: true, launch: true, cache: true },
      metadata: meta,
    });
    expect(ctx.logger.text()).toContain("- Reusing the packages layer (same packages and versions");
  });

  it("skips apt-get update when the request is unchanged and resolved recently; not after the refresh age", async () => {
    const first = buildContext({ Aptfile: "libgl1\n" }, fakeApt());
    await buildWith(first, system());
    expect(existsSync(join(first.layersDir, "apt-cache", "resolution.json"))).toBe(true);

    // The next build, as the lifecycle restores it: same layers dir, the layers' metadata read anew.
    const again = (env: Record<string, string> = {}) => {
      const exec = fakeApt();
      const ctx = {
        ...first,
        exec,
        env,
        layers: new Layers(first.layersDir),
        logger: memoryLogger(),
        refresh: new RefreshRecorder(),
      };
      return { ctx, exec };
    };
    const dueAt = (ctx: typeof first) =>
      Date.parse(JSON.parse(ctx.refresh.label(ctx.buildpack.id)?.value ?? "{}").due);
    // The image says when apt-get update is due again: the platform's fast paths must not outlive it.
    const resolvedAt = JSON.parse(
      readFileSync(join(first.layersDir, "apt-cache", "resolution.json"), "utf8"),
    ).at;
    expect(dueAt(first)).toBe(resolvedAt + 24 * 3_600_000);
    expect(first.refresh.label(first.buildpack.id)?.value).toContain("BP_DEB_PACKAGES_REFRESH_HOURS");
    const quick = again();
    await buildWith(quick.ctx, system());
    expect(quick.exec.calls).toEqual([]);
    expect(dueAt(quick.ctx)).toBe(resolvedAt + 24 * 3_600_000);
    expect(quick.ctx.logger.text()).toMatch(
      /- Reusing the packages layer: Aptfile, sources and run image packages unchanged, resolved 0\.0 h ago \(apt-get update runs again after 24 h/,
    );
    expect(toml(join(first.layersDir, "packages.toml")).types).toEqual({
      build: true,
      launch: true,
      cache: true,
    });

    // Recorded by an earlier process 25 h ago (wall-clock time, not this process's monotonic clock).
    const file = join(first.layersDir, "apt-cache", "resolution.json");
    const record = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...record, at: Date.now() - 25 * 3_600_000 }));
    const stale = again();
    await buildWith(stale.ctx, system());
    expect(stale.exec.calls.map((c) => c.args[2])).toEqual(["update", "install"]);

    expect(dueAt(stale.ctx)).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const every = again({ BP_DEB_PACKAGES_REFRESH_HOURS: "0" });
    await buildWith(every.ctx, system());
    expect(every.exec.calls.map((c) => c.args[2])).toEqual(["update", "install"]);
    expect(dueAt(every.ctx)).toBeLessThanOrEqual(Date.now());

    writeFileSync(join(first.appDir, "Aptfile"), "libgl1\nlibglib2.0-0\n");
    const changed = again();
    await buildWith(changed.ctx, system());
    expect(changed.exec.calls.map((c) => c.args[2])).toContain("update");

    await expect(buildWith(again({ BP_DEB_PACKAGES_REFRESH_HOURS: "soon" }).ctx, system())).rejects.toThrow(
      "BP_DEB_PACKAGES_REFRESH_HOURS is not a number of hours",
    );
  });

  it("rebuilds from scratch when a version changed, saying which", async () => {
    const ctx = buildContext({ Aptfile: "libgl1\n" }, fakeApt());
    const meta = {
      layer_version: 4,
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
      packages: "libgl1=1.6.0-1:amd64 libold=1:amd64",
    };
    writeFileSync(join(ctx.layersDir, "packages.toml"), stringifyToml({ metadata: meta }));
    mkdirSync(join(ctx.layersDir, "packages", "usr", "stale"), { recursive: true });
    await buildWith(ctx, system());
    expect(ctx.logger.text()).toContain(
      "  the resolved packages changed: libgl1 1.6.0-1:amd64 -> 1.7.0-1+b2:amd64, + libglvnd0 1.7.0-1+b2:amd64, - libold 1:amd64",
    );
    expect(existsSync(join(ctx.layersDir, "packages", "usr", "stale"))).toBe(false);
  });

  it("needs no layer when the run image has everything", async () => {
    const ctx = buildContext(
      { Aptfile: "libstdc++6\n" },
      fakeApt({ sim: "libstdc++6 is already the newest version\n" }),
    );
    await buildWith(ctx, system());
    expect(existsSync(join(ctx.layersDir, "packages.toml"))).toBe(false);
    expect(ctx.logger.text()).toContain("already installed in the run image");
  });

  it("names the Aptfile line of a package apt does not know", async () => {
    const ctx = buildContext(
      { Aptfile: "libgl1\nlibnot-a-package\n" },
      fakeApt({ simCode: 100, simOutput: "E: Unable to locate package libnot-a-package\n" }),
    );
    const err = (await buildWith(ctx, system()).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("Package libnot-a-package cannot be installed");
    expect([err.file, err.line]).toEqual(["Aptfile", 2]);
  });

  it("does the packages' postinst work in the layer, logs it per package, and stops when it fails", async () => {
    const base = fakeApt();
    const withDot = (dotCode: number): Exec =>
      fakeExec(async (call) => {
        if (call.command.endsWith("/usr/bin/dot"))
          return dotCode ? { code: dotCode, stderr: "Error: dot: can't open plugins\n" } : {};
        const r = await base(call.command, call.args, call.options);
        if (call.command === "dpkg-deb" && call.args[0] === "-X") {
          const into = call.args[2] ?? "";
          mkdirSync(join(into, "usr/lib/x86_64-linux-gnu/graphviz"), { recursive: true });
          writeFileSync(join(into, "usr/lib/x86_64-linux-gnu/graphviz/libgvplugin_core.so.6"), "elf");
          mkdirSync(join(into, "usr/bin"), { recursive: true });
          writeFileSync(join(into, "usr/bin/dot"), "elf");
          return {
            ...r,
            stdout: "./usr/lib/x86_64-linux-gnu/graphviz/libgvplugin_core.so.6\n./usr/bin/dot\n",
          };
        }
        return r;
      });
    const ok = buildContext({ Aptfile: "libgl1\n" }, withDot(0));
    await buildWith(ok, system());
    const layer = join(ok.layersDir, "packages");
    expect(readFileSync(join(layer, "env", "GVBINDIR.default"), "utf8")).toBe(
      join(layer, "usr/lib/x86_64-linux-gnu/graphviz"),
    );
    expect(ok.logger.text()).toContain(
      "libgl1: registered the Graphviz plugins (dot -c with GVBINDIR); GVBINDIR (Graphviz plugins",
    );

    const failing = buildContext({ Aptfile: "libgl1\n" }, withDot(1));
    const err = (await buildWith(failing, system()).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("Setting up the graphviz files of the Aptfile's packages failed");
    expect(err.body).toContain("exited with status 1:\n\nError: dot: can't open plugins");
  });

  it("warns and falls back to the build image's status without the run image's", async () => {
    const exec = fakeApt();
    const ctx = buildContext({ Aptfile: "libgl1\n" }, exec);
    const sys = system(false);
    await buildWith(ctx, sys);
    expect(ctx.logger.text()).toContain("! WARNING: ");
    expect(readFileSync(join(ctx.layersDir, "apt-cache", "apt.conf"), "utf8")).toContain(
      sys.buildImageStatus,
    );
  });

  describe("packages and sources from another buildpack's plan entry", () => {
    const entry = (signedBy: string, uri = "http://127.0.0.1:9/apt") => ({
      name: "deb-packages",
      metadata: {
        requested_by: "ml-buildpacks/hardware (hardware.txt: coral)",
        packages: ["libedgetpu1-std"],
        sources: [
          { name: "coral", uri, suite: "coral-edgetpu-stable", components: ["main"], signed_by: signedBy },
        ],
      },
    });

    it("adds the source (signed) and fails clearly when it cannot be reached", async () => {
      const exec = fakeApt({
        update: {
          code: 100,
          output:
            "Err:2 http://127.0.0.1:9/apt coral-edgetpu-stable InRelease\n  Could not connect to 127.0.0.1:9\nW: Failed to fetch http://127.0.0.1:9/apt/dists/coral-edgetpu-stable/InRelease  Could not connect\n",
        },
      });
      const ctx = { ...buildContext({ "coral.gpg": "key" }, exec) };
      ctx.plan = { entries: [entry("coral.gpg")] };
      const err = (await buildWith(ctx, system()).catch((e: unknown) => e)) as BuildpackError;
      expect(err.title).toBe("Could not use the apt source coral at http://127.0.0.1:9/apt");
      expect(err.body).toContain("ml-buildpacks/hardware (hardware.txt: coral) needs packages");
      expect(err.body).toContain("Could not connect");
      const sources = readFileSync(
        join(ctx.layersDir, "apt-cache", "etc", "sources.list.d", "extra-coral.sources"),
        "utf8",
      );
      expect(sources).toContain(`Signed-By: ${join(ctx.appDir, "coral.gpg")}`);
      expect(ctx.logger.text()).toContain(
        "- Requested: libedgetpu1-std from ml-buildpacks/hardware (hardware.txt: coral)",
      );
    });

    it("refuses a source whose keyring is missing", async () => {
      const ctx = buildContext({}, fakeApt());
      ctx.plan = { entries: [entry("missing.gpg")] };
      const err = (await buildWith(ctx, system()).catch((e: unknown) => e)) as BuildpackError;
      expect(err.title).toBe("The signing key for the apt source coral is missing");
    });

    it("rejects a malformed entry as the requesting buildpack's bug", async () => {
      const ctx = buildContext({}, fakeApt());
      ctx.plan = {
        entries: [{ name: "deb-packages", metadata: { requested_by: "x/y", packages: ["Bad Name"] } }],
      };
      const err = (await buildWith(ctx, system()).catch((e: unknown) => e)) as BuildpackError;
      expect(err.title).toBe("Invalid request for Debian packages from x/y");
    });
  });
});
