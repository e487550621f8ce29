// libcnb: a small typed library for writing Buildpack API 0.10 buildpacks in TypeScript.

export {
  CYCLONEDX_MEDIA_TYPE,
  cycloneDx,
  purl,
  pypiName,
  SBOM_CREATED,
  SBOM_EXTENSIONS,
  type SbomComponent,
  type SbomSubject,
  SPDX_MEDIA_TYPE,
  spdx,
} from "../sbom/documents.js";
export { AppReadsRecorder } from "./app-reads.js";
export {
  type BuildpackInfo,
  describeTarget,
  type Env,
  readBuildpackInfo,
  readPlatformEnv,
  readTarget,
  type Target,
} from "./context.js";
export { type EnvAction, EnvDir, type LayerEnv, layerEnv } from "./env.js";
export {
  BuildpackError,
  type BuildpackErrorInit,
  isBuildpackError,
  location,
  renderError,
} from "./errors.js";
export { type Exec, type ExecOptions, type ExecResult, formatCommand, mergeEnv, nodeExec } from "./exec.js";
export { type AppFiles, isNotFound, nodeAppFiles } from "./files.js";
export {
  type Label,
  type LaunchConfig,
  type Process,
  renderBuildToml,
  renderLaunchToml,
  validateProcesses,
} from "./launch.js";
export { Layer, type LayerFlags, Layers, type MetadataDecoder } from "./layers.js";
export {
  type Clock,
  createLogger,
  formatDuration,
  type Logger,
  type OutputSink,
  systemClock,
  type Write,
} from "./log.js";
export {
  type BuildPlan,
  type BuildpackPlan,
  type DetectResult,
  fail,
  type PlanEntry,
  type PlanSections,
  type Provide,
  parseBuildpackPlan,
  pass,
  type Require,
  readBuildpackPlan,
  renderBuildPlan,
} from "./plan.js";
export { RefreshRecorder } from "./refresh.js";
export {
  type DescribeChange,
  type Describers,
  decideReuse,
  fileChanged,
  type MetadataScalar,
  type ReuseDecision,
  shortSha,
  versionChanged,
} from "./reuse.js";
export {
  type BuildContext,
  type BuildFn,
  type Buildpack,
  type BuildResult,
  type DetectContext,
  type DetectFn,
  EXIT_DETECT_FAIL,
  EXIT_DETECT_PASS,
  EXIT_ERROR,
  type Runtime,
  run,
  runBuild,
  runDetect,
  writeBuildOutputs,
} from "./run.js";
export {
  isTable,
  parseToml,
  stringifyToml,
  TomlSyntaxError,
  type TomlTable,
  type TomlValue,
} from "./toml.js";
