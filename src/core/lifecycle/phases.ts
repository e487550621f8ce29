/**
 * The five lifecycle phases as pure data: which binary, which flags, as which user.
 * Flags follow lifecycle 0.21 for Platform API 0.12-0.14 (cmd/lifecycle/*.go DefineFlags).
 */
export const PHASES = ["analyze", "detect", "restore", "build", "export"] as const;
/**
 * "create" is the creator (or chainSpec): all five phases in one container, for trusted builders.
 * "pre-export" runs between build and export when the executor can (see src/pre-export).
 */
export type Phase = (typeof PHASES)[number] | "create" | "pre-export";

/** Where things live inside the builder container; every phase sees the same paths. */
export const CONTAINER_PATHS = {
  layers: "/layers",
  app: "/workspace",
  platform: "/platform",
  cache: "/cache",
  /** analyzed.toml, group.toml, plan.toml and report.toml: outside /layers so the host can read them. */
  out: "/ml-buildpacks",
} as const;

/**
 * Where the phases find each directory. The docker executor mounts everything at CONTAINER_PATHS;
 * the local executor (inside the builder image) passes real paths. The flags stay the same either way.
 */
export interface PhasePaths {
  layers: string;
  app: string;
  platform: string;
  cache: string;
  out: string;
}

export interface PhaseInputs {
  platformApi: string;
  /** Image to export, fully qualified. */
  image: string;
  /** Additional tags, fully qualified. */
  additionalTags: readonly string[];
  runImage: string | undefined;
  previousImage: string | undefined;
  useCache: boolean;
  logLevel: "debug" | "info" | "warn";
  defaultProcess: string | undefined;
  insecureRegistries: readonly string[];
  /** Export to (and analyze from) the Docker daemon instead of a registry. */
  daemon: boolean;
}

export interface PhaseSpec {
  phase: Phase;
  binary: string;
  args: string[];
  /**
   * detector and builder refuse to run as root; analyzer, restorer and exporter start as root
   * (to read credentials and the Docker socket, and fix ownership) and drop to CNB_USER_ID themselves.
   */
  runAs: "root" | "cnb";
  /** Needs registry access (and therefore credentials). */
  registry: boolean;
  /** Talks to the Docker daemon (needs its socket). */
  daemon: boolean;
  /** Runs pre-export (needs dist/pre-export mounted at PRE_EXPORT_MOUNT). */
  preExport?: boolean;
}

/**
 * Runs buildpacks, so it is the only kind of phase handed build secrets: detect, build, or the one
 * container of a trusted build (which necessarily holds them beside the exporter).
 */
export function runsBuildpacks(spec: Pick<PhaseSpec, "phase">): boolean {
  return spec.phase === "detect" || spec.phase === "build" || spec.phase === "create";
}

export function phaseSpecs(
  inputs: PhaseInputs,
  paths: PhasePaths = CONTAINER_PATHS,
  detectLogLevel: PhaseInputs["logLevel"] = "debug",
): PhaseSpec[] {
  const out = (name: string) => `${paths.out}/${name}`;
  const common = ["-log-level", inputs.logLevel, "-no-color"];
  const state = ["-analyzed", out("analyzed.toml"), "-group", out("group.toml")];
  const insecure = inputs.insecureRegistries.flatMap((r) => ["-insecure-registry", r]);
  const cache = inputs.useCache ? ["-cache-dir", paths.cache] : [];
  const tags = inputs.additionalTags;
  const daemon = inputs.daemon ? ["-daemon"] : [];
  const bin = (name: string) => `/cnb/lifecycle/${name}`;

  return [
    {
      phase: "analyze",
      binary: bin("analyzer"),
      runAs: "root",
      registry: true,
      daemon: inputs.daemon,
      args: [
        ...common,
        ...daemon,
        "-analyzed",
        out("analyzed.toml"),
        "-layers",
        paths.layers,
        ...(inputs.runImage ? ["-run-image", inputs.runImage] : []),
        ...(inputs.previousImage ? ["-previous-image", inputs.previousImage] : []),
        ...tags.flatMap((t) => ["-tag", t]),
        ...insecure,
        inputs.image,
      ],
    },
    {
      phase: "detect",
      binary: bin("detector"),
      runAs: "cnb",
      registry: false,
      daemon: false,
      // Debug level: the platform shows each buildpack's detect output when no group passes.
      args: [
        "-log-level",
        detectLogLevel,
        "-no-color",
        "-app",
        paths.app,
        "-layers",
        paths.layers,
        "-platform",
        paths.platform,
        ...state,
        "-plan",
        out("plan.toml"),
      ],
    },
    {
      phase: "restore",
      binary: bin("restorer"),
      runAs: "root",
      registry: true,
      daemon: false,
      args: [...common, "-layers", paths.layers, ...state, ...cache, ...insecure],
    },
    {
      phase: "build",
      binary: bin("builder"),
      runAs: "cnb",
      registry: false,
      daemon: false,
      args: [
        ...common,
        "-app",
        paths.app,
        "-layers",
        paths.layers,
        "-platform",
        paths.platform,
        ...state,
        "-plan",
        out("plan.toml"),
      ],
    },
    {
      phase: "export",
      binary: bin("exporter"),
      runAs: "root",
      registry: true,
      daemon: inputs.daemon,
      args: [
        ...common,
        ...daemon,
        "-app",
        paths.app,
        "-layers",
        paths.layers,
        ...state,
        ...cache,
        "-report",
        out("report.toml"),
        "-parallel",
        ...(inputs.defaultProcess ? ["-process-type", inputs.defaultProcess] : []),
        ...insecure,
        inputs.image,
        ...tags,
      ],
    },
  ];
}

/**
 * The creator runs every phase in one container (one start instead of five). It runs as root with
 * registry credentials while buildpacks execute, so only for builders the user trusts.
 */
export function creatorSpec(inputs: PhaseInputs, paths: PhasePaths = CONTAINER_PATHS): PhaseSpec {
  const out = (name: string) => `${paths.out}/${name}`;
  return {
    phase: "create",
    binary: "/cnb/lifecycle/creator",
    runAs: "root",
    registry: true,
    daemon: inputs.daemon,
    args: [
      ...(inputs.daemon ? ["-daemon"] : []),
      "-log-level",
      inputs.logLevel,
      "-no-color",
      "-app",
      paths.app,
      "-layers",
      paths.layers,
      "-platform",
      paths.platform,
      ...(inputs.useCache ? ["-cache-dir", paths.cache] : []),
      "-report",
      out("report.toml"),
      "-parallel",
      ...(inputs.runImage ? ["-run-image", inputs.runImage] : []),
      ...(inputs.previousImage ? ["-previous-image", inputs.previousImage] : []),
      ...(inputs.defaultProcess ? ["-process-type", inputs.defaultProcess] : []),
      ...inputs.additionalTags.flatMap((t) => ["-tag", t]),
      ...inputs.insecureRegistries.flatMap((r) => ["-insecure-registry", r]),
      inputs.image,
    ],
  };
}

/**
 * Pre-export as a step of its own, between the builder and the exporter: as the CNB user (it reads
 * the layers), with registry credentials (it pushes), never a buildpack beside it.
 */
export function preExportSpec(command: readonly string[]): PhaseSpec {
  const [binary = "node", ...args] = command;
  return { phase: "pre-export", binary, args, runAs: "cnb", registry: true, daemon: false, preExport: true };
}

/** Pure: the phases with pre-export inserted just before the exporter. */
export function withPreExport(specs: readonly PhaseSpec[], command: readonly string[]): PhaseSpec[] {
  return specs.flatMap((s) => (s.phase === "export" ? [preExportSpec(command), s] : [s]));
}

const CHAIN_TITLES: Partial<Record<Phase, string>> = {
  analyze: "ANALYZING",
  detect: "DETECTING",
  restore: "RESTORING",
  build: "BUILDING",
  export: "EXPORTING",
};

/** Pure: `word` quoted for sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The five phases in one container, as the creator runs them, but as separate lifecycle binaries
 * with pre-export between the builder and the exporter: the creator keeps analyzed.toml in memory,
 * so nothing could change what its exporter reuses. Runs as the CNB user throughout (`setpriv`, as
 * the creator drops to it), for trusted builders only, like the creator.
 */
export function chainSpec(
  inputs: PhaseInputs,
  o: { uid: number; gid: number; preExportCommand: string[] },
  paths: PhasePaths = CONTAINER_PATHS,
): PhaseSpec {
  const lines = ["set -e", 'export HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"'];
  for (const spec of phaseSpecs(inputs, paths, inputs.logLevel)) {
    if (spec.phase === "export") {
      lines.push("echo '===> PRE-EXPORTING'");
      // Never fails the build: without it the exporter simply does all the work.
      lines.push(`${o.preExportCommand.map(shellQuote).join(" ")} || true`);
    }
    const title = CHAIN_TITLES[spec.phase];
    if (title) lines.push(`echo '===> ${title}'`);
    lines.push([spec.binary, ...spec.args].map(shellQuote).join(" "));
  }
  return {
    phase: "create",
    binary: "setpriv",
    runAs: "root",
    registry: true,
    daemon: false,
    preExport: true,
    args: [`--reuid=${o.uid}`, `--regid=${o.gid}`, "--clear-groups", "sh", "-c", lines.join("\n")],
  };
}

/**
 * Pure: what runs for a build. Trusted builders run in one container (the creator, or the chain
 * when pre-export can run there); otherwise one step per phase, with pre-export before the exporter
 * when the executor can run it.
 */
export function planPhases(
  inputs: PhaseInputs,
  paths: PhasePaths,
  o: {
    trustBuilder: boolean;
    user: { uid: number; gid: number };
    preExport: { command: string[]; chain: boolean } | undefined;
  },
): PhaseSpec[] {
  const { preExport } = o;
  if (!preExport) return o.trustBuilder ? [creatorSpec(inputs, paths)] : phaseSpecs(inputs, paths);
  if (o.trustBuilder && preExport.chain)
    return [chainSpec(inputs, { ...o.user, preExportCommand: preExport.command }, paths)];
  return withPreExport(phaseSpecs(inputs, paths), preExport.command);
}
