import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, RUN_ID, readReport } from "./helpers.js";

// Aptfile packages that only work once their maintainer scripts' work is done, built with the real
// lifecycle and Debian archive, then run in the image (non-root, read-only /usr):
// - tesseract-ocr + tesseract-ocr-eng: language data at a compiled-in /usr path (TESSDATA_PREFIX);
// - graphviz: plugins registered by its postinst (dot -c, GVBINDIR);
// - fontconfig + fonts-dejavu-core: fonts.conf, absolute conf.d links and the font cache;
// - netcat-openbsd and libblas3: a command and a library that exist only as update-alternatives links.
// The chain dot -Tpng | tesseract needs all of graphviz, fonts and OCR data to come out as text.
// A second app checks packages of other kinds: ImageMagick (its commands are alternatives registered in
// a loop; config and coder paths), file (libmagic's database), espeak-ng (voice data; libpulse's
// private library through a RUNPATH) and proj-bin (proj.db); a third, a JRE fetching over HTTPS.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;

const APTFILE = `# each needs what its maintainer scripts do in /usr
tesseract-ocr
tesseract-ocr-eng
graphviz
fontconfig
fonts-dejavu-core
netcat-openbsd
libblas3
`;

const APP = `"""Runs the Aptfile's programs the way an app would, and prints what they say."""

import ctypes
import subprocess


def run(cmd, data=None):
    r = subprocess.run(cmd, input=data, capture_output=True)
    return r.returncode, (r.stdout + r.stderr).decode("utf-8", "replace")


code, out = run(["tesseract", "--list-langs"])
print(f"tesseract langs ({code}): {' '.join(out.splitlines()[1:] if code == 0 else out.split())}")

code, out = run(["dot", "-Tsvg"], b"digraph { a -> b }")
print(f"dot svg ({code}): {'<svg' in out} {out.strip().splitlines()[-1] if out.strip() else ''}".lower())

code, out = run(["fc-match", "sans"])
print(f"fc-match sans ({code}): {out.strip()}")

graph = b'digraph { node [shape=plaintext fontname="DejaVu Sans" fontsize=36]; t [label="HELLO WORLD"] }'
png = subprocess.run(["dot", "-Tpng", "-Gdpi=150"], input=graph, capture_output=True)
ocr = subprocess.run(["tesseract", "stdin", "stdout"], input=png.stdout, capture_output=True)
print(f"ocr of dot png ({png.returncode},{ocr.returncode}): {ocr.stdout.decode().strip()!r} {png.stderr.decode().strip()[:200]}")

code, out = run(["nc", "-h"])
print(f"nc ({code}): {'OpenBSD netcat' in out}".lower())

try:
    ctypes.CDLL("libblas.so.3")
    print("libblas.so.3: loaded")
except OSError as e:
    print(f"libblas.so.3: {e}")
`;

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-os-packages-work-"));
});

describe("Aptfile programs that need their maintainer scripts' work", () => {
  test("OCR data, graphviz plugins, fonts and alternatives work in the image; the log says what was done per package", async () => {
    const app = mkdtempSync(join(tmpdir(), "e2e-os-packages-"));
    writeFileSync(join(app, "Aptfile"), APTFILE);
    writeFileSync(join(app, "app.py"), APP);
    writeFileSync(join(app, "requirements.txt"), "# the standard library is enough\n");
    const reportFile = join(work, "report.json");
    const image = `${REGISTRY}/e2e/os-packages-${RUN_ID}:1`;
    const result = await cli(["build", app, "--image", image, "--builder", builder, "--report", reportFile]);
    expect(result.code, result.output).toBe(0);
    const log = result.output;
    // What was done, per package.
    expect(log).toContain("Done in the layer what installing in /usr would have done");
    expect(log).toMatch(/tesseract-ocr-eng[^\n]*: [^\n]*TESSDATA_PREFIX \(Tesseract OCR language data\)/);
    expect(log).toMatch(/libgvc\d+[^\n]*: [^\n]*registered the Graphviz plugins \(dot -c with GVBINDIR\)/);
    expect(log).toMatch(/fonts-dejavu-core: [^\n]*as FONTCONFIG_FILE, fc-cache run/);
    expect(log).toMatch(/fontconfig-config: [^\n]*absolute symlink\(s\) pointed into the layer/);
    expect(log).toMatch(/netcat-openbsd: [^\n]*alternative (usr\/)?bin\/nc -> (usr\/)?bin\/nc\.openbsd/);
    expect(log).toMatch(/libblas3: [^\n]*alternative usr\/lib\/\w+-linux-gnu\/libblas\.so\.3 -> /);

    const report = readReport(reportFile);
    const out = await docker(["run", "--rm", "--network", "host", "--pull", "always", report.imageRef]);
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(/tesseract langs \(0\): (\w+ )*eng\b/);
    expect(out.output).toMatch(/dot svg \(0\): true <\/svg>/);
    expect(out.output).toMatch(/fc-match sans \(0\): DejaVuSans\.ttf: "DejaVu Sans" "Book"/);
    expect(out.output).toMatch(/ocr of dot png \(0,0\): 'HELLO WORLD'/);
    expect(out.output).toContain("nc (0): true");
    expect(out.output).toContain("libblas.so.3: loaded");
  });

  test("ImageMagick commands from a loop of alternatives, libmagic's database, espeak-ng through a RUNPATH, PROJ's database", async () => {
    const app = mkdtempSync(join(tmpdir(), "e2e-os-packages-more-"));
    writeFileSync(join(app, "Aptfile"), "imagemagick\nfile\nespeak-ng\nproj-bin\n");
    writeFileSync(
      join(app, "app.py"),
      [
        "import subprocess",
        "for cmd in ('convert rose: /tmp/rose.png', 'identify /tmp/rose.png', 'file -b /tmp/rose.png',",
        "            'espeak-ng -w /tmp/a.wav hello', 'file -b /tmp/a.wav', 'projinfo -q -o PROJ EPSG:4326'):",
        "    r = subprocess.run(cmd.split(), capture_output=True, text=True)",
        "    print(f'{cmd.split()[0]} ({r.returncode}): {(r.stdout + r.stderr).strip()}')",
        "",
      ].join("\n"),
    );
    writeFileSync(join(app, "requirements.txt"), "# the standard library is enough\n");
    const reportFile = join(work, "report-more.json");
    const image = `${REGISTRY}/e2e/os-packages-more-${RUN_ID}:1`;
    const result = await cli(["build", app, "--image", image, "--builder", builder, "--report", reportFile]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /imagemagick-7\.q16: [^\n]*alternative usr\/bin\/convert -> usr\/bin\/convert-im7\.q16/,
    );
    expect(result.output).toMatch(
      /libpulse0: RUNPATH \/usr\/lib\/\w+-linux-gnu\/pulseaudio on LD_LIBRARY_PATH/,
    );
    expect(result.output).toMatch(/libmagic-mgc: MAGIC /);
    expect(result.output).toMatch(/proj-data: PROJ_DATA /);

    const report = readReport(reportFile);
    const out = await docker(["run", "--rm", "--network", "host", "--pull", "always", report.imageRef]);
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain("convert (0): ");
    expect(out.output).toMatch(/identify \(0\): \/tmp\/rose\.png PNG 70x46/);
    expect(out.output).toMatch(/file \(0\): PNG image data, 70 x 46/);
    expect(out.output).toContain("espeak-ng (0): ");
    expect(out.output).toMatch(/file \(0\): RIFF \(little-endian\) data, WAVE audio/);
    expect(out.output).toMatch(/projinfo \(0\): \+proj=longlat \+datum=WGS84/);
  });

  test("a JRE: java from OpenJDK's alternatives loop, its conf/ links and a trust store for TLS", async () => {
    const app = mkdtempSync(join(tmpdir(), "e2e-os-packages-java-"));
    writeFileSync(join(app, "Aptfile"), "openjdk-21-jre-headless\n");
    const java =
      'public class H { public static void main(String[] a) throws Exception { var c = new java.net.URI("https://deb.debian.org/debian/").toURL().openConnection(); System.out.println("https " + ((java.net.HttpURLConnection) c).getResponseCode()); } }';
    writeFileSync(
      join(app, "app.py"),
      [
        "import subprocess",
        `open("/tmp/H.java", "w").write(${JSON.stringify(java)})`,
        'r = subprocess.run(["java", "/tmp/H.java"], capture_output=True, text=True)',
        'print(f"java ({r.returncode}): {(r.stdout + r.stderr).strip()[:300]}")',
        "",
      ].join("\n"),
    );
    writeFileSync(join(app, "requirements.txt"), "# the standard library is enough\n");
    const reportFile = join(work, "report-java.json");
    const image = `${REGISTRY}/e2e/os-packages-java-${RUN_ID}:1`;
    const result = await cli(["build", app, "--image", image, "--builder", builder, "--report", reportFile]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /openjdk-21-jre-headless: [^\n]*alternative usr\/bin\/java -> usr\/lib\/jvm\//,
    );
    expect(result.output).toMatch(
      /Java trust store from \/etc\/ssl\/certs\/ca-certificates\.crt \(\d+ certificates\)/,
    );

    const report = readReport(reportFile);
    const out = await docker(["run", "--rm", "--network", "host", "--pull", "always", report.imageRef]);
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain("java (0): https 200");
  });
});
