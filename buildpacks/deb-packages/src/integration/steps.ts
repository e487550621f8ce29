// What maintainer scripts and dpkg triggers generate, generated into the layer at build time with the
// packages' own tools (or the build image's): registries and caches that programs expect beside their
// plugins. Each step is keyed by the files that need it, like the env table.
import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Exec } from "#libcnb";
import { FONTS_CONF, writeFontsConf } from "./fontconfig.js";
import { expand } from "./paths.js";

export interface StepContext {
  root: string;
  triplet: string;
  exec: Exec;
  /** PATH and LD_LIBRARY_PATH with the layer's directories first, so the layer's tools run. */
  env: Record<string, string>;
}

export interface StepResult {
  /** Layer-relative paths that called for the step (to name the packages in the log). */
  keyedBy: string[];
  /** What was done, for the log. */
  done: string;
}

export interface StepFailure {
  command: string;
  output: string;
  code: number;
}

export class StepFailed extends Error {
  constructor(
    readonly step: Step,
    readonly failure: StepFailure,
  ) {
    super(`${step.id}: ${failure.command} exited with ${failure.code}`);
  }
}

export interface Step {
  id: string;
  /** The postinst/trigger work it stands in for. */
  what: string;
  run(ctx: StepContext): Promise<StepResult | undefined>;
}

/** A tool from the layer (first) or the build image; undefined when neither has it. */
async function findTool(ctx: StepContext, candidates: string[], name: string): Promise<string | undefined> {
  for (const c of candidates) {
    const found = expand(ctx.root, c, ctx.triplet)[0];
    if (found) return join(ctx.root, found);
  }
  const r = await ctx.exec("sh", ["-c", `command -v ${name}`], { env: ctx.env });
  const path = r.stdout.trim();
  return r.code === 0 && path.startsWith("/") ? path : undefined;
}

async function runTool(
  ctx: StepContext,
  step: Step,
  tool: string,
  args: string[],
  env: Record<string, string> = {},
) {
  const r = await ctx.exec(tool, args, { env: { ...ctx.env, ...env } });
  if (r.code !== 0)
    throw new StepFailed(step, { command: [tool, ...args].join(" "), output: r.output.trim(), code: r.code });
  return r;
}

const graphviz: Step = {
  id: "graphviz",
  what: "graphviz's postinst (libgvc6-config-update -c): the plugin registry config6a",
  async run(ctx) {
    const core = expand(ctx.root, "usr/lib/<triplet>/graphviz/libgvplugin_core.so*", ctx.triplet)[0];
    if (!core) return undefined;
    const dir = join(ctx.root, core, "..");
    const dot = await findTool(ctx, ["usr/bin/dot"], "dot");
    if (!dot)
      return { keyedBy: [core], done: "no dot to register the plugins with (add graphviz to the Aptfile)" };
    await runTool(ctx, this, dot, ["-c"], { GVBINDIR: dir });
    return { keyedBy: [core], done: "registered the Graphviz plugins (dot -c with GVBINDIR)" };
  },
};

const fontconfig: Step = {
  id: "fontconfig",
  what: "fontconfig's postinst and trigger: fonts.conf and fc-cache",
  async run(ctx) {
    const dirs = writeFontsConf(ctx.root);
    if (!dirs) return undefined;
    const keyedBy = [...dirs, "etc/fonts/conf.d"].filter((d) => existsSync(join(ctx.root, d)));
    const fcCache = await findTool(ctx, ["usr/bin/fc-cache"], "fc-cache");
    if (!fcCache)
      return {
        keyedBy,
        done: `${FONTS_CONF} as FONTCONFIG_FILE; no fc-cache here: fonts are scanned when a program starts`,
      };
    await runTool(ctx, this, fcCache, ["-f"], { FONTCONFIG_FILE: join(ctx.root, FONTS_CONF) });
    return {
      keyedBy,
      done: `${FONTS_CONF} (system fonts + ${dirs.join(", ") || "no font dirs"}) as FONTCONFIG_FILE, fc-cache run`,
    };
  },
};

const pixbuf: Step = {
  id: "gdk-pixbuf",
  what: "gdk-pixbuf's trigger: gdk-pixbuf-query-loaders",
  async run(ctx) {
    const base = "usr/lib/<triplet>/gdk-pixbuf-2.0/2.10.0";
    const loaders = expand(ctx.root, `${base}/loaders/*.so`, ctx.triplet);
    if (!loaders.length) return undefined;
    const tool = await findTool(
      ctx,
      ["usr/lib/<triplet>/gdk-pixbuf-2.0/gdk-pixbuf-query-loaders", "usr/bin/gdk-pixbuf-query-loaders"],
      "gdk-pixbuf-query-loaders",
    );
    if (!tool) return { keyedBy: loaders, done: "no gdk-pixbuf-query-loaders: loaders not registered" };
    const r = await runTool(
      ctx,
      this,
      tool,
      loaders.map((l) => join(ctx.root, l)),
    );
    writeFileSync(join(ctx.root, base.replace("<triplet>", ctx.triplet), "loaders.cache"), r.stdout);
    return {
      keyedBy: loaders,
      done: `registered ${loaders.length} image loader(s) in loaders.cache (GDK_PIXBUF_MODULE_FILE)`,
    };
  },
};

const schemas: Step = {
  id: "glib-schemas",
  what: "GLib's trigger: glib-compile-schemas",
  async run(ctx) {
    const xml = expand(ctx.root, "usr/share/glib-2.0/schemas/*.xml", ctx.triplet);
    if (!xml.length) return undefined;
    const tool = await findTool(
      ctx,
      ["usr/lib/<triplet>/glib-2.0/glib-compile-schemas", "usr/bin/glib-compile-schemas"],
      "glib-compile-schemas",
    );
    if (!tool) return { keyedBy: xml, done: "no glib-compile-schemas: schemas not compiled" };
    await runTool(ctx, this, tool, [join(ctx.root, "usr/share/glib-2.0/schemas")]);
    return { keyedBy: xml, done: `compiled ${xml.length} GSettings schema file(s) (GSETTINGS_SCHEMA_DIR)` };
  },
};

/** Java source run with the layer's own java: one JVM reads the whole PEM bundle into a keystore. */
const CACERTS_JAVA = `
import java.io.*;
import java.security.KeyStore;
import java.security.cert.*;
public class Cacerts {
  public static void main(String[] a) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int n = 0;
    try (InputStream in = new FileInputStream(a[0])) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
        ks.setCertificateEntry("debian-ca-" + n++, c);
    }
    // No password: certificates stay readable by a JVM that opens the store without one (its default).
    try (OutputStream out = new FileOutputStream(a[1])) { ks.store(out, null); }
    System.out.println(n);
  }
}
`;

export const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const JAVA_CACERTS = "etc/ssl/certs/java/cacerts";

const javaCacerts: Step = {
  id: "java-cacerts",
  what: "ca-certificates-java's trigger: the Java trust store /etc/ssl/certs/java/cacerts",
  async run(ctx) {
    // A JRE whose lib/security/cacerts is Debian's link to the trust store the trigger would make.
    // (dangling until made: expand() only finds what exists, so the link is looked for by name).
    const links = expand(ctx.root, "usr/lib/jvm/*/lib/security", ctx.triplet)
      .map((d) => `${d}/cacerts`)
      .filter((l) => linkTarget(join(ctx.root, l))?.endsWith(JAVA_CACERTS));
    const jre = links[0]?.replace(/\/lib\/security\/cacerts$/, "");
    if (!jre) return undefined;
    if (!existsSync(CA_BUNDLE))
      return { keyedBy: links, done: `no ${CA_BUNDLE} here: Java has no trust store (TLS fails)` };
    const dir = join(ctx.root, "etc/ssl/certs/java");
    mkdirSync(dir, { recursive: true });
    const source = join(dir, "Cacerts.java");
    writeFileSync(source, CACERTS_JAVA);
    const r = await runTool(ctx, this, join(ctx.root, jre, "bin/java"), [
      source,
      CA_BUNDLE,
      join(ctx.root, JAVA_CACERTS),
    ]);
    rmSync(source);
    for (const l of links) {
      const abs = join(ctx.root, l);
      rmSync(abs);
      symlinkSync(relative(dirname(abs), join(ctx.root, JAVA_CACERTS)), abs);
    }
    return { keyedBy: links, done: `Java trust store from ${CA_BUNDLE} (${r.stdout.trim()} certificates)` };
  },
};

function linkTarget(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}

export const STEPS: readonly Step[] = [graphviz, fontconfig, pixbuf, schemas, javaCacerts];
