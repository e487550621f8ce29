import { dirname } from "node:path";
import { type BuildContext, type ExecOptions, formatCommand } from "#libcnb";
import { MANAGE_PY } from "#pybuild/venv-at-build";
import * as errors from "./errors.js";
import { DISABLE_ENV, parseDisable } from "./settings.js";
import { findVenv } from "./venv.js";

/** Exit status of DJANGO_PROBE when Django is not installed in the venv. */
const NOT_INSTALLED = 3;
const DJANGO_PROBE = [
  "import importlib.util, sys",
  `if importlib.util.find_spec("django") is None: sys.exit(${NOT_INSTALLED})`,
  "import django",
  "print(django.get_version())",
].join("\n");

/** What Django prints for `help collectstatic` when django.contrib.staticfiles is not installed. */
const UNKNOWN_COMMAND = /Unknown command: '?collectstatic'?/;

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  log.header("Django static files");
  const setting = ctx.platformEnv[DISABLE_ENV] ?? ctx.env[DISABLE_ENV];
  const disabled = parseDisable(setting);
  if (disabled === undefined) throw errors.invalidDisableValue(setting ?? "");
  if (disabled) {
    log.step(`Skipping collectstatic: ${DISABLE_ENV}=${setting?.trim()}`);
    return;
  }

  const venv = findVenv(dirname(ctx.layersDir));
  if (venv.kind === "none") {
    log.step(`${MANAGE_PY} found, but no installer built a virtual environment: Django is not installed`);
    return;
  }
  if (venv.kind === "not-on-disk") throw errors.venvNotOnDisk(venv.installer);

  const env = {
    VIRTUAL_ENV: venv.dir,
    PATH: `${venv.dir}/bin:${ctx.env.PATH ?? "/usr/bin:/bin"}`,
    PYTHONUNBUFFERED: "1",
    // No __pycache__ folders left in the app dir by the build.
    PYTHONDONTWRITEBYTECODE: "1",
  };
  const run = (args: string[], extra: Pick<ExecOptions, "output"> = {}) =>
    ctx.exec(venv.python, args, { cwd: ctx.appDir, env, ...extra });

  // -I: the app dir is not on sys.path, so a folder named django in it is not taken for Django.
  const probe = await run(["-I", "-c", DJANGO_PROBE]);
  if (probe.code === NOT_INSTALLED) {
    log.step(`${MANAGE_PY} found, but Django is not installed in the virtual environment`);
    return;
  }
  if (probe.code !== 0) throw errors.djangoBroken(venv.python, probe.code, probe.output);
  log.step(`Django ${probe.stdout.trim()} in the virtual environment of ${venv.installer}`);

  // Heroku's test: the command exists only when django.contrib.staticfiles is in INSTALLED_APPS.
  // manage.py sets DJANGO_SETTINGS_MODULE, so a settings error is raised here, not taken for "unknown".
  const help = ["help", "collectstatic"];
  const check = await run([MANAGE_PY, ...help]);
  if (check.code !== 0) {
    if (UNKNOWN_COMMAND.test(check.output)) {
      log.step("django.contrib.staticfiles is not in INSTALLED_APPS: no static files to collect");
      return;
    }
    throw errors.settingsFailed(formatCommand("python", [MANAGE_PY, ...help]), check.code, check.output);
  }

  const args = [MANAGE_PY, "collectstatic", "--noinput"];
  const shown = formatCommand("python", args);
  await log.streamed(`Running ${shown}`, async (output) => {
    const r = await run(args, { output });
    if (r.code !== 0) throw errors.collectstaticFailed(shown, r.code, r.output);
  });
}
