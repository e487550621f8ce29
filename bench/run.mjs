#!/usr/bin/env node
// npm run bench: builds bench/app (OpenCV + pandas: an Aptfile and a requirements.txt) with
// ml-buildpacks, Docker BuildKit (single stage and multi-stage) and pack v0.35.1, on the same base
// OS, machine and registry, alternating the tools, and writes bench/results/latest.{md,json,png}.
// What is measured and how: README "Benchmarks". Pure logic lives in bench/lib.mjs (unit tested).
import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, homedir, loadavg, arch as osArch, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkTargets,
  formatBytes,
  formatSeconds,
  ML_TOOLS,
  manifestBytes,
  parseArgs,
  pushedManifests,
  renderTables,
  SCENARIOS,
  summarize,
  TOOL_TITLES,
  toolOrder,
  USAGE,
  uploadedBlobs,
} from "./lib.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, "..");
/** The shared registry `npm run infra` runs: the builder and run image come from it. */
const SHARED_REGISTRY = "127.0.0.1:5000";
const BUILDER = `${SHARED_REGISTRY}/ml-buildpacks/builder:cpu`;
const RUN_IMAGE = `${SHARED_REGISTRY}/ml-buildpacks/run:cpu`;
/** Where the tools push: the run's own registry (default) or the shared one (--registry shared). */
let REGISTRY = SHARED_REGISTRY;
const PACK_VERSION = "0.35.1";
/** Debian's docker client: BuildKit is built in (the one in /usr/local/bin has no buildx). */
const DOCKER = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const GO = existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
const REGISTRY_BIN = "/usr/bin/docker-registry";
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "ml-buildpacks", "bench");
const REPO_PREFIX = "bench/";
const SAMPLE_MS = 200;

const t0 = Date.now();
function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(0).padStart(5);
  console.log(`bench [${s}s] ${msg}`);
}
function fail(msg) {
  console.error(`bench: ERROR: ${msg}`);
  process.exit(1);
}

/** Runs a command to completion, capturing its output; throws with the tail of it on failure. */
function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`${cmd} ${args[0] ?? ""}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 2).join(" ")} exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(-2000)}`,
    );
  return r.stdout.trim();
}
function tryRun(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// ------------------------------------------------------------------------------------------------
// peak memory: cgroup accounting of every container the build starts, plus dockerd's growth and the
// client's own process tree

const CGROUP_ROOTS = [
  // cgroup v1 (cgroupfs driver): containers in memory/docker/<id>, BuildKit's RUN steps in memory/docker/buildkit/<id>
  "/sys/fs/cgroup/memory/docker",
  "/sys/fs/cgroup/memory/docker/buildkit",
  // cgroup v2 (cgroupfs driver / systemd driver)
  "/sys/fs/cgroup/docker",
  "/sys/fs/cgroup/docker/buildkit",
  "/sys/fs/cgroup/system.slice",
];

function readNum(file) {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return undefined;
  }
}
function readStat(dir) {
  try {
    const out = {};
    for (const line of readFileSync(join(dir, "memory.stat"), "utf8").split("\n")) {
      const [k, v] = line.split(" ");
      if (k) out[k] = Number(v);
    }
    return out;
  } catch {
    return {};
  }
}
/** Container cgroups present now (leaf dirs with memory accounting). */
function containerCgroups() {
  const found = new Set();
  for (const root of CGROUP_ROOTS) {
    let names;
    try {
      names = readdirSync(root, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of names) {
      if (!d.isDirectory() || d.name === "buildkit") continue;
      if (root.endsWith("system.slice") && !/^docker-[0-9a-f]{64}\.scope$/.test(d.name)) continue;
      const dir = join(root, d.name);
      if (existsSync(join(dir, "memory.usage_in_bytes")) || existsSync(join(dir, "memory.current")))
        found.add(dir);
    }
  }
  return found;
}
function vmRss(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
function vmHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
/** Sum of VmRSS over `root` and all its descendants. */
function treeRss(root) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {}
  }
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    sum += vmRss(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}
function dockerdPid() {
  const out = tryRun("pidof", ["dockerd"]);
  return out ? Number(out.split(" ")[0]) : undefined;
}

/**
 * Samples every SAMPLE_MS: the memory of each container cgroup that appeared after start() (usage,
 * which in cgroup v1 includes page cache, and RSS), dockerd's RSS growth over its value at start()
 * and the client process tree's RSS; the peak of the sum is the build's peak. Each cgroup's kernel
 * high-water mark (memory.max_usage_in_bytes / memory.peak) is kept as a floor for spikes between
 * samples.
 */
class MemorySampler {
  /** @param {string} marker a string every container of this build carries (run id in a mount path or argument) */
  constructor(marker) {
    this.marker = marker;
    /** @type {Map<string, boolean>} cgroup dir -> belongs to this build */
    this.owned = new Map();
  }
  /**
   * Is this new cgroup one of this build's containers? Docker containers are inspected once: they
   * must mention the marker (the build's image name or work dir) — the machine is shared. BuildKit's
   * RUN-step cgroups cannot be inspected and count when they appear during the build.
   */
  belongs(dir) {
    let yes = this.owned.get(dir);
    if (yes !== undefined) return yes;
    const id = /([0-9a-f]{64})(\.scope)?$/.exec(dir)?.[1];
    let name = `buildkit/${dir.split("/").at(-1)?.slice(0, 12)}`;
    if (!id || dir.includes("/buildkit/")) yes = true;
    else {
      const r = spawnSync(DOCKER, ["inspect", "--type", "container", id], { encoding: "utf8" });
      yes = r.status === 0 ? r.stdout.includes(this.marker) : false;
      if (r.status !== 0) this.unresolved++;
      // The container's name and command, to tell which phase or step peaked.
      try {
        const c = JSON.parse(r.stdout)[0];
        name = `${c.Name.replace(/^\//, "")} ${c.Path}`.trim();
      } catch {
        name = id.slice(0, 12);
      }
    }
    this.names.set(dir, name);
    this.owned.set(dir, yes);
    return yes;
  }
  start() {
    this.unresolved = 0;
    this.names = new Map();
    /** @type {Map<string, {peak: number, rssPeak: number, wsPeak: number}>} */
    this.perContainer = new Map();
    this.baseline = containerCgroups();
    this.dockerd = dockerdPid();
    this.dockerdBase = this.dockerd ? vmRss(this.dockerd) : 0;
    this.clientPids = [];
    this.peak = 0;
    this.peakRss = 0;
    this.peakWorking = 0;
    this.kernelPeak = 0;
    this.dockerdGrowth = 0;
    this.cgroupsSeen = new Set();
    this.clientHwm = 0;
    this.hwmTimers = [];
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }
  addClient(pid) {
    this.clientPids.push(pid);
    // An up-to-date build can end before the first sample: VmHWM (the process's own peak RSS) is
    // read every few ms instead, and its last value stands as a floor for every peak.
    const read = () => {
      const hwm = vmHwm(pid);
      if (hwm > 0) this.clientHwm = Math.max(this.clientHwm, hwm);
    };
    read();
    this.hwmTimers.push(setInterval(read, 5));
  }
  sample() {
    let usage = 0;
    let rss = 0;
    let working = 0;
    for (const dir of containerCgroups()) {
      if (this.baseline.has(dir) || !this.belongs(dir)) continue;
      this.cgroupsSeen.add(dir);
      const u = readNum(join(dir, "memory.usage_in_bytes")) ?? readNum(join(dir, "memory.current")) ?? 0;
      const st = readStat(dir);
      usage += u;
      rss += st.total_rss ?? st.rss ?? st.anon ?? 0;
      // What `docker stats` shows and the kubelet evicts on: usage minus inactive (reclaimable) file pages.
      const ws = Math.max(0, u - (st.total_inactive_file ?? st.inactive_file ?? 0));
      working += ws;
      const k = readNum(join(dir, "memory.max_usage_in_bytes")) ?? readNum(join(dir, "memory.peak")) ?? 0;
      this.kernelPeak = Math.max(this.kernelPeak, k);
      const seen = this.perContainer.get(dir) ?? { peak: 0, rssPeak: 0, wsPeak: 0 };
      seen.peak = Math.max(seen.peak, k, u);
      seen.wsPeak = Math.max(seen.wsPeak, ws);
      seen.rssPeak = Math.max(seen.rssPeak, st.total_rss ?? st.rss ?? st.anon ?? 0);
      this.perContainer.set(dir, seen);
    }
    const growth = this.dockerd ? Math.max(0, vmRss(this.dockerd) - this.dockerdBase) : 0;
    this.dockerdGrowth = Math.max(this.dockerdGrowth, growth);
    const client = this.clientPids.reduce((s, pid) => s + treeRss(pid), 0);
    this.peak = Math.max(this.peak, usage + growth + client);
    this.peakRss = Math.max(this.peakRss, rss + growth + client);
    this.peakWorking = Math.max(this.peakWorking, working + growth + client);
  }
  stop() {
    clearInterval(this.timer);
    for (const t of this.hwmTimers) clearInterval(t);
    return {
      memPeakBytes: Math.max(this.peak, this.kernelPeak, this.clientHwm),
      memPeakRssBytes: Math.max(this.peakRss, this.clientHwm),
      memPeakWorkingSetBytes: Math.max(this.peakWorking, this.clientHwm),
      memKernelPeakBytes: this.kernelPeak,
      dockerdGrowthBytes: this.dockerdGrowth,
      containers: this.cgroupsSeen.size,
      containersUnresolved: this.unresolved,
      // Each container's own high-water marks (cgroup usage incl. page cache, RSS), largest first.
      containerPeaks: [...this.perContainer]
        .map(([dir, p]) => ({
          container: this.names.get(dir) ?? dir,
          peakBytes: p.peak,
          workingSetPeakBytes: p.wsPeak,
          rssPeakBytes: p.rssPeak,
        }))
        .sort((a, b) => b.peakBytes - a.peakBytes),
    };
  }
}

// ------------------------------------------------------------------------------------------------
// registry

async function registryFetch(path, init = {}, host = REGISTRY) {
  return fetch(`http://${host}${path}`, init);
}
const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");
async function getManifest(repo, ref) {
  const res = await registryFetch(`/v2/${repo}/manifests/${ref}`, { headers: { Accept: MANIFEST_ACCEPT } });
  if (!res.ok) return undefined;
  const text = await res.text();
  return { body: JSON.parse(text), digest: res.headers.get("docker-content-digest"), bytes: text.length };
}
const INDEX_ACCEPT = [
  MANIFEST_ACCEPT,
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

/**
 * The digest of `ref` (in the shared registry) for linux/`arch`: the child's when it is a
 * multi-arch index. The builder is pinned this way for the whole run: one re-pushed meanwhile
 * (infra, other work on a shared machine) must not change what later scenarios build with.
 */
async function pinnedDigest(ref, arch) {
  const [repo, tag] = ref.slice(SHARED_REGISTRY.length + 1).split(":");
  const res = await registryFetch(
    `/v2/${repo}/manifests/${tag}`,
    { headers: { Accept: INDEX_ACCEPT } },
    SHARED_REGISTRY,
  );
  if (!res.ok) fail(`${ref} is not in the registry (HTTP ${res.status}): run \`npm run infra\` first`);
  const body = await res.json();
  if (!Array.isArray(body.manifests)) return { repo, digest: res.headers.get("docker-content-digest") };
  const child = body.manifests.find((m) => m.platform?.os === "linux" && m.platform?.architecture === arch);
  if (!child) fail(`${ref} has no linux/${arch} image`);
  return { repo, digest: child.digest };
}

async function pinBuilder(arch) {
  const { repo, digest } = await pinnedDigest(BUILDER, arch);
  const ref = `${SHARED_REGISTRY}/${repo}@${digest}`;
  must(DOCKER, ["pull", "-q", ref]);
  return ref;
}

/**
 * Copies one image (manifest, config and layers, digests unchanged) from the shared registry into
 * the run's own, so the exporter there mounts the run image's layers as it would in production.
 */
async function copyImage(repo, digest, tag) {
  const src = await registryFetch(
    `/v2/${repo}/manifests/${digest}`,
    { headers: { Accept: MANIFEST_ACCEPT } },
    SHARED_REGISTRY,
  );
  if (!src.ok) fail(`cannot read ${SHARED_REGISTRY}/${repo}@${digest} (HTTP ${src.status})`);
  const mediaType = src.headers.get("content-type");
  const text = await src.text();
  const manifest = JSON.parse(text);
  for (const blob of [manifest.config, ...manifest.layers]) {
    const data = await (
      await registryFetch(`/v2/${repo}/blobs/${blob.digest}`, {}, SHARED_REGISTRY)
    ).arrayBuffer();
    const start = await registryFetch(`/v2/${repo}/blobs/uploads/`, { method: "POST" });
    const location = new URL(start.headers.get("location") ?? "", `http://${REGISTRY}`);
    location.searchParams.set("digest", blob.digest);
    const put = await fetch(location, {
      method: "PUT",
      body: Buffer.from(data),
      headers: { "Content-Type": "application/octet-stream" },
    });
    if (put.status !== 201) fail(`copying ${blob.digest} into ${REGISTRY}/${repo}: HTTP ${put.status}`);
  }
  const put = await registryFetch(`/v2/${repo}/manifests/${tag}`, {
    method: "PUT",
    body: text,
    headers: { "Content-Type": mediaType },
  });
  if (put.status !== 201) fail(`pushing ${REGISTRY}/${repo}:${tag}: HTTP ${put.status}`);
  return `${REGISTRY}/${repo}:${tag}`;
}

/**
 * The run's own registry (docker-registry on the first free port from 5001, storage and access log
 * in the work dir), deleted afterwards: blobs of deleted manifests are only reclaimed by garbage
 * collection, which cannot run safely on the shared registry while others push to it, and the disk
 * here is small. Its access log holds only this run's requests.
 */
async function startOwnRegistry(work) {
  const dir = join(work, "registry");
  mkdirSync(join(dir, "data"), { recursive: true });
  for (let port = 5001; port < 5020; port++) {
    const addr = `127.0.0.1:${port}`;
    if (spawnSync("curl", ["-fsS", "-m", "2", "-o", "/dev/null", `http://${addr}/v2/`]).status === 0)
      continue;
    const config = join(dir, "config.yml");
    writeFileSync(
      config,
      [
        "version: 0.1",
        "log:",
        "  level: info",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${join(dir, "data")}`,
        "  delete:",
        "    enabled: true",
        "http:",
        `  addr: ${addr}`,
        "",
      ].join("\n"),
    );
    const logFile = join(dir, "registry.log");
    const out = openSync(logFile, "a");
    const proc = spawn(REGISTRY_BIN, ["serve", config], { stdio: ["ignore", out, out] });
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (proc.exitCode !== null) break;
      if (spawnSync("curl", ["-fsS", "-m", "2", "-o", "/dev/null", `http://${addr}/v2/`]).status === 0)
        return { addr, proc, logFile, config, dir };
    }
    proc.kill();
  }
  fail(`could not start a registry for the run (${REGISTRY_BIN}); use --registry shared`);
}

/** Between repetitions: the run's own registry is idle, so its garbage collection is safe. */
function collectOwnRegistry(own) {
  spawnSync(REGISTRY_BIN, ["garbage-collect", "--delete-untagged", own.config], { stdio: "ignore" });
}

function stopOwnRegistry(own, keep) {
  if (own.stopped) return;
  own.stopped = true;
  own.proc.kill();
  if (!keep) rmSync(join(own.dir, "data"), { recursive: true, force: true });
}

async function blobSize(repo, digest) {
  const res = await registryFetch(`/v2/${repo}/blobs/${digest}`, { method: "HEAD" });
  return res.ok ? Number(res.headers.get("content-length")) : 0;
}
/** The running registry's access log (its stdout), else infra's log file. */
function registryLogFile() {
  const pid = tryRun("pgrep", ["-o", "-f", "docker-registry serve"]);
  if (pid) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/1`);
      if (target.startsWith("/") && existsSync(target)) return target;
    } catch {}
  }
  const fallback = join(REPO, ".infra", "registry", "registry.log");
  return existsSync(fallback) ? fallback : undefined;
}
function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
function readFrom(file, offset) {
  const buf = readFileSync(file);
  return buf.subarray(Math.min(offset, buf.length)).toString("utf8");
}

// ------------------------------------------------------------------------------------------------
// set-up

function machineDescription() {
  const lscpu = tryRun("lscpu", []) ?? "";
  const pick = (key) => new RegExp(`^${key}:\\s*(.+)$`, "m").exec(lscpu)?.[1]?.trim();
  const osRelease = tryRun("sh", ["-c", '. /etc/os-release && echo "$PRETTY_NAME"']);
  const free = tryRun("free", ["-h"]);
  const df = tryRun("df", ["-h", "/var/lib/docker"]) ?? tryRun("df", ["-h", "/"]);
  return {
    os: osRelease,
    kernel: tryRun("uname", ["-r"]),
    arch: osArch(),
    cpuModel: pick("Model name") ?? cpus()[0]?.model,
    cpus: cpus().length,
    threadsPerCore: pick("Thread\\(s\\) per core"),
    memTotalBytes: totalmem(),
    free,
    disk: df,
    virtualization: pick("Hypervisor vendor") ?? pick("Virtualization type"),
  };
}

function toolVersions(packBin, builder) {
  const dockerVersion = tryRun(DOCKER, [
    "version",
    "--format",
    "client {{.Client.Version}}, engine {{.Server.Version}}",
  ]);
  const builderLabels = tryRun(DOCKER, [
    "image",
    "inspect",
    "-f",
    '{{index .Config.Labels "io.buildpacks.builder.metadata"}}',
    builder,
  ]);
  let lifecycle;
  try {
    lifecycle = JSON.parse(builderLabels ?? "{}").lifecycle?.version;
  } catch {}
  return {
    mlBuildpacks: `${JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version} (git ${tryRun("git", ["-C", REPO, "rev-parse", "--short", "HEAD"]) ?? "?"}${tryRun("git", ["-C", REPO, "status", "--porcelain", "--", "src", "buildpacks", "dist"]) ? ", uncommitted changes" : ""})`,
    lifecycle,
    docker: dockerVersion,
    pack: packBin ? tryRun(packBin, ["version"]) : undefined,
    node: process.version,
  };
}

/** pack v0.35.1 from its Go module (bench/pack/go.mod pins it), built once into the bench cache. */
function ensurePack() {
  const bin = join(CACHE, `pack-v${PACK_VERSION}`, "pack");
  if (existsSync(bin) && tryRun(bin, ["version"])?.startsWith(PACK_VERSION)) return bin;
  log(
    `building pack v${PACK_VERSION} from its Go module (bench/pack/go.mod; about a minute the first time) ...`,
  );
  mkdirSync(dirname(bin), { recursive: true });
  must(
    GO,
    [
      "build",
      "-ldflags",
      `-X github.com/buildpacks/pack.Version=${PACK_VERSION}`,
      "-o",
      bin,
      "github.com/buildpacks/pack/cmd/pack",
    ],
    { cwd: join(BENCH, "pack"), env: { ...process.env, CGO_ENABLED: "0" } },
  );
  return bin;
}

/** matplotlib in a venv of the bench cache, every file hash-pinned (bench/chart-requirements.txt). */
function ensureChartPython() {
  const venv = join(CACHE, "venv-chart");
  const py = join(venv, "bin", "python");
  const reqs = join(BENCH, "chart-requirements.txt");
  const stamp = join(venv, "requirements.txt");
  if (existsSync(py) && existsSync(stamp) && readFileSync(stamp, "utf8") === readFileSync(reqs, "utf8"))
    return py;
  log("installing matplotlib (hash-pinned) into the bench cache ...");
  rmSync(venv, { recursive: true, force: true });
  must("python3", ["-m", "venv", venv]);
  must(py, [
    "-m",
    "pip",
    "install",
    "-q",
    "--require-hashes",
    "--only-binary=:all:",
    "--no-deps",
    "-r",
    reqs,
  ]);
  cpSync(reqs, stamp);
  return py;
}

function preflight(opts) {
  if (tryRun(DOCKER, ["info", "--format", "{{.ServerVersion}}"]) === undefined)
    fail("the Docker daemon is not answering `docker info`: run `npm run infra` first");
  const v2 = spawnSync("curl", ["-fsS", "-m", "5", "-o", "/dev/null", `http://${SHARED_REGISTRY}/v2/`]);
  if (v2.status !== 0) fail(`no registry at http://${SHARED_REGISTRY}/v2/: run \`npm run infra\` first`);
  if (opts.registry === "own" && !existsSync(REGISTRY_BIN))
    fail(
      `${REGISTRY_BIN} (Debian's docker-registry, installed by \`npm run infra\`) is missing; use --registry shared`,
    );
  if (!existsSync(join(REPO, "dist", "cli", "index.js")))
    fail("dist/cli/index.js is missing: run `npm run build`");
  const arch = tryRun("dpkg", ["--print-architecture"]) ?? "amd64";
  const base = `ml-buildpacks/debian:trixie-${arch}`;
  if (tryRun(DOCKER, ["image", "inspect", "-f", "{{.Id}}", base]) === undefined)
    fail(`the Debian 13 base image ${base} (made by \`npm run infra\`) is missing`);
  const avail = Number(tryRun("df", ["--output=avail", "-B1", "/var/lib/docker"])?.split("\n")[1] ?? "0");
  // Per repetition ~1.2 GB of registry blobs stay (no garbage collection on a shared registry) and up
  // to ~3 GB more (images, BuildKit cache, caches, pack volumes) live until its clean-up.
  const needed = 1.2e9 * opts.reps + 3e9;
  if (avail && avail < needed)
    log(
      `WARNING: ${formatBytes(avail)} free for /var/lib/docker; a run with --reps ${opts.reps} may need ~${formatBytes(needed)}`,
    );
  const logFile = opts.registry === "own" ? undefined : registryLogFile();
  if (opts.registry !== "own" && !logFile)
    log("WARNING: the registry's access log was not found: bytes pushed cannot be measured");
  // Build containers must trust what this machine trusts (a TLS-intercepting proxy in front of PyPI).
  const caCerts =
    process.env.ML_BUILDPACKS_CA_CERTS ||
    (existsSync("/etc/ssl/certs/ca-certificates.crt") ? "/etc/ssl/certs/ca-certificates.crt" : undefined);
  return { arch, base, logFile, caCerts };
}

// ------------------------------------------------------------------------------------------------
// one build

/** Spawns a command with its output appended to logFile; resolves to its exit code. */
function runLogged(cmd, args, { env, logFile, sampler }) {
  appendFileSync(logFile, `\n$ ${cmd} ${args.join(" ")}\n`);
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    sampler.addClient(child.pid);
    const write = (chunk) => appendFileSync(logFile, chunk);
    child.stdout.on("data", write);
    child.stderr.on("data", write);
    child.on("error", (err) => {
      write(`\n${err.message}\n`);
      resolvePromise(127);
    });
    child.on("close", (code) => resolvePromise(code ?? 1));
  });
}

/** Edits the tool's copy of the app for a scenario. */
function mutateApp(appDir, scenario, tag) {
  if (scenario === "fresh") {
    rmSync(appDir, { recursive: true, force: true });
    cpSync(join(BENCH, "app"), appDir, { recursive: true });
  } else if (scenario === "code-change") {
    appendFileSync(join(appDir, "app.py"), `print("rebuilt: ${tag}")\n`);
  } else if (scenario === "req-change") {
    appendFileSync(join(appDir, "requirements.txt"), "tabulate==0.10.0\n");
  }
}

/** The commands each tool runs for one build (all push to the registry). */
function commands(tool, ctx) {
  const { image, appDir, scenario, state, env } = ctx;
  if (ML_TOOLS.includes(tool)) {
    return [
      {
        cmd: process.execPath,
        args: [
          join(REPO, "bin", "ml-buildpacks.js"),
          "build",
          appDir,
          "--image",
          image,
          "--builder",
          env.builder,
          "--cache-dir",
          state.cacheDir,
          "--report",
          state.reportFile,
          ...(env.runImage ? ["--run-image", env.runImage] : []),
          ...(tool === "ml-untrusted" ? [] : ["--trust-builder"]),
          ...(tool === "ml-small" ? ["--compression", "small"] : []),
          ...(tool === "ml-capped" ? ["--memory", "900m"] : []),
        ],
        env: env.caCerts ? { ML_BUILDPACKS_CA_CERTS: env.caCerts } : {},
      },
    ];
  }
  if (tool === "docker" || tool === "docker-multi") {
    const dockerfile = join(BENCH, "docker", tool === "docker" ? "Dockerfile" : "Dockerfile.multi");
    return [
      {
        cmd: DOCKER,
        args: [
          "build",
          "--network",
          "host",
          "--progress",
          "plain",
          ...(scenario === "fresh" ? ["--no-cache"] : []),
          "--build-arg",
          `BASE_IMAGE=${env.base}`,
          "--build-arg",
          `PIP_CACHE_ID=${state.pipCacheId}`,
          ...(env.caCerts ? ["--secret", `id=ca-certs,src=${env.caCerts}`] : []),
          "-f",
          dockerfile,
          "-t",
          image,
          appDir,
        ],
        env: { DOCKER_BUILDKIT: "1" },
      },
      { cmd: DOCKER, args: ["push", image], env: {} },
    ];
  }
  if (tool === "pack") {
    return [
      {
        cmd: env.packBin,
        args: [
          // Timestamped log lines: pack's phases can be timed from the build log.
          "--timestamps",
          "build",
          image,
          "--path",
          appDir,
          "--builder",
          env.builder,
          "--publish",
          // The builder's own lifecycle (creator): pack's default lifecycle image is on Docker Hub.
          "--trust-builder",
          "--pull-policy",
          "if-not-present",
          "--network",
          "host",
          ...(env.runImage ? ["--run-image", env.runImage] : []),
          ...(scenario === "fresh" ? ["--clear-cache"] : []),
          ...(env.caCerts ? ["--volume", `${env.caCerts}:/etc/ssl/certs/ca-certificates.crt:ro`] : []),
        ],
        env: { PACK_HOME: state.packHome },
      },
    ];
  }
  throw new Error(`unknown tool ${tool}`);
}

async function buildOnce(tool, scenario, rep, measured, ctx) {
  const { runId, work, env } = ctx;
  const repo = `${REPO_PREFIX}${tool}-${runId}-r${rep + 1}`;
  const image = `${REGISTRY}/${repo}:latest`;
  const toolDir = join(work, `${tool}-r${rep + 1}`);
  const appDir = join(toolDir, "app");
  const state = {
    cacheDir: join(toolDir, "cache"),
    reportFile: join(toolDir, `report-${scenario}.json`),
    pipCacheId: `bench-${runId}-${tool}-r${rep + 1}`,
    packHome: join(work, "pack-home"),
  };
  mkdirSync(toolDir, { recursive: true });
  mutateApp(appDir, scenario, `${runId}-r${rep + 1}`);
  const logFile = join(work, "logs", `r${rep + 1}-${scenario}-${tool}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const label = `rep ${rep + 1} ${scenario.padEnd(11)} ${TOOL_TITLES[tool]}${measured ? "" : " (set-up, not measured)"}`;
  log(`${label}: building (log ${logFile.slice(REPO.length + 1)}) ...`);

  const sampler = new MemorySampler(runId);
  const logOffset = env.logFile ? fileSize(env.logFile) : 0;
  sampler.start();
  const loadBefore = loadavg()[0];
  const started = performance.now();
  let exit = 0;
  for (const c of commands(tool, { image, appDir, scenario, state, env })) {
    exit = await runLogged(c.cmd, c.args, { env: c.env, logFile, sampler });
    if (exit !== 0) break;
  }
  const wallMs = performance.now() - started;
  sampler.sample();
  const mem = sampler.stop();

  const run = {
    rep: rep + 1,
    scenario,
    tool,
    measured,
    ok: exit === 0,
    exitCode: exit,
    image,
    wallMs,
    // 1-minute load average before and after: the machine is shared, figures from a busy one are noise.
    loadAvg: [Number(loadBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))],
    ...mem,
    log: logFile,
  };
  if (exit !== 0) {
    const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-15).join("\n");
    log(`${label}: FAILED (exit ${exit}) after ${formatSeconds(wallMs)}; last lines of the log:\n${tail}`);
    return run;
  }
  // Bytes pushed: blob uploads the registry completed for this image's repository during the build.
  await new Promise((r) => setTimeout(r, 300)); // the registry writes its access log line after responding
  const manifest = await getManifest(repo, "latest");
  run.imageBytes = manifestBytes(manifest?.body);
  run.digest = manifest?.digest;
  if (env.logFile) {
    const text = readFrom(env.logFile, logOffset);
    const blobs = uploadedBlobs(text, repo).filter((b) => b.repo === repo);
    const sizes = await Promise.all(blobs.map((b) => blobSize(repo, b.digest)));
    const manifests = pushedManifests(text, repo).filter((m) => m.repo === repo);
    run.pushedBlobs = blobs.length;
    run.pushedManifests = manifests.length;
    // Manifests are counted at the final manifest's size (they are a few KiB).
    run.pushedBytes = sizes.reduce((a, b) => a + b, 0) + manifests.length * (manifest?.bytes ?? 0);
  }
  if (tool.startsWith("ml") && existsSync(state.reportFile)) {
    const report = JSON.parse(readFileSync(state.reportFile, "utf8"));
    run.phases = Object.fromEntries((report.phases ?? []).map((p) => [p.phase, p.ms]));
    run.fastPath = report.fastPath?.used ?? false;
    run.layers = report.layers;
  }
  log(
    `${label}: done in ${formatSeconds(wallMs)}; peak memory ${formatBytes(run.memPeakBytes)} (working set ${formatBytes(run.memPeakWorkingSetBytes)}, RSS ${formatBytes(run.memPeakRssBytes)}, ${mem.containers} containers), image ${formatBytes(run.imageBytes)}, pushed ${formatBytes(run.pushedBytes)}${
      run.phases
        ? `; phases ${Object.entries(run.phases)
            .map(([p, ms]) => `${p} ${formatSeconds(ms)}`)
            .join(", ")}`
        : ""
    }`,
  );
  return run;
}

/** Runs the image once (not timed) and checks it prints the OpenCV and pandas versions. */
function verifyImage(run) {
  const ref = run.digest ? `${run.image.replace(/:latest$/, "")}@${run.digest}` : run.image;
  spawnSync(DOCKER, ["pull", "-q", ref], { stdio: "ignore" });
  const r = spawnSync(DOCKER, ["run", "--rm", "--network", "host", ref], { encoding: "utf8" });
  const out = (r.status === 0 ? r.stdout : `${r.stdout}${r.stderr}`).trim();
  const ok = r.status === 0 && /opencv \S+, pandas \S+/.test(out);
  log(
    `verify ${TOOL_TITLES[run.tool]}: ${ok ? "image runs" : "IMAGE DOES NOT RUN"}: ${out.split("\n").slice(-3).join(" | ")}`,
  );
  spawnSync(DOCKER, ["rmi", ref], { stdio: "ignore" });
  return ok;
}

// ------------------------------------------------------------------------------------------------
// clean-up and output

async function deleteFromRegistry(repo) {
  const m = await getManifest(repo, "latest");
  if (m?.digest)
    await registryFetch(`/v2/${repo}/manifests/${m.digest}`, { method: "DELETE" }).catch(() => {});
}

/** Strings in the descriptions of BuildKit cache records that only bench/docker/Dockerfile* make. */
const BENCH_CACHE_MARKERS = [
  "PIP_CERT=/run/secrets/ca-certs",
  "python3 -m venv /opt/venv",
  "ca-certificates libgl1 libglib2.0-0",
  "bench-20",
];

/**
 * Removes the bench Dockerfiles' BuildKit cache records (and the records built on them), leaves
 * first: dockerd 20.10 prunes one exact id per call and refuses a record that still has children.
 */
function pruneBenchBuildCache() {
  let pruned = 0;
  for (let pass = 0; pass < 20; pass++) {
    const out = tryRun("curl", ["-fsS", "--unix-socket", dockerSocket(), "http://docker/system/df"]);
    if (!out) return pruned;
    const records = JSON.parse(out).BuildCache ?? [];
    const byId = new Map(records.map((r) => [r.ID, r]));
    const ours = (r) => {
      for (let x = r, depth = 0; x && depth < 100; x = byId.get(x.Parent), depth++)
        if (BENCH_CACHE_MARKERS.some((m) => (x.Description ?? "").includes(m))) return true;
      return false;
    };
    const parents = new Set(records.map((r) => r.Parent));
    const leaves = records.filter((r) => !r.InUse && !parents.has(r.ID) && ours(r));
    if (!leaves.length) return pruned;
    for (const r of leaves)
      spawnSync(DOCKER, ["builder", "prune", "-f", "--filter", `id=${r.ID}`], { stdio: "ignore" });
    pruned += leaves.length;
  }
  return pruned;
}

function dockerSocket() {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
}

/**
 * After each repetition (the machine's disk is shared and small): its images (tagged and the
 * untagged ones earlier scenarios left), registry manifests, pack cache volumes, BuildKit cache
 * records of the bench Dockerfiles and the tools' work dirs (caches, app copies). Logs stay.
 */
async function cleanupRep(ctx, rep, runs, volumesBefore) {
  const mine = runs.filter((r) => r.rep === rep + 1);
  const repos = [...new Set(mine.map((r) => r.image.replace(/:latest$/, "")))];
  const ids = (tryRun(DOCKER, ["images", "--format", "{{.Repository}} {{.ID}}"]) ?? "")
    .split("\n")
    .map((l) => l.split(" "))
    .filter(([repo]) => repos.includes(repo))
    .map(([, id]) => id);
  if (ids.length) spawnSync(DOCKER, ["rmi", "-f", ...new Set(ids)], { stdio: "ignore" });
  for (const repo of repos) await deleteFromRegistry(repo.slice(REGISTRY.length + 1));
  // pack's cache volumes (pack-cache-<hash>.build / .launch) made during this run.
  const volumes = (tryRun(DOCKER, ["volume", "ls", "-q"]) ?? "")
    .split("\n")
    .filter((v) => v.startsWith("pack-cache-") && !volumesBefore.has(v));
  if (volumes.length) spawnSync(DOCKER, ["volume", "rm", ...volumes], { stdio: "ignore" });
  const records = pruneBenchBuildCache();
  for (const entry of readdirSync(ctx.work))
    if (entry.endsWith(`-r${rep + 1}`)) rmSync(join(ctx.work, entry), { recursive: true, force: true });
  log(
    `cleaned up repetition ${rep + 1}: ${ids.length} local images, ${repos.length} registry manifests (blobs stay until the registry's garbage collection), ${volumes.length} pack cache volumes, ${records} BuildKit cache records, the tools' caches`,
  );
}

/** The 1-minute load averages seen around the builds: the machine is shared and 2 cores are few. */
function loadLine(doc) {
  const loads = doc.runs.flatMap((r) => r.loadAvg ?? []);
  if (!loads.length) return "";
  const max = Math.max(...loads);
  const note =
    max > doc.machine.cpus
      ? ` **The load exceeded the ${doc.machine.cpus} CPUs: other work ran beside the builds, so timings are noisy; rerun on a quiet machine for the ratios.**`
      : "";
  return `- load average (1 min) around the builds: ${Math.min(...loads).toFixed(1)} to ${max.toFixed(1)}.${note}`;
}

function renderMarkdown(doc) {
  const m = doc.machine;
  const v = doc.versions;
  const lines = [
    "# ml-buildpacks benchmark: latest results",
    "",
    `Run ${doc.runId}, ${doc.startedAt} to ${doc.finishedAt} (${formatSeconds(doc.totalMs)}), \`npm run bench -- ${doc.argv.join(" ")}\`.`,
    `${doc.options.reps} repetition(s), tools alternating (order rotated each repetition); every figure is the median.`,
    "The app: `bench/app` (Aptfile: libgl1, libglib2.0-0; requirements.txt: numpy, pandas, opencv-python), as in the article in shared/seed.",
    "How each figure is measured: README, section Benchmarks.",
    "",
    "## Machine",
    "",
    `- ${m.os}, kernel ${m.kernel}, ${m.arch}; ${m.cpus} CPUs (${m.cpuModel}${m.virtualization ? `, ${m.virtualization}` : ""}); ${formatBytes(m.memTotalBytes)} RAM`,
    "- `free -h`:",
    "",
    "```",
    m.free ?? "",
    "```",
    "",
    "- disk: ",
    "",
    "```",
    m.disk ?? "",
    "```",
    "",
    loadLine(doc),
    "",
    "## Tools",
    "",
    `- ml-buildpacks ${v.mlBuildpacks}, builder \`${BUILDER}\` pinned as \`${doc.builder}\`, lifecycle ${v.lifecycle ?? "?"}`,
    `- Docker ${v.docker} (BuildKit built into the engine), \`bench/docker/Dockerfile\` and \`Dockerfile.multi\``,
    `- pack ${v.pack ?? "?"} (built from its Go module, \`bench/pack/go.mod\`), same builder, \`--trust-builder --publish\``,
    `- every tool pushes to ${doc.registry}${doc.runImage ? `; run image \`${doc.runImage}\` (copied from \`${RUN_IMAGE}\`, digests unchanged)` : ""}`,
    `- node ${v.node}`,
    "",
    "## Results",
    "",
    renderTables(doc.summary, doc.tools),
  ];
  const failed = doc.runs.filter((r) => !r.ok);
  if (failed.length) {
    lines.push("## Failed builds", "");
    for (const r of failed)
      lines.push(`- rep ${r.rep} ${r.scenario} ${TOOL_TITLES[r.tool]}: exit ${r.exitCode}`);
    lines.push("");
  }
  if (doc.verify) {
    lines.push("## Images checked by running them", "");
    for (const [tool, ok] of Object.entries(doc.verify))
      lines.push(`- ${TOOL_TITLES[tool]}: ${ok ? "prints the OpenCV and pandas versions" : "**failed**"}`);
    lines.push("");
  }
  lines.push("Raw per-build figures: `latest.json` (`runs`); chart: `latest.png`.", "");
  return lines.join("\n");
}

// ------------------------------------------------------------------------------------------------

async function main() {
  const argv = process.argv.slice(2);
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    console.error(`bench: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date();
  const runId = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\..*/, "")
    .replace("T", "t")
    .toLowerCase();
  const out = resolve(opts.out ?? join(BENCH, "results"));
  const work = join(BENCH, ".work", runId);
  mkdirSync(work, { recursive: true });
  mkdirSync(out, { recursive: true });
  log(
    `run ${runId}: ${opts.reps} rep(s) of ${opts.scenarios.join(", ")} with ${opts.tools.join(", ")}; work dir ${work.slice(REPO.length + 1)}`,
  );

  const env = preflight(opts);
  env.builder = await pinBuilder(env.arch);
  log(`builder ${BUILDER} pinned for this run: ${env.builder}`);
  let own;
  if (opts.registry === "own") {
    own = await startOwnRegistry(work);
    REGISTRY = own.addr;
    env.logFile = own.logFile;
    const run = await pinnedDigest(RUN_IMAGE, env.arch);
    env.runImage = await copyImage(run.repo, run.digest, "cpu");
    // Docker's base goes there too, so its push mounts the base layers as the exporter mounts the run
    // image's (as when both bases come from the registry pushed to).
    const baseCopy = `${REGISTRY}/ml-buildpacks/debian:trixie`;
    must(DOCKER, ["tag", env.base, baseCopy]);
    must(DOCKER, ["push", baseCopy]);
    spawnSync(DOCKER, ["rmi", baseCopy], { stdio: "ignore" });
    log(
      `the tools push to this run's own registry ${REGISTRY} (deleted afterwards); run image ${RUN_IMAGE} copied in as ${env.runImage}, Docker's base ${env.base} pushed as ${baseCopy}`,
    );
    const stop = () => stopOwnRegistry(own, opts.keep);
    process.once("exit", stop);
    for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => process.exit(130));
  }
  env.packBin = opts.tools.includes("pack") ? ensurePack() : undefined;
  const chartPython = opts.chart
    ? (() => {
        try {
          return ensureChartPython();
        } catch (err) {
          log(`WARNING: no chart: ${err.message}`);
          return undefined;
        }
      })()
    : undefined;
  const volumesBefore = new Set((tryRun(DOCKER, ["volume", "ls", "-q"]) ?? "").split("\n"));
  const ctx = { runId, work, env };
  const machine = machineDescription();
  const versions = toolVersions(env.packBin, env.builder);

  const runs = [];
  const verify = {};
  const planned = opts.scenarios[0] === "fresh" ? opts.scenarios : ["fresh", ...opts.scenarios];
  for (let rep = 0; rep < opts.reps; rep++) {
    const order = toolOrder(opts.tools, rep);
    log(`repetition ${rep + 1}/${opts.reps}: tool order ${order.join(", ")}`);
    const broken = new Set();
    for (const scenario of planned) {
      const measured = opts.scenarios.includes(scenario);
      for (const tool of order) {
        if (broken.has(tool)) continue;
        const run = await buildOnce(tool, scenario, rep, measured, ctx);
        runs.push(run);
        if (!run.ok) broken.add(tool); // later scenarios of this repetition depend on this build
      }
    }
    if (rep === 0)
      for (const tool of order) {
        const last = runs.filter((r) => r.tool === tool && r.ok).at(-1);
        if (last) verify[tool] = verifyImage(last);
      }
    writeFileSync(join(work, "runs.json"), JSON.stringify(runs, null, 2));
    if (!opts.keep) {
      await cleanupRep(ctx, rep, runs, volumesBefore);
      if (own) collectOwnRegistry(own);
    }
  }

  const summary = summarize(runs);
  const finishedAt = new Date();
  const doc = {
    runId,
    argv,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    totalMs: finishedAt.getTime() - startedAt.getTime(),
    options: opts,
    machine,
    versions,
    tools: opts.tools,
    toolTitles: TOOL_TITLES,
    builder: env.builder,
    registry: opts.registry === "own" ? `${REGISTRY} (this run's own, deleted afterwards)` : REGISTRY,
    runImage: env.runImage,
    scenarios: opts.scenarios.filter((s) => SCENARIOS.includes(s)),
    summary,
    targets: checkTargets(summary),
    verify,
    runs,
  };
  writeFileSync(join(out, "latest.json"), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(join(out, "latest.md"), renderMarkdown(doc));
  if (chartPython) {
    const r = spawnSync(
      chartPython,
      [join(BENCH, "chart.py"), join(out, "latest.json"), join(out, "latest.png")],
      { encoding: "utf8" },
    );
    if (r.status !== 0) log(`WARNING: chart failed: ${(r.stderr || r.stdout).trim().slice(-500)}`);
  }
  log(
    `wrote ${join(out, "latest.md")}, latest.json${chartPython ? ", latest.png" : ""} in ${formatSeconds(doc.totalMs)}`,
  );
  console.log(`\n${renderTables(summary, opts.tools)}`);
  if (own) stopOwnRegistry(own, opts.keep);
  if (runs.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((err) => fail(err.stack ?? String(err)));
