import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Logger } from "../../../src/core/log.js";
import { runPost, saveDecision } from "../../../src/github/post-impl.js";
import type { ActionState } from "../../../src/github/state.js";

const state = (over: Partial<ActionState> = {}): ActionState => ({
  cacheEnabled: true,
  cacheDir: "/cache",
  primaryKey: "ml-buildpacks-cpu-amd64-abc",
  matchedKey: "ml-buildpacks-cpu-amd64-old",
  built: true,
  ...over,
});

describe("saveDecision", () => {
  test.each([
    ["no state (main killed before it wrote one)", undefined, /stopped before it restored/],
    ["cache disabled", state({ cacheEnabled: false }), /cache disabled/],
    [
      "main did not finish (failed or cancelled)",
      state({ built: false }),
      /did not finish: keeping the previous cache/,
    ],
    ["exact hit", state({ matchedKey: "ML-BUILDPACKS-CPU-AMD64-ABC" }), /exact key/],
  ])("%s: nothing saved", (_name, s, why) => {
    const decision = saveDecision(s, () => 100);
    expect(decision.save).toBe(false);
    expect(decision.save ? "" : decision.why).toMatch(why);
  });

  test("an empty committed/ is not saved; a finished build's is", () => {
    expect(saveDecision(state(), () => 0).save).toBe(false);
    expect(saveDecision(state(), () => 5)).toEqual({ save: true, state: state(), bytes: 5 });
  });
});

describe("runPost", () => {
  function deps(s: ActionState | undefined) {
    const infos: string[] = [];
    const saves: string[] = [];
    const log: Logger = {
      info: (m) => void infos.push(m),
      warn: (m) => void infos.push(m),
      error: (m) => void infos.push(m),
      output: () => {},
      group: (_t, fn) => fn(),
    };
    const store = {
      restore: async () => undefined,
      save: async (_dir: string, key: string) => {
        saves.push(key);
        return true;
      },
    };
    return { infos, saves, deps: { log, readState: () => s, store, now: () => 0 } };
  }

  test("a cancelled main step (built: false) saves nothing, even with a committed/ on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "post-"));
    mkdirSync(join(dir, "committed"));
    writeFileSync(join(dir, "committed", "half.tar"), "partial");
    const t = deps(state({ cacheDir: dir, built: false }));
    await runPost(t.deps);
    expect(t.saves).toEqual([]);
    expect(t.infos.join("\n")).toMatch(/did not finish/);
  });

  test("a finished build saves committed/ under the primary key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "post-"));
    mkdirSync(join(dir, "committed"));
    writeFileSync(join(dir, "committed", "layer.tar"), "layer");
    const t = deps(state({ cacheDir: dir }));
    await runPost(t.deps);
    expect(t.saves).toEqual(["ml-buildpacks-cpu-amd64-abc"]);
    expect(t.infos.join("\n")).toMatch(/Cache saved as ml-buildpacks-cpu-amd64-abc: 5 B/);
  });
});
