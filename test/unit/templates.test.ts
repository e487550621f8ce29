import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { type Document, parse, parseAllDocuments } from "yaml";
import { FLAVORS, PUBLISHED_NAMESPACE, publishedImage } from "../../src/core/published.js";

// The GitLab component and the Tekton YAML are published as they are (by tag or raw URL), so their
// defaults must name this release's published images and never the lab.
const REPO = resolve(import.meta.dirname, "../..");
const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const LOOPBACK = /\b127\.\d+\.\d+\.\d+|\blocalhost\b|\[::1\]|\b0\.0\.0\.0\b/;
const builder = (flavor: string, arch?: string) =>
  publishedImage(PUBLISHED_NAMESPACE, "builder", { flavor, version, arch });

type Input = { default?: unknown; options?: string[]; type?: string };
type Job = {
  extends?: string;
  image?: string;
  tags?: string[];
  variables?: Record<string, string>;
  rules?: { if?: string; when?: string; variables?: Record<string, string> }[];
  needs?: { job: string; optional?: boolean }[];
  script?: string[];
  artifacts?: { paths?: string[]; reports?: Record<string, string | string[]> };
};

const templateText = readFileSync(join(REPO, "templates", "build.yml"), "utf8");
const [specDoc, jobsDoc] = parseAllDocuments(templateText) as Document[];
if (!specDoc || !jobsDoc) throw new Error("templates/build.yml: want a spec document and a jobs document");
// The jobs' text as written (a re-serialized document could fold a line inside $[[ ... ]]).
const jobsSource = templateText.slice(templateText.indexOf("\n---\n") + 5);
const inputs = (specDoc.toJS() as { spec: { inputs: Record<string, Input> } }).spec.inputs;

/** The jobs as GitLab creates them with every input at its default ($[[ inputs.X ]] interpolated). */
function jobsWithDefaults(overrides: Record<string, unknown> = {}): Record<string, Job> {
  const values = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.default]));
  Object.assign(values, overrides);
  const source = jobsSource;
  const text = source.replace(/\$\[\[ inputs\.([\w-]+) \]\]/g, (_, name: string, at: number) => {
    if (!(name in values)) throw new Error(`unknown input ${name}`);
    const value = values[name];
    if (!Array.isArray(value)) return String(value ?? "");
    // A whole-value array lands as a YAML sequence; inside a quoted string, as its text.
    const json = JSON.stringify(value);
    return source[at - 1] === '"' ? json.replaceAll('"', '\\"') : json;
  });
  return parse(text) as Record<string, Job>;
}

/** A job's variables after `extends` and its first matching rule, then $VAR expansion as the runner does. */
function resolvedVariables(jobs: Record<string, Job>, name: string): Record<string, string> {
  const job = jobs[name] as Job;
  const base = job.extends ? (jobs[job.extends]?.variables ?? {}) : {};
  const vars: Record<string, string> = { ...base, ...job.variables };
  for (const rule of job.rules ?? []) {
    const m = rule.if?.match(/^\$(\w+)$/);
    const applies = rule.if === undefined || (m ? Boolean(vars[m[1] as string]) : false);
    if (applies) {
      Object.assign(vars, rule.variables ?? {});
      break;
    }
  }
  const expand = (value: string, depth = 0): string =>
    depth > 5
      ? value
      : value.replace(/\$(\w+)/g, (whole, v: string) =>
          v in vars ? expand(vars[v] as string, depth + 1) : whole,
        );
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, expand(String(v))]));
}

function imageOf(jobs: Record<string, Job>, name: string): string {
  const job = jobs[name] as Job;
  const image = job.image ?? (job.extends ? jobs[job.extends]?.image : undefined) ?? "";
  const vars = resolvedVariables(jobs, name);
  return image.replace(/\$(\w+)/g, (whole, v: string) => vars[v] ?? whole);
}

describe("GitLab component (templates/build.yml)", () => {
  test("its version input is package.json's version, in one place", () => {
    expect(inputs.version?.default).toBe(version);
    expect(templateText.match(/\d+\.\d+\.\d+/g)?.every((v) => v === version)).toBe(true);
    expect(templateText).toContain(`gitlab.com/ml-buildpacks/ml-buildpacks/build@${version}\n`);
  });

  test("inputs: the published namespace, flavor cpu|cuda, an empty builder override", () => {
    expect(inputs.namespace?.default).toBe(PUBLISHED_NAMESPACE);
    expect(inputs.flavor?.default).toBe("cpu");
    expect(inputs.flavor?.options).toEqual([...FLAVORS]);
    expect(inputs.builder?.default).toBe("");
    expect(inputs.arches?.default).toEqual(["amd64", "arm64"]);
  });

  test("by default the jobs run in this release's published builders", () => {
    const jobs = jobsWithDefaults();
    expect(imageOf(jobs, "ml-buildpacks-build-amd64")).toBe(builder("cpu", "amd64"));
    expect(imageOf(jobs, "ml-buildpacks-build-arm64")).toBe(builder("cpu", "arm64"));
    expect(imageOf(jobs, "ml-buildpacks-manifest")).toBe(builder("cpu"));
    const cuda = jobsWithDefaults({ flavor: "cuda" });
    expect(imageOf(cuda, "ml-buildpacks-build-amd64")).toBe(builder("cuda", "amd64"));
    expect(imageOf(cuda, "ml-buildpacks-manifest")).toBe(builder("cuda"));
  });

  test("a builder input overrides the image of every job", () => {
    const jobs = jobsWithDefaults({ builder: "registry.example.com/ml/builder:cpu" });
    for (const name of ["ml-buildpacks-build-amd64", "ml-buildpacks-build-arm64", "ml-buildpacks-manifest"])
      expect(imageOf(jobs, name)).toBe("registry.example.com/ml/builder:cpu");
  });

  test("each architecture's job carries its own runner tags (GitLab.com's hosted runners by default)", () => {
    const jobs = jobsWithDefaults();
    expect(jobs["ml-buildpacks-build-amd64"]?.tags).toEqual(["saas-linux-small-amd64"]);
    expect(jobs["ml-buildpacks-build-arm64"]?.tags).toEqual(["saas-linux-small-arm64"]);
    const custom = jobsWithDefaults({ "arm64-runner-tags": ["arm", "big"] });
    expect(custom["ml-buildpacks-build-arm64"]?.tags).toEqual(["arm", "big"]);
    // The merge job needs whichever build jobs the arches input kept.
    expect(jobs["ml-buildpacks-manifest"]?.needs?.map((n) => [n.job, n.optional])).toEqual([
      ["ml-buildpacks-build-amd64", true],
      ["ml-buildpacks-build-arm64", true],
    ]);
  });

  test("sbom (default true): the build job writes the SBOM under the project dir and keeps it as artifacts and a cyclonedx report", () => {
    expect(inputs.sbom).toMatchObject({ type: "boolean", default: true });
    const jobs = jobsWithDefaults();
    expect(resolvedVariables(jobs, "ml-buildpacks-build-amd64").ML_BUILDPACKS_SBOM).toBe("true");
    expect(
      resolvedVariables(jobsWithDefaults({ sbom: false }), "ml-buildpacks-build-arm64").ML_BUILDPACKS_SBOM,
    ).toBe("false");
    const artifacts = jobs[".ml-buildpacks-build"]?.artifacts;
    expect(artifacts?.paths).toContain(".ml-buildpacks/sbom/");
    expect(artifacts?.reports?.cyclonedx).toEqual([".ml-buildpacks/sbom/**/sbom.cdx.json"]);
  });

  test.each([
    { sbom: true, flag: true },
    { sbom: false, flag: false },
  ])("the build job's script with sbom: $sbom (a stub CLI records its arguments)", ({ sbom, flag }) => {
    const script = jobsWithDefaults({ sbom })[".ml-buildpacks-build"]?.script?.join("\n") ?? "";
    const dir = mkdtempSync(join(tmpdir(), "gitlab-job-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    // What the real CLI does with these flags, as far as the script reads it: the report, and the SBOM per platform.
    writeFileSync(
      join(bin, "ml-buildpacks"),
      `#!/bin/sh
printf '%s\\n' "$@" > args
echo '{"image":"r/app:1-amd64","digest":"sha256:1","imageRef":"r/app@sha256:1","layers":{},"fastPath":{"used":false}}' > .ml-buildpacks/report-amd64.json
while [ $# -gt 0 ]; do
  if [ "$1" = --sbom-output-dir ]; then mkdir -p "$2/linux-amd64/layers/sbom/launch/ml-buildpacks_pip/venv"; fi
  shift
done
`,
    );
    chmodSync(join(bin, "ml-buildpacks"), 0o755);
    // A stale SBOM from an earlier job on the same runner is not this build's.
    mkdirSync(join(dir, ".ml-buildpacks", "sbom", "linux-amd64"), { recursive: true });
    const vars = resolvedVariables(
      jobsWithDefaults({ sbom, image: "r/app", tag: "1" }),
      "ml-buildpacks-build-amd64",
    );
    execFileSync("sh", ["-c", script], {
      cwd: dir,
      env: { ...vars, PATH: `${bin}:${process.env.PATH}` },
    });
    const args = readFileSync(join(dir, "args"), "utf8").split("\n");
    const at = args.indexOf("--sbom-output-dir");
    expect(at >= 0).toBe(flag);
    if (flag) expect(args[at + 1]).toBe(".ml-buildpacks/sbom");
    const dotenv = readFileSync(join(dir, "ml-buildpacks.env"), "utf8");
    if (flag) expect(dotenv).toContain("SBOM_DIR=.ml-buildpacks/sbom/linux-amd64\n");
    else {
      expect(dotenv).not.toContain("SBOM_DIR");
      expect(existsSync(join(dir, ".ml-buildpacks", "sbom"))).toBe(false);
    }
  });

  test("no default names a loopback address", () => {
    for (const [name, input] of Object.entries(inputs))
      expect(JSON.stringify(input.default ?? ""), name).not.toMatch(LOOPBACK);
    expect(templateText).not.toMatch(LOOPBACK);
  });
});

const tektonFiles = [
  ...readdirSync(join(REPO, "tekton"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join("tekton", f)),
  ...readdirSync(join(REPO, "tekton", "examples")).map((f) => join("tekton", "examples", f)),
];

type TektonDoc = {
  kind: string;
  metadata: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { params?: { name: string; default?: unknown }[] };
};

describe("Tekton YAML (tekton/)", () => {
  test("the Tasks, the Pipeline and the examples are there", () => {
    expect(tektonFiles.sort()).toEqual(
      [
        "tekton/examples/pipelinerun-multiarch.yaml",
        "tekton/examples/taskrun.yaml",
        "tekton/pipeline-multiarch.yaml",
        "tekton/task-ml-buildpacks-merge.yaml",
        "tekton/task-ml-buildpacks-rebase.yaml",
        "tekton/task-ml-buildpacks.yaml",
      ].sort(),
    );
  });

  test.each(tektonFiles)("%s names no loopback address", (file) => {
    expect(readFileSync(join(REPO, file), "utf8")).not.toMatch(LOOPBACK);
  });

  test.each([
    "task-ml-buildpacks.yaml",
    "task-ml-buildpacks-merge.yaml",
    "task-ml-buildpacks-rebase.yaml",
    "pipeline-multiarch.yaml",
  ])(
    "%s: BUILDER_IMAGE defaults to this release's published cpu builder; version label and install URL match",
    (file) => {
      const text = readFileSync(join(REPO, "tekton", file), "utf8");
      const doc = parse(text) as TektonDoc;
      const param = doc.spec.params?.find((p) => p.name === "BUILDER_IMAGE");
      expect(param?.default).toBe(builder("cpu"));
      expect(doc.metadata.labels?.["app.kubernetes.io/version"]).toBe(version);
      expect(doc.metadata.annotations?.["tekton.dev/pipelines.minVersion"]).toMatch(/^\d+\.\d+\.\d+$/);
      for (const url of text.matchAll(
        /raw\.githubusercontent\.com\/ml-buildpacks\/ml-buildpacks\/([^/]+)\//g,
      ))
        expect(url[1]).toBe(`v${version}`);
      // Every default is free of lab names (checked above) and names only published images.
      for (const p of doc.spec.params ?? [])
        if (typeof p.default === "string" && p.default.includes("/builder:"))
          expect(p.default.startsWith(`${PUBLISHED_NAMESPACE}/builder:`)).toBe(true);
    },
  );

  test.each([
    { bound: "true", flag: true },
    { bound: "false", flag: false },
  ])(
    "the build Task's sbom workspace (optional; bound: $bound) reaches the CLI as --sbom-output-dir",
    ({ bound, flag }) => {
      type Step = { name: string; script: string; env: { name: string; value: string }[] };
      const task = parse(readFileSync(join(REPO, "tekton", "task-ml-buildpacks.yaml"), "utf8")) as {
        spec: { workspaces: { name: string; optional?: boolean; mountPath: string }[]; steps: Step[] };
      };
      const ws = task.spec.workspaces.find((w) => w.name === "sbom");
      expect(ws).toMatchObject({ optional: true, mountPath: "/ml-buildpacks/sbom" });
      const step = task.spec.steps.find((st) => st.name === "build") as Step;
      const env = Object.fromEntries(step.env.map((e) => [e.name, e.value]));
      expect(env.SBOM_BOUND).toBe("$(workspaces.sbom.bound)");
      expect(env.SBOM_OUTPUT_DIR).toBe("$(workspaces.sbom.path)");
      // The script as Tekton would run it after substitution, with a stub CLI that records its arguments.
      const dir = mkdtempSync(join(tmpdir(), "tekton-step-"));
      writeFileSync(join(dir, "ml-buildpacks"), `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/args\n`, {
        mode: 0o755,
      });
      const substituted = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, v.replace(/^\$\(.*\)$/, "")]),
      );
      execFileSync("sh", ["-c", step.script, "sh"], {
        env: {
          ...substituted,
          CACHE: "true",
          FAST_PATH: "true",
          COMPRESSION: "fast",
          SBOM_BOUND: bound,
          SBOM_OUTPUT_DIR: "/ml-buildpacks/sbom",
          PATH: `${dir}:${process.env.PATH}`,
        },
      });
      const args = readFileSync(join(dir, "args"), "utf8").split("\n");
      expect(args.includes("--sbom-output-dir")).toBe(flag);
      if (flag) expect(args[args.indexOf("--sbom-output-dir") + 1]).toBe("/ml-buildpacks/sbom");
    },
  );

  test("the manuals name this release", () => {
    const gitlab = readFileSync(join(REPO, "docs", "gitlab.md"), "utf8");
    const tekton = readFileSync(join(REPO, "docs", "tekton.md"), "utf8");
    expect(gitlab).toContain(`gitlab.com/ml-buildpacks/ml-buildpacks/build@${version}`);
    for (const url of tekton.matchAll(
      /raw\.githubusercontent\.com\/ml-buildpacks\/ml-buildpacks\/([^/]+)\//g,
    ))
      expect(url[1]).toBe(`v${version}`);
    for (const text of [gitlab, tekton]) {
      expect(text).not.toMatch(LOOPBACK);
      for (const m of text.matchAll(
        /ghcr\.io\/ml-buildpacks\/ml-buildpacks\/builder:[a-z]+-(\d+\.\d+\.\d+)/g,
      ))
        expect(m[1]).toBe(version);
    }
  });
});
