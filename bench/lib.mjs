// Pure parts of the benchmark (bench/run.mjs): argument parsing, statistics, registry log parsing,
// target checks and the Markdown report. No I/O here, so test/unit/bench/lib.test.ts covers it all.

/** Scenarios in the order they run within one repetition; each builds on the state the previous left. */
export const SCENARIOS = ["fresh", "no-change", "code-change", "req-change"];

export const SCENARIO_TITLES = {
  fresh: "Fresh build (empty caches, new image repository)",
  "no-change": "No-change rebuild",
  "code-change": "App-code-only change (app.py edited)",
  "req-change": "Requirements change (one package added to requirements.txt)",
};

/**
 * Tools; `ml` is ml-buildpacks, the others are what it is compared with. `ml` trusts the builder as
 * pack is told to (`--trust-builder` both): the same lifecycle mode on both sides.
 */
export const TOOLS = ["ml", "ml-small", "ml-capped", "docker", "docker-multi", "pack"];

export const TOOL_TITLES = {
  ml: "ml-buildpacks --trust-builder",
  "ml-small": "ml-buildpacks --trust-builder --compression small",
  "ml-capped": "ml-buildpacks --trust-builder --memory 900m",
  "ml-untrusted": "ml-buildpacks (five phase containers)",
  docker: "Docker (BuildKit, single stage)",
  "docker-multi": "Docker (BuildKit, multi-stage)",
  pack: "pack v0.35.1",
};

/** The rows that are ml-buildpacks (they have phase timings from the build report). */
export const ML_TOOLS = ["ml", "ml-small", "ml-capped", "ml-untrusted"];

export const ALL_TOOLS = ["ml", "ml-small", "ml-capped", "ml-untrusted", "docker", "docker-multi", "pack"];

/** Targets from issue #7: time ratios per scenario, peak memory, image size. */
export const TARGETS = {
  maxRatioVsDocker: 1.0,
  maxRatioVsPack: 0.8,
  maxPeakMemBytes: 1024 ** 3,
};

export const USAGE = `Usage: npm run bench -- [options]

Builds bench/app (OpenCV + pandas, an Aptfile and a requirements.txt) with ml-buildpacks, Docker
BuildKit (bench/docker/Dockerfile and Dockerfile.multi) and pack v0.35.1, alternating the tools,
and writes bench/results/latest.{md,json,png}.

Options:
  --reps N            repetitions (default 3); medians are reported
  --scenarios LIST    comma list of ${SCENARIOS.join(", ")} (default: all). A rebuild
                      scenario without "fresh" before it gets an unmeasured set-up build
  --tools LIST        comma list of ${ALL_TOOLS.join(", ")} (default: ${TOOLS.join(",")})
  --out DIR           results directory (default bench/results)
  --registry own|shared
                      own (default): the tools push to a registry this run starts (on
                      127.0.0.1:5001+, the run image copied in) and deletes afterwards;
                      shared: to 127.0.0.1:5000, whose blobs then stay until its garbage
                      collection (~1.2 GB per repetition)
  --keep              keep the images, volumes, caches and own registry's data afterwards
  --no-chart          skip the PNG chart
  -h, --help          this help

Quick development run: npm run bench -- --reps 1 --scenarios fresh,no-change`;

/**
 * Parses the command line; throws an Error with a readable message on bad input.
 * @param {string[]} argv
 */
export function parseArgs(argv) {
  const opts = {
    reps: 3,
    scenarios: [...SCENARIOS],
    tools: [...TOOLS],
    out: undefined,
    keep: false,
    chart: true,
    registry: "own",
    help: false,
  };
  const value = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  };
  const list = (text, allowed, name) => {
    const items = text
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) throw new Error(`${name} needs at least one value`);
    for (const item of items)
      if (!allowed.includes(item))
        throw new Error(`unknown ${name.slice(2, -1)} "${item}" (expected one of ${allowed.join(", ")})`);
    return [...new Set(items)];
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline;
    if (arg.startsWith("--") && arg.includes("=")) {
      inline = arg.slice(arg.indexOf("=") + 1);
      arg = arg.slice(0, arg.indexOf("="));
    }
    const next = () => {
      if (inline !== undefined) return inline;
      const v = value(i, arg);
      i++;
      return v;
    };
    switch (arg) {
      case "--reps": {
        const text = next();
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1)
          throw new Error(`--reps must be a whole number >= 1, not "${text}"`);
        opts.reps = n;
        break;
      }
      case "--scenarios": {
        // Always run in dependency order, whatever order they were given in.
        const chosen = list(next(), SCENARIOS, "--scenarios");
        opts.scenarios = SCENARIOS.filter((s) => chosen.includes(s));
        break;
      }
      case "--tools":
        opts.tools = list(next(), ALL_TOOLS, "--tools");
        break;
      case "--out":
        opts.out = next();
        break;
      case "--registry": {
        const v = next();
        if (v !== "own" && v !== "shared") throw new Error(`--registry must be own or shared, not "${v}"`);
        opts.registry = v;
        break;
      }
      case "--keep":
        opts.keep = true;
        break;
      case "--no-chart":
        opts.chart = false;
        break;
      case "-h":
      case "--help":
        opts.help = true;
        break;
      default:
        throw new Error(`unknown option "${argv[i]}"`);
    }
  }
  return opts;
}

/**
 * Tool order for one repetition: rotated by the repetition number so no tool always runs first
 * (warm page cache, the registry's state) or last.
 * @param {string[]} tools
 * @param {number} rep zero-based
 */
export function toolOrder(tools, rep) {
  const k = rep % tools.length;
  return [...tools.slice(k), ...tools.slice(0, k)];
}

/** @param {number[]} values */
export function median(values) {
  const xs = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** a / b, undefined when either is missing or b is 0. */
export function ratio(a, b) {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
    return undefined;
  return a / b;
}

/**
 * Completed blob uploads in a registry access log (distribution's combined-format lines): each
 * `PUT /v2/<repo>/blobs/uploads/<uuid>?...digest=sha256:...` answered 201. Cross-repository mounts
 * (POST ...?mount=) and blobs the client found already present (HEAD 200) upload nothing and are
 * not counted. Only repositories starting with `repoPrefix` count (the registry is shared).
 * @param {string} text log lines
 * @param {string} repoPrefix e.g. "bench/"
 * @returns {{repo: string, digest: string}[]}
 */
export function uploadedBlobs(text, repoPrefix) {
  const out = [];
  const re = /"PUT \/v2\/(.+?)\/blobs\/uploads\/[^ ?"]+\?([^ "]*) HTTP\/[\d.]+" (\d{3}) /g;
  for (const m of text.matchAll(re)) {
    const [, repo, query, status] = m;
    if (status !== "201" || !repo.startsWith(repoPrefix)) continue;
    const digest = new URLSearchParams(query).get("digest");
    if (digest?.startsWith("sha256:")) out.push({ repo, digest });
  }
  return out;
}

/**
 * Manifests the registry accepted (PUT .../manifests/<ref> answered 201) for repositories starting
 * with `repoPrefix`: a rebuild that changed nothing may still push its manifest again.
 * @param {string} text log lines
 * @param {string} repoPrefix
 * @returns {{repo: string, ref: string}[]}
 */
export function pushedManifests(text, repoPrefix) {
  const out = [];
  const re = /"PUT \/v2\/(.+?)\/manifests\/([^ ?"]+)[^ "]* HTTP\/[\d.]+" (\d{3}) /g;
  for (const [, repo, ref, status] of text.matchAll(re))
    if (status === "201" && repo.startsWith(repoPrefix)) out.push({ repo, ref });
  return out;
}

/**
 * Compressed image size from its manifest: config + layers as stored in the registry.
 * @param {{config?: {size?: number}, layers?: {size?: number}[]}} manifest
 */
export function manifestBytes(manifest) {
  if (!manifest || !Array.isArray(manifest.layers)) return undefined;
  return (manifest.config?.size ?? 0) + manifest.layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
}

/**
 * Medians per (scenario, tool) over the measured runs.
 * @param {{scenario: string, tool: string, measured: boolean, ok: boolean, wallMs?: number,
 *   memPeakBytes?: number, memPeakRssBytes?: number, imageBytes?: number, pushedBytes?: number,
 *   phases?: Record<string, number>}[]} runs
 */
export function summarize(runs) {
  /** @type {Record<string, Record<string, any>>} */
  const out = {};
  for (const run of runs) {
    if (!run.measured || !run.ok) continue;
    out[run.scenario] ??= {};
    out[run.scenario][run.tool] ??= { runs: [] };
    out[run.scenario][run.tool].runs.push(run);
  }
  for (const byTool of Object.values(out)) {
    for (const cell of Object.values(byTool)) {
      const pick = (key) => median(cell.runs.map((r) => r[key]));
      cell.n = cell.runs.length;
      cell.wallMs = pick("wallMs");
      cell.memPeakBytes = pick("memPeakBytes");
      cell.memPeakRssBytes = pick("memPeakRssBytes");
      cell.memPeakWorkingSetBytes = pick("memPeakWorkingSetBytes");
      cell.imageBytes = pick("imageBytes");
      cell.pushedBytes = pick("pushedBytes");
      const phaseNames = [...new Set(cell.runs.flatMap((r) => Object.keys(r.phases ?? {})))];
      cell.phases = Object.fromEntries(
        phaseNames.map((p) => [p, median(cell.runs.map((r) => r.phases?.[p]))]),
      );
      delete cell.runs;
    }
  }
  return out;
}

/**
 * Issue #7's targets per scenario, from the medians: each entry says what was compared, the figure
 * and whether it was met. Missing figures (a tool not run) give no entry.
 * @param {ReturnType<typeof summarize>} summary
 */
export function checkTargets(summary) {
  const checks = [];
  for (const scenario of SCENARIOS) {
    const s = summary[scenario];
    const ml = s?.ml;
    if (!ml) continue;
    for (const [other, max] of [
      ["docker", TARGETS.maxRatioVsDocker],
      ["docker-multi", TARGETS.maxRatioVsDocker],
      ["pack", TARGETS.maxRatioVsPack],
    ]) {
      const r = ratio(ml.wallMs, s[other]?.wallMs);
      if (r !== undefined)
        checks.push({
          scenario,
          target: `time <= ${max.toFixed(1)}x ${TOOL_TITLES[other]}`,
          value: `${r.toFixed(2)}x`,
          met: r <= max,
        });
    }
    for (const [key, what] of [
      ["memPeakBytes", "cgroup usage incl. page cache"],
      ["memPeakWorkingSetBytes", "working set: usage minus inactive page cache"],
    ]) {
      if (ml[key] !== undefined)
        checks.push({
          scenario,
          target: `peak memory <= 1 GiB (${what})`,
          value: formatBytes(ml[key]),
          met: ml[key] <= TARGETS.maxPeakMemBytes,
        });
    }
    // The same build with its container capped so that container and client stay within 1 GiB: does
    // it still finish, and at what cost?
    const capped = s["ml-capped"];
    if (capped?.memPeakBytes !== undefined) {
      const slower = ratio(capped.wallMs, ml.wallMs);
      checks.push({
        scenario,
        target: "peak memory <= 1 GiB (cgroup usage, with --memory 900m)",
        value: `${formatBytes(capped.memPeakBytes)}${slower === undefined ? "" : `, time ${slower.toFixed(2)}x unlimited`}`,
        met: capped.memPeakBytes <= TARGETS.maxPeakMemBytes,
      });
    }
    const multi = s["docker-multi"]?.imageBytes;
    if (ml.imageBytes !== undefined && multi !== undefined)
      checks.push({
        scenario,
        target: "image size <= Docker multi-stage",
        value: `${formatBytes(ml.imageBytes)} vs ${formatBytes(multi)}`,
        met: ml.imageBytes <= multi,
      });
  }
  return checks;
}

/** @param {number | undefined} bytes */
export function formatBytes(bytes) {
  if (bytes === undefined || !Number.isFinite(bytes)) return "-";
  const units = ["B", "KiB", "MiB", "GiB"];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  // GiB with two decimals: a peak of 1.004 GiB must not read as the 1 GiB target.
  return u === 0 ? `${v} B` : `${v.toFixed(u === 3 ? 2 : v >= 100 ? 0 : 1)} ${units[u]}`;
}

/** @param {number | undefined} ms */
export function formatSeconds(ms) {
  return ms === undefined || !Number.isFinite(ms) ? "-" : `${(ms / 1000).toFixed(1)} s`;
}

/** @param {number | undefined} r */
export function formatRatio(r) {
  return r === undefined ? "-" : `${r.toFixed(2)}x`;
}

/**
 * The Markdown tables: one per scenario (medians per tool, then ml-buildpacks' ratios), the phase
 * timings of ml-buildpacks, and the targets.
 * @param {ReturnType<typeof summarize>} summary
 * @param {string[]} tools tool ids in column order
 */
export function renderTables(summary, tools) {
  const lines = [];
  for (const scenario of SCENARIOS) {
    const s = summary[scenario];
    if (!s) continue;
    lines.push(`### ${SCENARIO_TITLES[scenario]}`, "");
    lines.push(
      "| tool | runs | wall time | peak memory (cgroup) | peak memory (working set) | peak memory (RSS) | image size | bytes pushed |",
    );
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const tool of tools) {
      const c = s[tool];
      if (!c) {
        lines.push(`| ${TOOL_TITLES[tool]} | 0 | - | - | - | - | - | - |`);
        continue;
      }
      lines.push(
        `| ${TOOL_TITLES[tool]} | ${c.n} | ${formatSeconds(c.wallMs)} | ${formatBytes(c.memPeakBytes)} | ${formatBytes(c.memPeakWorkingSetBytes)} | ${formatBytes(c.memPeakRssBytes)} | ${formatBytes(c.imageBytes)} | ${formatBytes(c.pushedBytes)} |`,
      );
    }
    const ml = s.ml;
    const others = tools.filter((t) => t !== "ml" && s[t]);
    if (ml && others.length) {
      lines.push(
        "",
        "| ml-buildpacks / ... | wall time | peak memory (cgroup) | peak memory (working set) | image size | bytes pushed |",
      );
      lines.push("|---|---|---|---|---|---|");
      for (const t of others) {
        const o = s[t];
        lines.push(
          `| ${TOOL_TITLES[t]} | ${formatRatio(ratio(ml.wallMs, o.wallMs))} | ${formatRatio(ratio(ml.memPeakBytes, o.memPeakBytes))} | ${formatRatio(ratio(ml.memPeakWorkingSetBytes, o.memPeakWorkingSetBytes))} | ${formatRatio(ratio(ml.imageBytes, o.imageBytes))} | ${formatRatio(ratio(ml.pushedBytes, o.pushedBytes))} |`,
        );
      }
    }
    lines.push("");
  }
  const phaseRows = [];
  for (const scenario of SCENARIOS) {
    for (const tool of ML_TOOLS) {
      const phases = summary[scenario]?.[tool]?.phases;
      if (!phases || Object.keys(phases).length === 0) continue;
      const total = summary[scenario][tool].wallMs;
      const inPhases = Object.values(phases).reduce((a, b) => a + (b ?? 0), 0);
      const cells = ["analyze", "detect", "restore", "build", "export", "create"].map((p) =>
        formatSeconds(phases[p]),
      );
      phaseRows.push(
        `| ${scenario} | ${TOOL_TITLES[tool]} | ${cells.join(" | ")} | ${formatSeconds(total - inPhases)} | ${formatSeconds(total)} |`,
      );
    }
  }
  if (phaseRows.length) {
    lines.push("### ml-buildpacks phase timings (medians, from the build report)", "");
    lines.push(
      "| scenario | tool | analyze | detect | restore | build | export | create | outside phases | wall |",
    );
    lines.push("|---|---|---|---|---|---|---|---|---|---|");
    lines.push(...phaseRows, "");
  }
  const checks = checkTargets(summary);
  if (checks.length) {
    lines.push("### Targets (issue #7)", "");
    lines.push("| scenario | target | ml-buildpacks | met |");
    lines.push("|---|---|---|---|");
    for (const c of checks)
      lines.push(`| ${c.scenario} | ${c.target} | ${c.value} | ${c.met ? "met" : "**not met**"} |`);
    lines.push("");
  }
  return lines.join("\n");
}
