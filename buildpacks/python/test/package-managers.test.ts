import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { fakeExec, memoryAppFiles } from "#libcnb/testing";
import { build } from "../src/build.js";
import { checkPackageManagers } from "../src/package-managers.js";
import { buildContext } from "./helpers.js";

describe("checkPackageManagers", () => {
  it.each([
    [{ "requirements.txt": "" }, "pip"],
    [{ "requirements.txt": "", "pyproject.toml": "" }, "pip"],
    [{ "poetry.lock": "", "pyproject.toml": "" }, "Poetry"],
    [{ "uv.lock": "", "pyproject.toml": "" }, "uv"],
    [{ "Pipfile.lock": "{}", Pipfile: "" }, "Pipenv"],
    [{ Pipfile: "", "requirements.txt": "" }, "pip"],
    [{ "environment.yml": "" }, "conda"],
    [{ "environment.yaml": "" }, "conda"],
  ])("%j is %s's", (files, manager) => {
    expect(checkPackageManagers(memoryAppFiles(files))?.manager).toBe(manager);
  });

  it("is undefined for an app without dependency files", () => {
    expect(checkPackageManagers(memoryAppFiles({ "app.py": "", "pyproject.toml": "" }))).toBeUndefined();
  });

  it("refuses two or more, listing every file found and what to do", () => {
    let err: unknown;
    try {
      checkPackageManagers(memoryAppFiles({ "requirements.txt": "", "poetry.lock": "", "uv.lock": "" }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildpackError);
    const e = err as BuildpackError;
    expect(e.title).toBe("This app has files for 3 package managers: requirements.txt, poetry.lock, uv.lock");
    expect(e.body).toContain("  - requirements.txt (pip)\n  - poetry.lock (Poetry)\n  - uv.lock (uv)");
    expect(e.body).toContain("Keep the one your project really uses and delete");
    expect(e.file).toBe("poetry.lock");
  });

  it("counts environment.yml as conda's (the conda group has its own check; this covers every other group)", () => {
    expect(() =>
      checkPackageManagers(memoryAppFiles({ "requirements.txt": "", "environment.yml": "" })),
    ).toThrow("This app has files for 2 package managers: requirements.txt, environment.yml");
  });
});

describe("python build and package managers", () => {
  it("fails before anything else when two lockfiles are present", async () => {
    const exec = fakeExec(() => ({ stdout: "3.13.5\n" }));
    const ctx = buildContext({ "Pipfile.lock": "{}", "uv.lock": "", "app.py": "" }, exec);
    await expect(build(ctx)).rejects.toThrow(
      "This app has files for 2 package managers: uv.lock, Pipfile.lock",
    );
    expect(exec.calls).toHaveLength(0);
  });
});
