// The build env setting that turns collectstatic off.

/** Like Heroku's DISABLE_COLLECTSTATIC, with the BP_ prefix of every ml-buildpacks setting. */
export const DISABLE_ENV = "BP_DISABLE_COLLECTSTATIC";

/** true/1/yes disable, false/0/no/empty leave collectstatic on; undefined for anything else. */
export function parseDisable(value: string | undefined): boolean | undefined {
  const v = (value ?? "").trim().toLowerCase();
  if (["true", "1", "yes"].includes(v)) return true;
  if (["", "false", "0", "no"].includes(v)) return false;
  return undefined;
}
