import { describe, expect, it } from "vitest";
import { detectContext } from "#pybuild/testing";
import { detect } from "../src/detect.js";

function ctx(files: Record<string, string>) {
  return detectContext({ id: "ml-buildpacks/pip", name: "ML pip" }, files);
}

describe("pip detect", () => {
  it("passes with requirements.txt and requires python", () => {
    expect(detect(ctx({ "requirements.txt": "numpy\n" }))).toEqual({
      pass: true,
      plan: { requires: [{ name: "python" }] },
    });
  });

  it.each([
    { "pyproject.toml": "" },
    { "setup.py": "" },
    { "setup.cfg": "" },
    { "pyproject.toml": "", Pipfile: "" },
    { "requirements.txt": "", "pyproject.toml": "", "poetry.lock": "" },
  ])("passes with %j: pip installs it", (files) => {
    expect(detect(ctx(files))).toEqual({ pass: true, plan: { requires: [{ name: "python" }] } });
  });

  it.each([{}, { "app.py": "" }, { "requirements.txt/x": "" }, { "pyproject.toml/x": "" }])(
    "fails with %j",
    (files) => {
      expect(detect(ctx(files))).toEqual({
        pass: false,
        reasons: ["looked for requirements.txt, pyproject.toml, setup.py, setup.cfg in the app: none found"],
      });
    },
  );

  it.each([
    ["poetry.lock", "pyproject.toml"],
    ["uv.lock", "pyproject.toml"],
    ["Pipfile.lock", "pyproject.toml"],
    ["environment.yml", "setup.py"],
    ["conda-linux-64.lock", "pyproject.toml"],
  ])("leaves a project with %s to its installer", (lock, project) => {
    expect(detect(ctx({ [project]: "", [lock]: "" }))).toEqual({
      pass: false,
      reasons: [`${project} comes with ${lock}: another buildpack installs it`],
    });
  });
});
