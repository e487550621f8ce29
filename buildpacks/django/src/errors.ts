// Every message the Django buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";
import { DISABLE_ENV } from "./settings.js";

const OPT_OUT =
  `To build without collectstatic (e.g. your app serves static files another way), set ${DISABLE_ENV}=true\n` +
  "in the build environment (project.toml [[io.buildpacks.build.env]], or the build's env input).";

/** The last lines of a command's output, indented, for an error body. */
function tail(output: string, lines = 15): string {
  const all = output.trimEnd().split(/\r?\n/);
  const shown = all.slice(-lines).map((l) => `  ${l}`);
  return (all.length > lines ? ["  ...", ...shown] : shown).join("\n") || "  (no output)";
}

/** Advice for failures recognisable in Django's output. */
export function collectstaticHints(output: string): string[] {
  const hints: string[] = [];
  if (/STATIC_ROOT/.test(output)) {
    hints.push(
      "Your settings have no STATIC_ROOT, the folder collectstatic copies the static files into. Set it in\n" +
        "your settings module to a folder inside the app (the image keeps the app dir), for example:\n\n" +
        '  STATIC_ROOT = BASE_DIR / "staticfiles"',
    );
  }
  if (/Permission denied|Read-only file system/.test(output)) {
    hints.push(
      "collectstatic could not write to STATIC_ROOT. The build can only write inside the app dir: point\n" +
        'STATIC_ROOT at a folder in it, e.g. STATIC_ROOT = BASE_DIR / "staticfiles".',
    );
  }
  if (/KeyError|environ|DATABASE_URL|SECRET_KEY/.test(output)) {
    hints.push(
      "collectstatic runs during the build, without your run-time environment (database, secrets).\n" +
        'Give such settings a default for the build (e.g. os.environ.get("SECRET_KEY", "build-only")),\n' +
        "or set them as build env in project.toml [[io.buildpacks.build.env]].",
    );
  }
  return hints;
}

export function collectstaticFailed(command: string, code: number, output: string): BuildpackError {
  const hints = collectstaticHints(output);
  return new BuildpackError({
    title: "Django's collectstatic failed",
    body:
      `\`${command}\` exited with status ${code}. Its last lines:\n\n${tail(output)}\n\n` +
      hints.map((h) => `${h}\n\n`).join("") +
      OPT_OUT,
    file: "manage.py",
  });
}

export function settingsFailed(command: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "Django could not load the app's settings during the build",
    body:
      `Checking for the collectstatic command, \`${command}\` exited with status ${code}:\n\n${tail(output)}\n\n` +
      [...collectstaticHints(output), OPT_OUT].join("\n\n"),
    file: "manage.py",
  });
}

export function djangoBroken(python: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "Django is installed but cannot be imported",
    body:
      `\`${python} -c "import django"\` exited with status ${code}:\n\n${tail(output)}\n\n` +
      "Check the Django version your dependency file pins against your Python version.\n\n" +
      OPT_OUT,
  });
}

export function venvNotOnDisk(installer: string): BuildpackError {
  return new BuildpackError({
    title: "The app's virtual environment is not available to run collectstatic",
    body:
      `${installer} reused the virtual environment of the previous image without keeping it on disk, so\n` +
      "manage.py cannot run during this build. Building once without the build cache (or changing a\n" +
      "dependency file) rebuilds it.\n\n" +
      OPT_OUT,
  });
}

export function invalidDisableValue(value: string): BuildpackError {
  return new BuildpackError({
    title: `${DISABLE_ENV} must be true or false, not ${JSON.stringify(value)}`,
    body: `Set ${DISABLE_ENV}=true in the build environment to skip collectstatic, or remove it to run it.`,
  });
}
