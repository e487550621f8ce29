// Test helpers the Python buildpacks' unit tests share; only tests import this module.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  type BuildContext,
  BuildpackError,
  type BuildpackPlan,
  type DetectContext,
  type Exec,
  type ExecResult,
  type Logger,
  parseToml,
} from "../libcnb/index.js";
import { type ExecCall, fakeExec, memoryAppFiles, testBuildContext, testTarget } from "../libcnb/testing.js";
import { toolRequirements } from "./pinned-tool.js";

/** The plan a buildpack that requires "python" (from ml-buildpacks/python) is given. */
export const PYTHON_PLAN: BuildpackPlan["entries"] = [{ name: "python", metadata: {} }];

export type TestBuildContext = BuildContext & { logger: Logger & { text(): string } };

/**
 * `buildContext(files, exec?)` for the buildpack whose tests live in `testDir` (its buildpack.toml
 * is read from the folder above): a BuildContext over temp app and layers dirs with those app files.
 */
export function buildContextFor(
  testDir: string,
  plan: BuildpackPlan["entries"],
): (files: Record<string, string>, exec?: Exec) => TestBuildContext {
  return (files, exec) => testBuildContext({ buildpackDir: join(testDir, ".."), files, exec, plan });
}

/** A DetectContext over in-memory app files whose exec fails: detect must not run tools. */
export function detectContext(
  buildpack: { id: string; name: string },
  files: Record<string, string>,
): DetectContext {
  return {
    appDir: "/workspace",
    app: memoryAppFiles(files),
    platformDir: "/platform",
    platformEnv: {},
    buildpack: { dir: "/cnb/buildpacks/x", api: "0.10", version: "0.1.0", ...buildpack },
    target: testTarget,
    env: {},
    exec: async () => {
      throw new Error("detect must not run tools");
    },
  };
}

/**
 * The stack's Python in a fake exec: the probe (Python 3.13.5 with pip 25.1.1, or only `version`
 * where the buildpack asks for no pip) and `-m venv`, which makes the venv's bin/. Undefined for
 * any other call, which the buildpack's own fake answers.
 */
export function stackPythonAnswer(call: ExecCall, version?: string): Partial<ExecResult> | undefined {
  const { command, args } = call;
  if (command !== "/usr/bin/python3") return undefined;
  if (args[0] === "-I")
    return { stdout: version ? `${version}\n` : '{"python": "3.13.5", "pip": "25.1.1"}\n' };
  if (args[1] === "venv") {
    mkdirSync(join(args[args.length - 1] ?? "", "bin"), { recursive: true });
    return {};
  }
  return undefined;
}

/** The BuildpackError `fn` throws (anything else fails the test). */
export function errorOf(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

/**
 * The buildpack's bin/tool-requirements.txt pins `pin` (e.g. "poetry==2.5.1") and every package
 * in it to one version with at least one sha256; returns the text for further checks.
 */
export function expectHashPinnedTool(buildpackDir: string, pin: string): string {
  const text = readFileSync(toolRequirements(buildpackDir), "utf8");
  expect(text).toContain(`\n${pin} \\\n`);
  const blocks = text.split(/\n(?=[a-z0-9])/i).filter((b) => /^[a-z0-9]/i.test(b));
  expect(blocks.length).toBeGreaterThan(3);
  for (const block of blocks) {
    expect(block).toMatch(/^[A-Za-z0-9._-]+==[^\s;]+( ; .+)? \\\n/);
    expect(block).toMatch(/--hash=sha256:[0-9a-f]{64}/);
  }
  return text;
}

/**
 * Builds with ML_BUILDPACKS_PYTHON naming an installed CPython 3.12.11, over `stackTools` (a fake
 * exec answering as the stack's Python 3.13.5 and the tool), and checks that the venv is built from
 * that CPython while the tool layer `toolLayer` stays on the stack's Python.
 */
export async function expectVenvFromSelectedPython(
  build: (ctx: BuildContext) => Promise<void>,
  buildContext: (files: Record<string, string>, exec?: Exec) => TestBuildContext,
  files: Record<string, string>,
  stackTools: Exec,
  toolLayer: string,
): Promise<void> {
  const cpython = "/layers/ml-buildpacks_python/cpython/bin/python3";
  const exec = fakeExec(async (call: ExecCall) => {
    if (call.command === cpython && call.args[0] === "-I") return { stdout: "3.12.11\n" };
    // Everything else as the stack's fake answers it; the fake only looks at args for the venv.
    const command = call.command === cpython ? "/usr/bin/python3" : call.command;
    return stackTools(command, call.args, { ...call.options, output: undefined });
  });
  const ctx = buildContext(files, exec);
  await build({ ...ctx, env: { ML_BUILDPACKS_PYTHON: cpython } });
  const venv = join(ctx.layersDir, "venv");
  const tool = join(ctx.layersDir, toolLayer);
  const lines = exec.calls.map((c) => [c.command, ...c.args].join(" "));
  expect(lines).toContain(`${cpython} -m venv --without-pip ${venv}`);
  expect(lines).toContain(`/usr/bin/python3 -m venv --without-pip ${tool}`);
  const metadata = (file: string) => parseToml(readFileSync(file, "utf8"), file).metadata;
  expect(metadata(`${venv}.toml`)).toMatchObject({ python_version: "3.12.11" });
  expect(metadata(`${tool}.toml`)).toMatchObject({ python_version: "3.13.5" });
  expect(ctx.logger.text()).toContain(`- Python 3.12.11 (${cpython}), `);
}
