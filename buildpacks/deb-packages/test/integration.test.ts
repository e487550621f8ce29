import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeExec } from "#libcnb/testing";
import { FONTS_CONF, fontsConf } from "../src/integration/fontconfig.js";
import { integrate, type UnpackedPackage } from "../src/integration/index.js";
import {
  rehomeTextFiles,
  relinkAbsoluteSymlinks,
  rewriteConfigText,
  walk,
} from "../src/integration/rehome.js";
import { CA_BUNDLE, StepFailed } from "../src/integration/steps.js";
import { elfWithRunpath, tempDir } from "./helpers.js";

const T = "x86_64-linux-gnu";

function file(root: string, rel: string, content = "x"): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

function link(root: string, rel: string, target: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  symlinkSync(target, join(root, rel));
}

const nothingOnSystem = () => false;

describe("absolute symlinks and etc/ paths", () => {
  it("points absolute links at the layer's copy; leaves links the layer cannot satisfy", () => {
    const root = tempDir();
    file(root, "usr/share/fontconfig/conf.avail/45-latin.conf");
    link(root, "etc/fonts/conf.d/45-latin.conf", "/usr/share/fontconfig/conf.avail/45-latin.conf");
    link(root, "etc/fonts/conf.d/99-missing.conf", "/usr/share/fontconfig/conf.avail/99-missing.conf");
    link(root, "usr/bin/rel", "../share/x");
    expect(relinkAbsoluteSymlinks(root, walk(root))).toEqual(["etc/fonts/conf.d/45-latin.conf"]);
    expect(readlinkSync(join(root, "etc/fonts/conf.d/45-latin.conf"))).toBe(
      "../../../usr/share/fontconfig/conf.avail/45-latin.conf",
    );
    expect(readFileSync(join(root, "etc/fonts/conf.d/45-latin.conf"), "utf8")).toBe("x");
    expect(readlinkSync(join(root, "etc/fonts/conf.d/99-missing.conf"))).toBe(
      "/usr/share/fontconfig/conf.avail/99-missing.conf",
    );
  });

  it("rewrites paths the layer has and the system lacks, nothing else", () => {
    const root = tempDir();
    file(root, "usr/share/fonts/truetype/a.ttf");
    file(root, "usr/lib/x86_64-linux-gnu/libx.so");
    const system = new Set(["/usr/lib/x86_64-linux-gnu/libx.so"]);
    const r = rewriteConfigText(
      "<dir>/usr/share/fonts</dir>\nlib=/usr/lib/x86_64-linux-gnu/libx.so\ngone=/usr/share/nothing\nurl=http://h/usr/share/fonts\n",
      root,
      (p) => system.has(p),
    );
    expect(r.paths).toEqual(["/usr/share/fonts"]);
    expect(r.text).toBe(
      `<dir>${root}/usr/share/fonts</dir>\nlib=/usr/lib/x86_64-linux-gnu/libx.so\ngone=/usr/share/nothing\nurl=http://h/usr/share/fonts\n`,
    );
  });

  it("touches text files under etc/ and scripts, not other data", () => {
    const root = tempDir();
    file(root, "usr/share/tool/data.txt");
    file(root, "usr/lib/tool/tool-bin");
    file(root, "usr/bin/tool", '#!/bin/sh\nexec /usr/lib/tool/tool-bin "$@"\n');
    file(root, "etc/tool/tool.conf", "data=/usr/share/tool/data.txt\n");
    file(root, "usr/share/tool/other.conf", "data=/usr/share/tool/data.txt\n");
    writeFileSync(join(root, "etc/tool/blob.bin"), Buffer.from([0, 47, 117, 115, 114]));
    file(root, "etc/sudoers.d/tool", "Cmnd_Alias T = /usr/lib/tool/tool-bin\n");
    chmodSync(join(root, "etc/sudoers.d/tool"), 0o440);
    expect(rehomeTextFiles(root, walk(root), nothingOnSystem)).toEqual([
      { file: "etc/tool/tool.conf", paths: ["/usr/share/tool/data.txt"] },
      { file: "usr/bin/tool", paths: ["/usr/lib/tool/tool-bin"] },
    ]);
    expect(readFileSync(join(root, "usr/bin/tool"), "utf8")).toBe(
      `#!/bin/sh\nexec ${root}/usr/lib/tool/tool-bin "$@"\n`,
    );
    expect(readFileSync(join(root, "usr/share/tool/other.conf"), "utf8")).toBe(
      "data=/usr/share/tool/data.txt\n",
    );
  });
});

describe("fonts.conf", () => {
  it("keeps the system's fonts and rules and adds the layer's, with the cache in the layer", () => {
    const conf = fontsConf("/layers/p", ["usr/share/fonts"], true);
    expect(conf).toContain("<dir>/usr/share/fonts</dir>");
    expect(conf).toContain("<dir>/layers/p/usr/share/fonts</dir>");
    expect(conf).toContain("<cachedir>/layers/p/var/cache/fontconfig</cachedir>");
    expect(conf).toContain('<include ignore_missing="yes">/etc/fonts/conf.d</include>');
    expect(conf).toContain('<include ignore_missing="yes">/layers/p/etc/fonts/conf.d</include>');
    expect(fontsConf("/layers/p", [], false)).not.toContain("/layers/p/etc/fonts/conf.d");
  });
});

/** A layer like graphviz + fonts-dejavu-core + netcat-openbsd + tesseract-ocr-eng unpacked. */
function unpackedLayer(): { root: string; packages: UnpackedPackage[] } {
  const root = tempDir();
  const files: Record<string, string[]> = {
    libgvc6: [
      "usr/lib/x86_64-linux-gnu/graphviz/libgvplugin_core.so.6",
      "usr/lib/x86_64-linux-gnu/graphviz/libgvplugin_dot_layout.so.6",
    ],
    graphviz: ["usr/bin/dot"],
    "fonts-dejavu-core": ["usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    fontconfig: ["usr/bin/fc-cache"],
    "fontconfig-config": ["usr/share/fontconfig/conf.avail/45-latin.conf"],
    "netcat-openbsd": ["usr/bin/nc.openbsd"],
    "tesseract-ocr-eng": ["usr/share/tesseract-ocr/5/tessdata/eng.traineddata"],
    "tesseract-ocr-osd": ["usr/share/tesseract-ocr/5/tessdata/osd.traineddata"],
    "some-daemon": ["etc/some-daemon/daemon.conf"],
    "openjdk-21-jre-headless": [
      "etc/java-21-openjdk/security/java.security",
      "usr/lib/jvm/java-21-openjdk-amd64/conf/security/java.security",
    ],
  };
  for (const list of Object.values(files)) for (const f of list) file(root, f);
  files.libpulse0 = [
    "usr/lib/x86_64-linux-gnu/libpulse.so.0",
    "usr/lib/x86_64-linux-gnu/pulseaudio/libpulsecommon-17.0.so",
  ];
  file(root, "usr/lib/x86_64-linux-gnu/pulseaudio/libpulsecommon-17.0.so");
  writeFileSync(
    join(root, "usr/lib/x86_64-linux-gnu/libpulse.so.0"),
    elfWithRunpath("/usr/lib/x86_64-linux-gnu/pulseaudio"),
  );
  link(root, "etc/fonts/conf.d/45-latin.conf", "/usr/share/fontconfig/conf.avail/45-latin.conf");
  rmSync(join(root, "usr/lib/jvm/java-21-openjdk-amd64/conf/security/java.security"));
  link(
    root,
    "usr/lib/jvm/java-21-openjdk-amd64/conf/security/java.security",
    "/etc/java-21-openjdk/security/java.security",
  );
  files["fontconfig-config"]?.push("etc/fonts/conf.d", "etc/fonts/conf.d/45-latin.conf");
  const packages = Object.entries(files).map(([name, list]) => ({
    name,
    files: list,
    ...(name === "netcat-openbsd"
      ? { postinst: "update-alternatives --install /usr/bin/nc nc /usr/bin/nc.openbsd 50\n" }
      : {}),
    ...(name === "some-daemon"
      ? { postinst: "for x in a b; do update-alternatives --install /usr/bin/$x $x /usr/bin/d 1; done\n" }
      : {}),
  }));
  return { root, packages };
}

describe("integrate", () => {
  it("runs the steps with the layer's tools, sets the table's variables and says per package what it did", async () => {
    const { root, packages } = unpackedLayer();
    const exec = fakeExec((call) => {
      if (call.command.endsWith("/usr/bin/dot")) {
        writeFileSync(join(call.options.env?.GVBINDIR ?? "", "config6a"), "plugins");
        return {};
      }
      if (call.command.endsWith("/usr/bin/fc-cache")) return {};
      return { code: 1 };
    });
    const r = await integrate(packages, {
      root,
      triplet: T,
      exec,
      systemHas: nothingOnSystem,
      toolEnv: (libDirs) => ({
        PATH: `${root}/usr/bin:/usr/bin`,
        LD_LIBRARY_PATH: [`usr/lib/${T}`, ...libDirs].map((d) => `${root}/${d}`).join(":"),
      }),
    });
    expect(exec.calls.map((c) => [c.command.replace(root, "<layer>"), ...c.args])).toEqual([
      ["<layer>/usr/bin/dot", "-c"],
      ["<layer>/usr/bin/fc-cache", "-f"],
    ]);
    expect(exec.calls[0]?.options.env).toMatchObject({
      GVBINDIR: `${root}/usr/lib/${T}/graphviz`,
      LD_LIBRARY_PATH: `${root}/usr/lib/${T}:${root}/usr/lib/${T}/pulseaudio`,
    });
    expect(exec.calls[1]?.options.env?.FONTCONFIG_FILE).toBe(join(root, FONTS_CONF));
    expect(existsSync(join(root, FONTS_CONF))).toBe(true);
    expect(readlinkSync(join(root, "usr/bin/nc"))).toBe("nc.openbsd");

    const env = Object.fromEntries(r.env.map((s) => [s.rule.name, s.value]));
    expect(env).toEqual({
      TESSDATA_PREFIX: `${root}/usr/share/tesseract-ocr/5/tessdata`,
      GVBINDIR: `${root}/usr/lib/${T}/graphviz`,
      FONTCONFIG_FILE: join(root, FONTS_CONF),
    });
    expect(r.applied).toEqual([
      "fontconfig-config: 1 absolute symlink(s) pointed into the layer; " +
        `${FONTS_CONF} (system fonts + usr/share/fonts) as FONTCONFIG_FILE, fc-cache run`,
      `fonts-dejavu-core: ${FONTS_CONF} (system fonts + usr/share/fonts) as FONTCONFIG_FILE, fc-cache run`,
      "libgvc6: registered the Graphviz plugins (dot -c with GVBINDIR); GVBINDIR (Graphviz plugins and their config (dot -c))",
      "libpulse0: RUNPATH /usr/lib/x86_64-linux-gnu/pulseaudio on LD_LIBRARY_PATH",
      "netcat-openbsd: alternative usr/bin/nc -> usr/bin/nc.openbsd",
      "openjdk-21-jre-headless: 1 absolute symlink(s) pointed into the layer",
      "tesseract-ocr-eng: TESSDATA_PREFIX (Tesseract OCR language data)",
      "tesseract-ocr-osd: TESSDATA_PREFIX (Tesseract OCR language data)",
    ]);
    expect(r.libDirs).toEqual(["usr/lib/x86_64-linux-gnu/pulseaudio"]);
    expect(r.notDone).toEqual([
      "some-daemon: not understood, so not applied: update-alternatives --install /usr/bin/$x $x /usr/bin/d 1",
      "some-daemon: etc/some-daemon/daemon.conf not read from the layer (programs look in /etc; their built-in defaults apply)",
    ]);
  });

  it("fails with the command's output when a step the image needs fails", async () => {
    const { root, packages } = unpackedLayer();
    const exec = fakeExec(() => ({ code: 1, stderr: "Error: no plugins\n" }));
    const run = integrate(packages, {
      root,
      triplet: T,
      exec,
      systemHas: nothingOnSystem,
      toolEnv: () => ({}),
    });
    await expect(run).rejects.toBeInstanceOf(StepFailed);
    await expect(run).rejects.toMatchObject({
      step: { id: "graphviz" },
      failure: { code: 1, output: "Error: no plugins" },
    });
  });
});

describe("the Java trust store step", () => {
  it("builds cacerts with the layer's java and links the JRE to it", async () => {
    const root = tempDir();
    file(root, "usr/lib/jvm/java-21/bin/java");
    link(root, "usr/lib/jvm/java-21/lib/security/cacerts", "/etc/ssl/certs/java/cacerts");
    const exec = fakeExec((call) => {
      if (!call.command.endsWith("/usr/lib/jvm/java-21/bin/java")) return { code: 1 };
      writeFileSync(call.args[2] ?? "", "keystore");
      return { stdout: "145\n" };
    });
    const r = await integrate(
      [
        {
          name: "openjdk-21-jre-headless",
          files: ["usr/lib/jvm/java-21/bin/java", "usr/lib/jvm/java-21/lib/security/cacerts"],
        },
      ],
      { root, triplet: T, exec, systemHas: nothingOnSystem, toolEnv: () => ({}) },
    );
    expect(exec.calls[0]?.args.slice(1)).toEqual([CA_BUNDLE, join(root, "etc/ssl/certs/java/cacerts")]);
    expect(readFileSync(join(root, "usr/lib/jvm/java-21/lib/security/cacerts"), "utf8")).toBe("keystore");
    expect(existsSync(join(root, "etc/ssl/certs/java/Cacerts.java"))).toBe(false);
    expect(r.applied).toEqual([
      `openjdk-21-jre-headless: Java trust store from ${CA_BUNDLE} (145 certificates)`,
    ]);
  });
});
