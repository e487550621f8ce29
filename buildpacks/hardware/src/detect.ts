import { type DetectContext, type DetectResult, fail, pass } from "#libcnb";
import { coralDebRequest, coralSettings } from "./coral.js";
import { HARDWARE_FILE, peekHardware } from "./hardware-file.js";

export function detect(ctx: DetectContext): DetectResult {
  const text = ctx.app.readText(HARDWARE_FILE);
  if (text === undefined) return fail(`looked for ${HARDWARE_FILE} in the app: none found`);
  // An invalid file still passes: build reports it with file and line (detect output is easy to miss).
  if (peekHardware(text) === "coral") {
    // libedgetpu comes from ml-buildpacks/deb-packages, which must come earlier in the group.
    const env = { ...ctx.env, ...ctx.platformEnv };
    return pass({ requires: [{ name: "deb-packages", metadata: coralDebRequest(coralSettings(env)) }] });
  }
  return pass();
}
