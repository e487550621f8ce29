import { describe, expect, test } from "vitest";
import { excludedInside, isExcluded, workspaceSource } from "../../../src/core/workspace.js";

describe("the workspace contract", () => {
  test("leaves out the app's top-level .git and a cache dir kept inside the app", () => {
    const ws = workspaceSource("/p/app/", "/p/app/.ml-buildpacks/cache");
    expect(ws.appDir).toBe("/p/app");
    expect(excludedInside(ws)).toEqual(["./.git", "./.ml-buildpacks/cache"]);
    expect(isExcluded(ws, "/p/app/.git")).toBe(true);
    expect(isExcluded(ws, "/p/app/.ml-buildpacks/cache/")).toBe(true);
    // Only the top-level .git: a vendored package's .git folder is app content.
    expect(isExcluded(ws, "/p/app/vendor/.git")).toBe(false);
    expect(isExcluded(ws, "/p/app/app.py")).toBe(false);
  });

  test("a cache dir outside the app excludes nothing more from the copy", () => {
    const ws = workspaceSource("/p/app", "/home/u/.cache/x");
    expect(excludedInside(ws)).toEqual(["./.git"]);
    expect(excludedInside(workspaceSource("/p/app", undefined))).toEqual(["./.git"]);
    // The app itself as the cache dir would leave nothing to build: never excluded as a whole.
    expect(excludedInside(workspaceSource("/p/app", "/p/app"))).toEqual(["./.git"]);
  });

  test("an SBOM output dir inside the app is left out: a build's outputs are never the next one's inputs", () => {
    const ws = workspaceSource("/p/app", undefined, ["/p/app/.ml-buildpacks/sbom", undefined]);
    expect(excludedInside(ws)).toEqual(["./.git", "./.ml-buildpacks/sbom"]);
    expect(isExcluded(ws, "/p/app/.ml-buildpacks/sbom")).toBe(true);
    expect(excludedInside(workspaceSource("/p/app", undefined, ["/tmp/sbom"]))).toEqual(["./.git"]);
  });
});
