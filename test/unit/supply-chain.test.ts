// Supply chain: every tool the builds, builders and stacks download is pinned by sha256 (or by a
// go.sum hash) and checked; nothing runs as root in a run image. A new download without a pin beside
// it fails here. What is downloaded where is listed in SECURITY.md.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { UV_WHEELS } from "../../buildpacks/uv/src/uv-wheels.js";

const REPO = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const SHA256 = /^[a-f0-9]{64}$/;

/** Files under dir (relative to the repo) whose names pass `keep`, recursively, tests and bundles left out. */
function files(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (!["node_modules", "test", ".bundle", "bin"].includes(entry.name)) walk(path);
      } else if (keep(entry.name)) out.push(relative(REPO, path));
    }
  };
  walk(join(REPO, dir));
  return out.sort();
}

/** Shell commands with their `\` continuations joined, each with its first line number. */
function commands(text: string): { line: number; text: string; next: string }[] {
  const lines = text.split("\n");
  const out: { line: number; text: string; next: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let cmd = lines[i] as string;
    while (cmd.endsWith("\\") && i + 1 < lines.length) cmd = `${cmd.slice(0, -1)} ${lines[++i]}`;
    out.push({ line: start + 1, text: cmd, next: lines.slice(i + 1, i + 4).join("\n") });
  }
  return out;
}

const shellFiles = [
  ...files("scripts", (n) => n.endsWith(".sh")),
  ...files("stacks", (n) => n === "Dockerfile"),
  "templates/build.yml",
  ...files("tekton", (n) => n.endsWith(".yaml")),
];

/** A curl/wget that saves or runs what it fetches (not a probe whose body goes to /dev/null). */
function isDownload(cmd: string): boolean {
  if (!/\b(curl|wget)\s/.test(cmd) || /^\s*#/.test(cmd)) return false;
  if (/-o\s+\/dev\/null/.test(cmd)) return false;
  return /\s-o\s|\s-O\b|--output\b|\|\s*(sh|bash|tar|python3?)\b/.test(cmd);
}

describe("downloads in scripts, Dockerfiles, the GitLab component and the Tekton tasks", () => {
  test("the scan sees the downloads it must (it can fail)", () => {
    const found = shellFiles.flatMap((f) =>
      commands(read(f))
        .filter((c) => isDownload(c.text))
        .map(() => f),
    );
    expect(found).toEqual(expect.arrayContaining(["scripts/cosign.sh", "scripts/python-mirror.sh"]));
  });

  test.each(shellFiles)(
    "%s: every curl/wget download is checked against a pinned sha256 right after",
    (file) => {
      for (const c of commands(read(file)).filter((c) => isDownload(c.text)))
        expect(
          c.next,
          `${file}:${c.line} downloads without a sha256 check in the next lines: ${c.text.trim()}`,
        ).toMatch(/sha256sum\s+(-c|--check)/);
    },
  );

  test.each(shellFiles)("%s: pip installs and downloads only hash-pinned requirements", (file) => {
    for (const c of commands(read(file)).filter(
      (c) => /\bpip3?\s+(install|download)\b/.test(c.text) && !/^\s*#/.test(c.text),
    ))
      expect(c.text, `${file}:${c.line}`).toMatch(/--require-hashes/);
  });

  test.each(shellFiles)(
    "%s: go install names an exact version (go.sum and the checksum database verify it)",
    (file) => {
      for (const c of commands(read(file)).filter(
        (c) => /\bgo install\b/.test(c.text) && !/^\s*#/.test(c.text),
      ))
        expect(c.text, `${file}:${c.line}`).toMatch(
          /@(v\d+\.\d+\.\d+|\$[A-Z_]+_VERSION|"\$[A-Z_]+_VERSION")/,
        );
    },
  );

  test.each(files("stacks", (n) => n === "Dockerfile"))("%s: no ADD of a URL without --checksum", (file) => {
    for (const c of commands(read(file)).filter((c) => /^\s*ADD\b.*https?:\/\//.test(c.text)))
      expect(c.text, `${file}:${c.line}`).toMatch(/--checksum=sha256:[a-f0-9]{64}/);
  });

  test.each(files("scripts", (n) => n.endsWith(".mjs")))(
    "%s: every fetch() is hashed with sha256 right after",
    (file) => {
      const lines = read(file).split("\n");
      lines.forEach((line, i) => {
        if (!/\bfetch\(/.test(line)) return;
        expect(lines.slice(i, i + 5).join("\n"), `${file}:${i + 1}`).toMatch(/createHash\("sha256"\)/);
      });
    },
  );

  test("the modules built from source are pinned by go.sum (the lifecycle, the lab's token server)", () => {
    const lifecycle = read("scripts/lifecycle/go.mod").match(
      /github\.com\/buildpacks\/lifecycle (v[\d.]+)/,
    )?.[1];
    expect(lifecycle).toBeDefined();
    expect(read("scripts/lifecycle/go.sum")).toContain(`github.com/buildpacks/lifecycle ${lifecycle} h1:`);
    expect(read("scripts/token-server/go.sum")).toMatch(/github\.com\/docker\/distribution v2\.8\.3\S* h1:/);
  });
});

describe("download tables in the buildpacks and builder scripts", () => {
  test("cosign for the builders: one .deb per arch, each with its sha256", () => {
    const text = read("scripts/cosign.sh");
    for (const arch of ["amd64", "arm64"]) {
      expect(text).toMatch(
        new RegExp(`^COSIGN_DEB_${arch}=pool/main/c/cosign/cosign_[^\\s]+_${arch}\\.deb$`, "m"),
      );
      expect(text).toMatch(new RegExp(`^COSIGN_SHA256_${arch}=[a-f0-9]{64}$`, "m"));
    }
  });

  test("uv: one wheel per arch, each with its sha256", () => {
    expect(Object.keys(UV_WHEELS).sort()).toEqual(["amd64", "arm64"]);
    for (const wheel of Object.values(UV_WHEELS)) {
      expect(wheel.url).toMatch(/^https:\/\/files\.pythonhosted\.org\/.+\.whl$/);
      expect(wheel.sha256).toMatch(SHA256);
    }
  });

  test("CPython: every file of the python buildpack's manifest has a sha256", () => {
    const text = read("buildpacks/python/src/manifest-data.ts");
    const fileLines = [...text.matchAll(/^file = "(.+)"\nsha256 = "([a-f0-9]{64})"$/gm)];
    const anyFile = [...text.matchAll(/^file = /gm)];
    expect(anyFile.length).toBeGreaterThan(100);
    expect(fileLines).toHaveLength(anyFile.length);
  });

  test.each(["conda", "pipenv", "poetry"])(
    "%s's tool requirements: every package == pinned with --hash=sha256",
    (bp) => {
      const text = read(`buildpacks/${bp}/bin/tool-requirements.txt`);
      const reqs = commands(text)
        .map((c) => c.text.trim())
        .filter((t) => t && !t.startsWith("#"));
      expect(reqs.length).toBeGreaterThan(0);
      for (const req of reqs) {
        expect(req).toMatch(/^[A-Za-z0-9._-]+(\[[^\]]+\])?==[^\s;]+/);
        expect(req).toMatch(/--hash=sha256:[a-f0-9]{64}/);
      }
    },
  );

  test("Poetry, Pipenv and py-rattler are installed with pip --require-hashes --no-deps", () => {
    const text = read("src/pybuild/pinned-tool.ts");
    expect(text).toContain('"--require-hashes"');
    expect(text).toContain('"--no-deps"');
  });

  test.each(files("buildpacks", (n) => n.endsWith(".ts")).concat(files("src", (n) => n.endsWith(".ts"))))(
    "%s: an archive URL in code has a sha256 beside it",
    (file) => {
      const lines = read(file).split("\n");
      lines.forEach((line, i) => {
        if (!/https?:\/\/\S+\.(whl|tar\.gz|tgz|deb|zip|tar\.xz|tar\.bz2|conda)\b/.test(line)) return;
        const near = lines.slice(Math.max(0, i - 3), i + 4).join("\n");
        expect(near, `${file}:${i + 1}`).toMatch(/sha256/i);
      });
    },
  );
});

describe("run images", () => {
  test.each(files("stacks", (n) => n === "Dockerfile"))(
    "%s: the run stage ends as a non-root user",
    (file) => {
      const text = read(file);
      const run = text.slice(text.search(/^FROM .+ AS run$/m));
      const stage = run.slice(0, run.slice(1).search(/^FROM /m) + 1 || undefined);
      const users = [...stage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1] as string);
      expect(users.length, `${file}: the run stage sets USER`).toBeGreaterThan(0);
      expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    },
  );
});
