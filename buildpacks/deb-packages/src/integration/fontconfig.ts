// fontconfig reads /etc/fonts/fonts.conf, which lists /usr/share/fonts: fonts unpacked into the layer
// are invisible to it. FONTCONFIG_FILE points it at this file instead, which keeps the system's font
// directories and rules and adds the layer's, with a font cache inside the layer.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDir } from "./paths.js";

export const FONTS_CONF = "etc/fonts/ml-buildpacks-fonts.conf";

/** Font directories a package may ship. */
const FONT_DIRS = [
  "usr/share/fonts",
  "usr/local/share/fonts",
  "usr/share/texmf/fonts",
  "usr/share/ghostscript/fonts",
];

export function layerFontDirs(root: string): string[] {
  return FONT_DIRS.filter((d) => isDir(join(root, d)));
}

export function fontsConf(root: string, fontDirs: readonly string[], hasConfD: boolean): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const lines = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    "<!-- Written by ml-buildpacks/deb-packages: the system's fonts and rules plus the packages layer's. -->",
    "<fontconfig>",
    "  <dir>/usr/share/fonts</dir>",
    "  <dir>/usr/local/share/fonts</dir>",
    '  <dir prefix="xdg">fonts</dir>',
    ...fontDirs.map((d) => `  <dir>${esc(join(root, d))}</dir>`),
    `  <cachedir>${esc(join(root, "var/cache/fontconfig"))}</cachedir>`,
    '  <cachedir prefix="xdg">fontconfig</cachedir>',
    '  <include ignore_missing="yes">/etc/fonts/conf.d</include>',
    ...(hasConfD ? [`  <include ignore_missing="yes">${esc(join(root, "etc/fonts/conf.d"))}</include>`] : []),
    "</fontconfig>",
    "",
  ];
  return lines.join("\n");
}

/** Writes the config when the layer has fonts or fontconfig rules; the font dirs it added. */
export function writeFontsConf(root: string): string[] | undefined {
  const dirs = layerFontDirs(root);
  const hasConfD = isDir(join(root, "etc/fonts/conf.d"));
  if (!dirs.length && !hasConfD) return undefined;
  mkdirSync(join(root, "etc/fonts"), { recursive: true });
  mkdirSync(join(root, "var/cache/fontconfig"), { recursive: true });
  writeFileSync(join(root, FONTS_CONF), fontsConf(root, dirs, hasConfD));
  return dirs;
}
