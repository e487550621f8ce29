import { describe, expect, it } from "vitest";
import {
  type BenchRun,
  checkTargets,
  formatBytes,
  manifestBytes,
  median,
  parseArgs,
  pushedManifests,
  ratio,
  renderTables,
  SCENARIOS,
  summarize,
  TOOLS,
  toolOrder,
  uploadedBlobs,
} from "../../../bench/lib.mjs";

describe("parseArgs", () => {
  it("defaults to 3 repetitions of every scenario with the four tools", () => {
    expect(parseArgs([])).toMatchObject({
      registry: "own",
      reps: 3,
      scenarios: SCENARIOS,
      tools: TOOLS,
      keep: false,
      chart: true,
    });
  });

  it("reads the quick-mode flags, in both spellings, and keeps scenarios in dependency order", () => {
    const o = parseArgs([
      "--reps",
      "1",
      "--scenarios=no-change,fresh",
      "--tools",
      "ml,pack",
      "--keep",
      "--no-chart",
    ]);
    expect(o).toMatchObject({
      reps: 1,
      scenarios: ["fresh", "no-change"],
      tools: ["ml", "pack"],
      keep: true,
      chart: false,
    });
  });

  it.each([
    [["--reps", "0"], '--reps must be a whole number >= 1, not "0"'],
    [["--reps", "1.5"], "--reps must be a whole number"],
    [["--reps"], "--reps needs a value"],
    [
      ["--scenarios", "fresh,warm"],
      'unknown scenario "warm" (expected one of fresh, no-change, code-change, req-change)',
    ],
    [["--tools", "kaniko"], 'unknown tool "kaniko"'],
    [["--fast"], 'unknown option "--fast"'],
    [["--registry", "remote"], '--registry must be own or shared, not "remote"'],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe("statistics", () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5], 5],
    [[], undefined],
    [[undefined, 7, Number.NaN], 7],
  ])("median(%j) = %j", (xs, want) => {
    expect(median(xs)).toBe(want);
  });

  it("ratio is undefined when a side is missing or zero", () => {
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(undefined, 100)).toBeUndefined();
    expect(ratio(50, 0)).toBeUndefined();
  });

  it("rotates the tool order each repetition", () => {
    expect(toolOrder(["a", "b", "c"], 0)).toEqual(["a", "b", "c"]);
    expect(toolOrder(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(toolOrder(["a", "b", "c"], 3)).toEqual(["a", "b", "c"]);
  });

  it("formats bytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(300 * 1024 ** 2)).toBe("300 MiB");
    expect(formatBytes(1.004 * 1024 ** 3)).toBe("1.00 GiB");
    expect(formatBytes(1030 * 1024 ** 2)).toBe("1.01 GiB");
    expect(formatBytes(undefined)).toBe("-");
  });
});

describe("registry figures", () => {
  const line = (method: string, path: string, status: number) =>
    `127.0.0.1 - - [28/Nov/2026:10:18:06 +0000] "${method} ${path} HTTP/1.1" ${status} 0 "" "go-containerregistry/v0.21.9"`;

  it("counts completed uploads of the bench repository only, not mounts, HEADs or failures", () => {
    const log = [
      line("PUT", "/v2/bench/ml-x-r1/blobs/uploads/u1?_state=abc&digest=sha256%3Aaaa", 201),
      line("PATCH", "/v2/bench/ml-x-r1/blobs/uploads/u2?_state=abc", 202),
      line("PUT", "/v2/bench/ml-x-r1/blobs/uploads/u2?_state=abc&digest=sha256%3Abbb", 201),
      line("POST", "/v2/bench/ml-x-r1/blobs/uploads/?mount=sha256%3Accc&from=ml-buildpacks%2Frun", 201),
      line("HEAD", "/v2/bench/ml-x-r1/blobs/sha256:ddd", 200),
      line("PUT", "/v2/bench/ml-x-r1/blobs/uploads/u3?_state=abc&digest=sha256%3Aeee", 400),
      line("PUT", "/v2/ml-buildpacks/run/blobs/uploads/u4?_state=abc&digest=sha256%3Afff", 201),
      line("PUT", "/v2/bench/ml-x-r1/manifests/latest", 201),
      'time="2026-11-28T10:18:06Z" level=info msg="response completed" http.request.method=PUT',
    ].join("\n");
    expect(uploadedBlobs(log, "bench/")).toEqual([
      { repo: "bench/ml-x-r1", digest: "sha256:aaa" },
      { repo: "bench/ml-x-r1", digest: "sha256:bbb" },
    ]);
  });

  it("counts accepted manifest pushes of the bench repository", () => {
    const log = [
      line("PUT", "/v2/bench/ml-x-r1/manifests/latest", 201),
      line("PUT", "/v2/bench/ml-x-r1/manifests/sha256:abc", 400),
      line("PUT", "/v2/other/app/manifests/latest", 201),
      line("HEAD", "/v2/bench/ml-x-r1/manifests/latest", 200),
    ].join("\n");
    expect(pushedManifests(log, "bench/")).toEqual([{ repo: "bench/ml-x-r1", ref: "latest" }]);
  });

  it("sizes an image from its manifest: config plus compressed layers", () => {
    expect(manifestBytes({ config: { size: 100 }, layers: [{ size: 1000 }, { size: 24 }] })).toBe(1124);
    expect(manifestBytes({ manifests: [] })).toBeUndefined();
  });
});

describe("report", () => {
  const run = (tool: string, scenario: string, wallMs: number, extra: Partial<BenchRun> = {}): BenchRun => ({
    tool,
    scenario,
    measured: true,
    ok: true,
    wallMs,
    memPeakBytes: 500 * 1024 ** 2,
    memPeakRssBytes: 300 * 1024 ** 2,
    memPeakWorkingSetBytes: 400 * 1024 ** 2,
    imageBytes: 200 * 1024 ** 2,
    pushedBytes: 150 * 1024 ** 2,
    ...extra,
  });
  const runs: BenchRun[] = [
    run("ml", "fresh", 80_000, { phases: { analyze: 1000, build: 60_000, export: 10_000 } }),
    run("ml", "fresh", 100_000, { phases: { analyze: 3000, build: 70_000, export: 12_000 } }),
    run("ml", "fresh", 90_000, { phases: { analyze: 2000, build: 65_000, export: 11_000 } }),
    run("docker", "fresh", 100_000),
    run("docker-multi", "fresh", 120_000, { imageBytes: 190 * 1024 ** 2 }),
    run("pack", "fresh", 100_000),
    run("ml-capped", "fresh", 99_000, { memPeakBytes: 1000 * 1024 ** 2 }),
    run("ml", "no-change", 5_000),
    run("docker", "no-change", 4_000),
    { ...run("pack", "no-change", 1), ok: false },
    { ...run("ml", "code-change", 1), measured: false },
  ];

  it("takes medians per scenario and tool over the measured, successful builds", () => {
    const s = summarize(runs);
    expect(s.fresh?.ml).toMatchObject({
      n: 3,
      wallMs: 90_000,
      phases: { analyze: 2000, build: 65_000, export: 11_000 },
    });
    expect(s["no-change"]?.pack).toBeUndefined();
    expect(s["code-change"]).toBeUndefined();
  });

  it("checks the targets: time vs Docker and pack, memory, image size vs multi-stage", () => {
    const checks = checkTargets(summarize(runs));
    const fresh = checks.filter((c) => c.scenario === "fresh");
    expect(fresh.map((c) => [c.target, c.value, c.met])).toEqual([
      ["time <= 1.0x Docker (BuildKit, single stage)", "0.90x", true],
      ["time <= 1.0x Docker (BuildKit, multi-stage)", "0.75x", true],
      ["time <= 0.8x pack v0.35.1", "0.90x", false],
      ["peak memory <= 1 GiB (cgroup usage incl. page cache)", "500 MiB", true],
      ["peak memory <= 1 GiB (working set: usage minus inactive page cache)", "400 MiB", true],
      ["peak memory <= 1 GiB (cgroup usage, with --memory 900m)", "1000 MiB, time 1.10x unlimited", true],
      ["image size <= Docker multi-stage", "200 MiB vs 190 MiB", false],
    ]);
    expect(checks.find((c) => c.scenario === "no-change" && c.target.includes("single stage"))).toMatchObject(
      {
        value: "1.25x",
        met: false,
      },
    );
  });

  it("renders a table per scenario with ratios, the phase timings and the targets", () => {
    const md = renderTables(summarize(runs), ["ml", "docker", "docker-multi", "pack"]);
    expect(md).toContain("### Fresh build (empty caches, new image repository)");
    expect(md).toContain(
      "| ml-buildpacks --trust-builder | 3 | 90.0 s | 500 MiB | 400 MiB | 300 MiB | 200 MiB | 150 MiB |",
    );
    expect(md).toContain("| Docker (BuildKit, multi-stage) | 0.75x | 1.00x | 1.00x | 1.05x | 1.00x |");
    expect(md).toContain("| pack v0.35.1 | 0 | - | - | - | - | - | - |");
    expect(md).toContain(
      "| fresh | ml-buildpacks --trust-builder | 2.0 s | - | - | 65.0 s | 11.0 s | - | 12.0 s | 90.0 s |",
    );
    expect(md).toContain("| fresh | time <= 0.8x pack v0.35.1 | 0.90x | **not met** |");
  });
});
