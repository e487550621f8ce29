import { type DetectContext, type DetectResult, fail, pass } from "#libcnb";
import { MANAGE_PY } from "#pybuild/venv-at-build";

/**
 * Passes for any app with manage.py, with an empty plan (it is optional in every group, after the
 * installer): whether Django and its staticfiles app are there is only known once the venv is built.
 */
export function detect(ctx: DetectContext): DetectResult {
  if (!ctx.app.isFile(MANAGE_PY)) return fail(`looked for ${MANAGE_PY} in the app: none found`);
  return pass();
}
