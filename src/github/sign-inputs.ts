// The action's signing inputs (sign-key, sign-password, sign-offline), shared by the build and the
// merge action. The key arrives as text (a repository secret) and reaches cosign only through
// COSIGN_PRIVATE_KEY in the environment; both values are masked by the caller before any log line.
import { MlBuildpacksError } from "../core/errors.js";
import { KEY_ENV, PASSWORD_ENV, type SignOptions } from "../core/sign/cosign.js";
import { messages } from "./messages.js";

export interface SignInputs {
  /** The request's sign options; undefined: sign-key is empty, nothing is signed. */
  sign: SignOptions | undefined;
  /** Environment for cosign (key and password), to merge over the process's. */
  env: Record<string, string>;
}

/** Pure: the raw inputs -> sign options and cosign's environment. */
export function parseSignInputs(get: (name: string) => string, publish: boolean): SignInputs {
  const key = get("sign-key").trim();
  const offlineText = get("sign-offline").trim() || "false";
  if (offlineText !== "true" && offlineText !== "false")
    throw new MlBuildpacksError(messages.badBoolean("sign-offline", offlineText));
  if (!key) return { sign: undefined, env: {} };
  if (!publish)
    throw new MlBuildpacksError({
      title: 'input "sign-key" signs the pushed image, and "publish" is false',
      hint: "set publish: true, or remove sign-key",
    });
  return {
    sign: { key: `env://${KEY_ENV}`, offline: offlineText === "true" },
    // cosign needs a password variable even for a key made without one.
    env: { [KEY_ENV]: `${key}\n`, [PASSWORD_ENV]: get("sign-password") },
  };
}
