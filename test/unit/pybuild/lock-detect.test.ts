import { describe, expect, it } from "vitest";
import { detect as pipenv } from "../../../buildpacks/pipenv/src/detect.js";
import { detect as poetry } from "../../../buildpacks/poetry/src/detect.js";
import { detect as uv } from "../../../buildpacks/uv/src/detect.js";
import type { DetectContext, DetectResult } from "../../../src/libcnb/index.js";
import { detectContext } from "../../../src/pybuild/testing.js";

// The lock-file installers detect alike: the lock passes (requiring python), nothing else does.
type Files = Record<string, string>;

const installers: {
  id: string;
  name: string;
  detect: (ctx: DetectContext) => DetectResult;
  lock: string;
  passing: Files[];
  failing: Files[];
}[] = [
  {
    id: "ml-buildpacks/uv",
    name: "ML uv",
    detect: uv,
    lock: "uv.lock",
    passing: [{ "uv.lock": "version = 1\n", "pyproject.toml": "" }, { "uv.lock": "" }],
    failing: [{}, { "pyproject.toml": "" }, { "requirements.txt": "" }, { "uv.lock/x": "" }],
  },
  {
    id: "ml-buildpacks/poetry",
    name: "ML Poetry",
    detect: poetry,
    lock: "poetry.lock",
    passing: [{ "poetry.lock": "[metadata]\n", "pyproject.toml": "" }, { "poetry.lock": "" }],
    failing: [{}, { "pyproject.toml": "" }, { "requirements.txt": "" }, { "poetry.lock/x": "" }],
  },
  {
    id: "ml-buildpacks/pipenv",
    name: "ML Pipenv",
    detect: pipenv,
    lock: "Pipfile.lock",
    passing: [{ "Pipfile.lock": "{}", Pipfile: "" }, { "Pipfile.lock": "" }],
    failing: [{}, { Pipfile: "" }, { "requirements.txt": "" }, { "Pipfile.lock/x": "" }],
  },
];

describe.each(installers)("$name detect", ({ id, name, detect, lock, passing, failing }) => {
  it.each(passing)(`passes with ${lock} and requires python (%j)`, (files) => {
    expect(detect(detectContext({ id, name }, files))).toEqual({
      pass: true,
      plan: { requires: [{ name: "python" }] },
    });
  });

  it.each(failing)("fails with %j", (files) => {
    expect(detect(detectContext({ id, name }, files))).toEqual({
      pass: false,
      reasons: [`looked for ${lock} in the app: none found`],
    });
  });
});
