// Relocation variables: programs that find data, plugins or config at a path compiled in under /usr or
// /etc mostly honour a variable that moves it. Each rule applies when the layer holds the files it is
// keyed by, whichever package brought them (so a new package shipping tessdata is covered too).
import { ancestor, expand } from "./paths.js";

export interface EnvRule {
  name: string;
  /** What it makes work, for the build log and the docs. */
  what: string;
  /** Layer-relative patterns (see paths.ts); a scalar variable takes the first that matches. */
  paths: string[];
  /** Use the matched path's ancestor: 1 for the directory holding the matched file or directory. */
  up?: number;
  /**
   * A search list: every match is prepended (":"-separated). `system` is what the program searches
   * when the variable is unset, kept after the layer's entries so the run image's own files still count.
   */
  list?: { system?: string };
}

export const ENV_RULES: readonly EnvRule[] = [
  {
    name: "TESSDATA_PREFIX",
    what: "Tesseract OCR language data",
    paths: ["usr/share/tesseract-ocr/*/tessdata", "usr/share/tesseract-ocr/tessdata"],
  },
  { name: "GDAL_DATA", what: "GDAL support data", paths: ["usr/share/gdal"] },
  { name: "GDAL_DRIVER_PATH", what: "GDAL driver plugins", paths: ["usr/lib/<triplet>/gdalplugins"] },
  { name: "PROJ_DATA", what: "PROJ database (PROJ 9.1 and later)", paths: ["usr/share/proj/proj.db"], up: 1 },
  {
    name: "PROJ_LIB",
    what: "PROJ database (before PROJ 9.1, and GDAL/pyproj builds that read it)",
    paths: ["usr/share/proj/proj.db"],
    up: 1,
  },
  {
    name: "MAGICK_CONFIGURE_PATH",
    what: "ImageMagick configuration (policy, delegates)",
    paths: ["etc/ImageMagick-*", "usr/share/ImageMagick-*"],
    list: {},
  },
  {
    name: "MAGICK_CODER_MODULE_PATH",
    what: "ImageMagick coders",
    paths: ["usr/lib/<triplet>/ImageMagick-*/modules-*/coders"],
  },
  {
    name: "MAGICK_CODER_FILTER_PATH",
    what: "ImageMagick filters",
    paths: ["usr/lib/<triplet>/ImageMagick-*/modules-*/filters"],
  },
  {
    name: "ESPEAK_DATA_PATH",
    what: "eSpeak NG voices and dictionaries",
    paths: ["usr/lib/<triplet>/espeak-ng-data", "usr/share/espeak-ng-data"],
    up: 1,
  },
  {
    name: "MAGIC",
    what: "libmagic's file type database",
    paths: ["usr/lib/file/magic.mgc", "usr/share/file/magic.mgc", "usr/share/misc/magic.mgc"],
  },
  {
    name: "GVBINDIR",
    what: "Graphviz plugins and their config (dot -c)",
    paths: ["usr/lib/<triplet>/graphviz/libgvplugin_core.so*"],
    up: 1,
  },
  {
    name: "FONTCONFIG_FILE",
    what: "fontconfig: the layer's fonts beside the system's",
    paths: ["etc/fonts/ml-buildpacks-fonts.conf"],
  },
  {
    name: "GDK_PIXBUF_MODULE_FILE",
    what: "gdk-pixbuf image loaders",
    paths: ["usr/lib/<triplet>/gdk-pixbuf-2.0/2.10.0/loaders.cache"],
  },
  {
    name: "GSETTINGS_SCHEMA_DIR",
    what: "GSettings schemas",
    paths: ["usr/share/glib-2.0/schemas/gschemas.compiled"],
    up: 1,
  },
  { name: "GIO_EXTRA_MODULES", what: "GIO modules", paths: ["usr/lib/<triplet>/gio/modules"], list: {} },
  {
    name: "GI_TYPELIB_PATH",
    what: "GObject introspection typelibs",
    paths: ["usr/lib/<triplet>/girepository-1.0"],
    list: { system: "/usr/lib/<triplet>/girepository-1.0" },
  },
  {
    name: "GST_PLUGIN_PATH_1_0",
    what: "GStreamer plugins",
    paths: ["usr/lib/<triplet>/gstreamer-1.0"],
    list: {},
  },
  {
    name: "GST_PLUGIN_SCANNER",
    what: "GStreamer plugin scanner",
    paths: ["usr/lib/<triplet>/gstreamer1.0/gstreamer-1.0/gst-plugin-scanner"],
  },
  {
    name: "QT_PLUGIN_PATH",
    what: "Qt plugins",
    paths: ["usr/lib/<triplet>/qt6/plugins", "usr/lib/<triplet>/qt5/plugins"],
    list: {},
  },
  {
    name: "LIBGL_DRIVERS_PATH",
    what: "Mesa DRI drivers",
    paths: ["usr/lib/<triplet>/dri"],
    list: { system: "/usr/lib/<triplet>/dri" },
  },
  {
    name: "__EGL_VENDOR_LIBRARY_DIRS",
    what: "EGL vendor libraries (glvnd)",
    paths: ["usr/share/glvnd/egl_vendor.d"],
    list: { system: "/etc/glvnd/egl_vendor.d:/usr/share/glvnd/egl_vendor.d" },
  },
  { name: "OCL_ICD_VENDORS", what: "OpenCL drivers", paths: ["etc/OpenCL/vendors"] },
  { name: "ALSA_CONFIG_DIR", what: "ALSA configuration", paths: ["usr/share/alsa/alsa.conf"], up: 1 },
  {
    name: "TCL_LIBRARY",
    what: "Tcl's script library",
    paths: ["usr/share/tcltk/tcl8.*", "usr/share/tcltk/tcl9.*"],
  },
  {
    name: "TK_LIBRARY",
    what: "Tk's script library",
    paths: ["usr/share/tcltk/tk8.*", "usr/share/tcltk/tk9.*"],
  },
  {
    name: "GS_LIB",
    what: "Ghostscript resources and fonts",
    paths: [
      "usr/share/ghostscript/*/Resource/Init",
      "usr/share/ghostscript/*/lib",
      "usr/share/ghostscript/*/Resource/Font",
      "usr/share/ghostscript/fonts",
    ],
    list: {},
  },
  {
    name: "DICPATH",
    what: "Hunspell dictionaries",
    paths: ["usr/share/hunspell"],
    list: { system: "/usr/share/hunspell" },
  },
  {
    name: "PERL5LIB",
    what: "Perl modules",
    paths: ["usr/share/perl5", "usr/lib/<triplet>/perl5/*", "usr/share/perl/*", "usr/lib/<triplet>/perl/*"],
    list: {},
  },
  {
    name: "TERMINFO_DIRS",
    what: "terminal descriptions",
    paths: ["usr/share/terminfo"],
    list: { system: "/etc/terminfo:/lib/terminfo:/usr/share/terminfo" },
  },
  {
    name: "XDG_DATA_DIRS",
    what: "shared data found through XDG (MIME types, icons, schemas)",
    paths: ["usr/share/mime", "usr/share/icons", "usr/share/glib-2.0"],
    up: 1,
    list: { system: "/usr/local/share:/usr/share" },
  },
];

export interface EnvSetting {
  rule: EnvRule;
  /** Layer-relative paths that matched (what the packages shipped). */
  matches: string[];
  /** Layer-relative paths the value is made of (the matches, or their ancestors). */
  paths: string[];
  /** Absolute value to write. */
  value: string;
  /** A scalar is a default: a value the user sets at launch (or a platform env at build) wins. */
  action: "default" | "prepend";
}

/** The settings the layer's files call for. */
export function envSettings(
  root: string,
  triplet: string,
  rules: readonly EnvRule[] = ENV_RULES,
): EnvSetting[] {
  const out: EnvSetting[] = [];
  for (const rule of rules) {
    const matches = rule.paths.flatMap((p) => expand(root, p, triplet));
    if (!matches.length) continue;
    const paths = [...new Set(matches.map((m) => ancestor(m, rule.up ?? 0)))];
    const chosen = rule.list ? paths : paths.slice(0, 1);
    const abs = chosen.map((p) => `${root}/${p}`);
    const system = rule.list?.system?.replaceAll("<triplet>", triplet);
    out.push({
      rule,
      matches,
      paths: chosen,
      value: [...abs, ...(system ? [system] : [])].join(":"),
      action: rule.list ? "prepend" : "default",
    });
  }
  return out;
}
