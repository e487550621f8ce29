import * as core from "@actions/core";

/** What main hands to post (no secrets): where the cache is and under which key to save it. */
export interface ActionState {
  cacheEnabled: boolean;
  cacheDir: string;
  primaryKey: string;
  /** The key restore matched ("" on a miss). */
  matchedKey: string;
  /** The build finished: only then is the cache worth saving. */
  built: boolean;
}

const KEY = "ml-buildpacks";

export function saveState(state: ActionState): void {
  core.saveState(KEY, JSON.stringify(state));
}

export function readState(): ActionState | undefined {
  const raw = core.getState(KEY);
  return raw ? (JSON.parse(raw) as ActionState) : undefined;
}
