import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { type BuildContext, decideReuse, formatCommand } from "#libcnb";
import {
  archiveFileName,
  defaultSystem,
  describePackage,
  describeSources,
  extraSourceFile,
  multiarchTriplet,
  parseSimulation,
  type ResolvedPackage,
  resolveProblems,
  type System,
  sourceFailures,
  systemSources,
  updateFailures,
} from "./apt.js";
import { aptArgument, parseAptfile } from "./aptfile.js";
import { APTFILE } from "./detect.js";
import * as errors from "./errors.js";
import { sha256 } from "./hash.js";
import { integrate, type UnpackedPackage } from "./integration/index.js";
import { StepFailed } from "./integration/steps.js";
import { type AptCache, aptCacheKey, prepareAptCache, saveAptCache } from "./layers/apt-cache.js";
import {
  PACKAGES_DESCRIBERS,
  PACKAGES_LAYER_VERSION,
  type PackagesKey,
  packagesKey,
  relocate,
  toolEnv,
  writePackagesEnv,
} from "./layers/packages.js";
import {
  REFRESH_ENV,
  readResolution,
  refreshHours,
  refreshReason,
  resolutionStillValid,
  writeResolution,
} from "./layers/resolution.js";
import type { ExtraSource, PackageRequest } from "./package-request.js";
import { planRequests } from "./requests.js";
import { writeDebSbom } from "./sbom.js";

/** Env for every apt-get run: no prompts, messages in English (we read them). */
const APT_ENV = {
  DEBIAN_FRONTEND: "noninteractive",
  LC_ALL: "C.UTF-8",
  LANG: "C.UTF-8",
  LANGUAGE: undefined,
};

export async function build(ctx: BuildContext): Promise<void> {
  await buildWith(ctx, defaultSystem(userInfo().username));
}

export async function buildWith(ctx: BuildContext, system: System): Promise<void> {
  const log = ctx.logger;
  log.header("Installing Debian packages");

  const text = ctx.app.readText(APTFILE);
  const requests: PackageRequest[] = text === undefined ? [] : parseAptfile(text, APTFILE);
  const extra = planRequests(ctx.plan.entries, ctx.appDir);
  for (const p of extra.packages) {
    if (!requests.some((r) => r.name === p.name && r.version === p.version)) requests.push(p);
  }
  if (requests.length === 0) {
    log.step(`${APTFILE} lists no packages: nothing to install`);
    ctx.layers.get("packages").remove();
    return;
  }
  log.step(`Requested: ${requests.map((r) => `${aptArgument(r)} from ${r.origin}`).join(", ")}`);
  for (const s of extra.sources) if (!existsSync(s.signedBy)) throw errors.keyringMissing(s);

  let status = system.runImageStatus;
  if (!existsSync(status)) {
    status = system.buildImageStatus;
    log.warning(
      `${system.runImageStatus} is missing: resolving against the build image's packages`,
      "This build image does not say which packages its run image has. Packages the build image has but\n" +
        "the run image lacks will be missing at run time. Use an ml-buildpacks stack (it carries the run\n" +
        "image's dpkg status at that path).",
    );
  }

  const sources = [...systemSources(system), ...extra.sources.map(extraSourceFile)];
  log.step("Sources (signatures checked by apt):");
  log.detail(describeSources(sources));
  const cacheKey = aptCacheKey(ctx.target, sources);
  const cache = prepareAptCache(ctx, cacheKey, sources, status, system.user);
  const packages = ctx.layers.get("packages");
  if (packages.restoreProblem) log.warning("Ignoring unreadable packages metadata", packages.restoreProblem);

  const refreshSetting = ctx.platformEnv[REFRESH_ENV] ?? ctx.env[REFRESH_ENV];
  const hours = refreshHours(refreshSetting);
  if (hours === undefined) throw errors.badRefreshHours(REFRESH_ENV, refreshSetting ?? "");
  // The layer format is part of the request: a new format must not be skipped as "unchanged".
  const request = sha256(
    JSON.stringify([
      PACKAGES_LAYER_VERSION,
      requests.map(aptArgument),
      cacheKey.sources_sha256,
      readFileSync(status, "utf8"),
      ctx.target,
    ]),
  );
  // Wall-clock time: it is compared with a time recorded by an earlier build (ctx.clock is monotonic,
  // for durations within this process).
  const now = Date.now();
  // The platform's fast paths run no buildpack: the image says when apt-get update is due again.
  const refreshDue = (resolvedAt: number) =>
    ctx.refresh.dueAt(resolvedAt + hours * 3_600_000, refreshReason(hours));
  const recorded = readResolution(cache.layer.path);
  if (
    resolutionStillValid(recorded, request, now, hours) &&
    packages.hasContents() &&
    decideReuse(recorded.key, packages.restored, PACKAGES_DESCRIBERS).action === "reuse"
  ) {
    const age = ((now - recorded.at) / 3_600_000).toFixed(1);
    log.step(
      `Reusing the packages layer: ${APTFILE}, sources and run image packages unchanged, resolved ${age} h ago ` +
        `(apt-get update runs again after ${hours} h, ${REFRESH_ENV})`,
    );
    packages.write(recorded.key, { launch: true, build: true, cache: true });
    cache.layer.write(cacheKey, { cache: true });
    refreshDue(recorded.at);
    return;
  }
  const record = (key: PackagesKey) => writeResolution(cache.layer.path, { request, at: now, key });
  // From here on the lists are fresh: an unchanged app may stand for this build until the next update.
  refreshDue(now);

  await updateLists(ctx, cache, extra.sources);
  const resolved = await resolve(ctx, cache, requests);
  const distro = describeDistro(ctx);

  if (resolved.length === 0) {
    log.step("Everything requested is already installed in the run image: no packages layer needed");
    packages.remove();
    saveAptCache(cache, cacheKey, new Set());
    return;
  }
  log.step(`${resolved.length} package(s) to install from ${distro}:`);
  log.detail(wrap(resolved.map(describePackage)));

  const key = packagesKey(ctx.target, resolved);
  const decision = decideReuse(key, packages.restored, PACKAGES_DESCRIBERS);
  const archives = new Set(resolved.map(archiveFileName));
  if (decision.action === "reuse" && packages.hasContents()) {
    log.step("Reusing the packages layer (same packages and versions as the previous build)");
    packages.write(key, { launch: true, build: true, cache: true });
    saveAptCache(cache, cacheKey, archives);
    record(key);
    return;
  }
  if (decision.action === "rebuild") {
    log.step("Discarding the packages layer from the previous build:");
    log.detail(decision.reasons);
  } else if (decision.action === "reuse") {
    log.step("The previous packages layer is not in the build cache: unpacking again");
  }

  packages.reset();
  await download(ctx, cache, requests);
  const unpacked = await log.timed(
    `Unpacking ${resolved.length} package(s) into the packages layer`,
    async () => {
      const out: UnpackedPackage[] = [];
      for (const p of resolved)
        out.push(await unpack(ctx, p.name, join(cache.paths.archives, archiveFileName(p)), packages.path));
      return out;
    },
  );
  const rewritten = relocate(packages, ctx.target.arch);
  if (rewritten.length) log.step(`Pointed ${rewritten.length} pkg-config file(s) at the layer`);
  const integration = await integrateLayer(ctx, packages.path, unpacked);
  const env = writePackagesEnv(packages, ctx.target.arch, integration.env, integration.libDirs);
  log.step(
    `Environment set: ${Object.keys(env).join(", ") || "(none: the packages hold no binaries or libraries)"}`,
  );
  writeDebSbom(ctx, packages, resolved, cache.paths.archives);
  packages.write(key, { launch: true, build: true, cache: true });
  saveAptCache(cache, cacheKey, archives);
  record(key);
}

function describeDistro(ctx: BuildContext): string {
  const t = ctx.target;
  return t.distroName ? `${t.distroName} ${t.distroVersion}`.trim() : "the stack's distribution";
}

async function apt(
  ctx: BuildContext,
  cache: AptCache,
  args: string[],
  output?: Parameters<BuildContext["exec"]>[2],
) {
  const r = await ctx.exec("apt-get", ["-c", cache.paths.conf, ...args], { env: APT_ENV, ...output });
  if (r.spawnError !== undefined) throw errors.aptMissing(r.spawnError);
  return r;
}

async function updateLists(ctx: BuildContext, cache: AptCache, extra: readonly ExtraSource[]): Promise<void> {
  await ctx.logger.streamed("Running apt-get update", async (output) => {
    const r = await apt(ctx, cache, ["update", "-q"], { output });
    // apt-get update exits 0 with only warnings (W:) for some failures; an extra source we were asked
    // to use must work, so look for its lines either way.
    for (const s of extra) {
      const lines = sourceFailures(r.output, s.uri);
      if (lines.length) throw errors.sourceUnreachable(s, lines);
    }
    if (r.code !== 0) throw errors.updateFailed(updateFailures(r.output), r.code);
  });
}

async function resolve(
  ctx: BuildContext,
  cache: AptCache,
  requests: PackageRequest[],
): Promise<ResolvedPackage[]> {
  return ctx.logger.timed("Resolving dependencies against the run image's packages", async () => {
    const r = await apt(ctx, cache, ["install", "--simulate", ...requests.map(aptArgument)]);
    if (r.code !== 0) {
      const problem = resolveProblems(r.output, requests)[0];
      if (problem) throw errors.unknownPackage(problem.request, problem.kind, describeDistro(ctx));
      throw errors.resolveFailed(r.output, r.code);
    }
    return parseSimulation(r.stdout);
  });
}

async function download(ctx: BuildContext, cache: AptCache, requests: PackageRequest[]): Promise<void> {
  const args = ["install", "--download-only", "-qq", ...requests.map(aptArgument)];
  await ctx.logger.streamed(`Running ${formatCommand("apt-get", args)}`, async (output) => {
    const r = await apt(ctx, cache, args, { output });
    if (r.code !== 0) throw errors.downloadFailed(r.code);
  });
}

/** dpkg-deb -X: unpacks and lists what it unpacked; the postinst is read for its alternatives. */
async function unpack(ctx: BuildContext, name: string, deb: string, into: string): Promise<UnpackedPackage> {
  if (!existsSync(deb)) throw errors.archiveMissing(deb);
  const r = await ctx.exec("dpkg-deb", ["-X", deb, into]);
  if (r.code !== 0) throw errors.unpackFailed(deb, r.code, r.output);
  const files = r.stdout
    .split("\n")
    .map((l) => l.trim().replace(/^\.\//, "").replace(/\/+$/, ""))
    .filter(Boolean);
  // Exit status 2 and "contains no control component" when there is no postinst.
  const control = await ctx.exec("dpkg-deb", ["-I", deb, "postinst"]);
  return { name, files, ...(control.code === 0 ? { postinst: control.stdout } : {}) };
}

/** What the maintainer scripts would have done, done in the layer; logged per package. */
async function integrateLayer(ctx: BuildContext, root: string, unpacked: UnpackedPackage[]) {
  const log = ctx.logger;
  const arch = ctx.target.arch;
  try {
    const result = await integrate(unpacked, {
      root,
      triplet: multiarchTriplet(arch),
      exec: ctx.exec,
      systemHas: (abs) => existsSync(abs),
      toolEnv: (libDirs) => toolEnv(root, arch, ctx.env, libDirs),
    });
    if (result.applied.length) {
      log.step(
        "Done in the layer what installing in /usr would have done (maintainer scripts, fixed paths):",
      );
      log.detail(result.applied);
    }
    if (result.notDone.length) {
      log.step("Not reproduced in the layer (see the deb-packages limits in the docs):");
      log.detail(result.notDone);
    }
    return result;
  } catch (err) {
    if (err instanceof StepFailed) throw errors.maintainerStepFailed(err.step.id, err.step.what, err.failure);
    throw err;
  }
}

/** Lines of at most ~100 characters. */
function wrap(items: string[]): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const item of items) {
    if (cur && cur.length + item.length + 1 > 100) {
      lines.push(cur);
      cur = "";
    }
    cur = cur ? `${cur} ${item}` : item;
  }
  if (cur) lines.push(cur);
  return lines;
}
