import { describe, expect, it } from "vitest";
import type { BuildpackError } from "#libcnb";
import { checkBuildEnv, UNSAFE_BUILD_ENV } from "../src/build-env.js";

function errorOf(env: Record<string, string>): BuildpackError | undefined {
  try {
    checkBuildEnv(env);
  } catch (err) {
    return err as BuildpackError;
  }
  return undefined;
}

describe("checkBuildEnv", () => {
  it.each(Object.keys(UNSAFE_BUILD_ENV))(
    "refuses %s, naming it, its value and where it comes from",
    (name) => {
      const err = errorOf({ [name]: "/somewhere" });
      expect(err?.title).toBe(`The build environment sets ${name}, which breaks Python builds`);
      expect(err?.body).toContain(`  - ${name}=/somewhere: ${UNSAFE_BUILD_ENV[name]}`);
      expect(err?.body).toContain("the CLI's --env");
      expect(err?.body).toContain("project.toml [[build.env]]");
    },
  );

  it("lists every offending variable at once", () => {
    const err = errorOf({ PYTHONPATH: "/x", VIRTUAL_ENV: "/venv", BP_PYTHON_MIRROR: "http://m" });
    expect(err?.title).toBe("The build environment sets PYTHONPATH, VIRTUAL_ENV, which break Python builds");
  });

  it.each([
    [{}],
    [{ PYTHONSTARTUP: "/x.py", PYTHONUSERBASE: "/u", PYTHONNOUSERSITE: "1", PYTHONDONTWRITEBYTECODE: "1" }],
    [{ PYTHONHOME: "", PYTHONPATH: "  " }],
    [{ PIP_USER: "false" }],
    [{ PIP_USER: "0" }],
  ])("accepts harmless settings %j", (env) => {
    expect(errorOf(env)).toBeUndefined();
  });

  it("refuses PIP_USER when it switches --user on", () => {
    expect(errorOf({ PIP_USER: "1" })?.title).toContain("PIP_USER");
  });
});
