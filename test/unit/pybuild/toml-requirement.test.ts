import { describe, expect, it } from "vitest";
import { tomlRequirement } from "../../../src/pybuild/toml-requirement.js";

describe("tomlRequirement", () => {
  const text =
    'version = 1\nrequires-python = ">=3.11"\n\n[project]\nname = "app"\nrequires-python = ">=3.12"\n';

  it("names the table, key and line of a string value", () => {
    expect(tomlRequirement("pyproject.toml", text, "project", "requires-python", ">=3.12")).toEqual([
      { file: "pyproject.toml", setting: "[project] requires-python", text: ">=3.12", line: 6 },
    ]);
    expect(tomlRequirement("uv.lock", text, "", "requires-python", ">=3.11")).toEqual([
      { file: "uv.lock", setting: "requires-python", text: ">=3.11", line: 2 },
    ]);
  });

  it("leaves out the line when the key is not found in the text", () => {
    expect(tomlRequirement("Pipfile", "", "requires", "python_version", "3.12")).toEqual([
      { file: "Pipfile", setting: "[requires] python_version", text: "3.12" },
    ]);
  });

  it.each([undefined, 3.12, { version: "^3.12" }])("has nothing for a %j value", (value) => {
    expect(tomlRequirement("pyproject.toml", text, "project", "requires-python", value)).toEqual([]);
  });
});
