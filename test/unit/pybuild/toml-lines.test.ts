import { describe, expect, it } from "vitest";
import { tomlKeyLine } from "../../../src/pybuild/toml-lines.js";

describe("tomlKeyLine", () => {
  const text =
    '[project]\nname = "a"\nrequires-python = ">=3.11"\n\n[tool.poetry.dependencies]\n# the Python\npython = "^3.14"\n[ tool . poetry . group . dev . dependencies ]\npython = "x"\n';
  it("finds a key in its table, not in another", () => {
    expect(tomlKeyLine(text, "project", "requires-python")).toBe(3);
    expect(tomlKeyLine(text, "tool.poetry.dependencies", "python")).toBe(7);
    expect(tomlKeyLine(text, "tool.poetry.group.dev.dependencies", "python")).toBe(9);
    expect(tomlKeyLine(text, "", "python")).toBeUndefined();
    expect(tomlKeyLine('version = 1\nrequires-python = ">=3.11"\n', "", "requires-python")).toBe(2);
  });
  it("finds a key inside its table only", () => {
    const text =
      'requires-python = "x"\n[tool.x]\nrequires-python = "y"\n[ project ]\n"requires-python" = "z"\n';
    expect(tomlKeyLine(text, "project", "requires-python")).toBe(5);
    expect(tomlKeyLine(text, "tool.x", "requires-python")).toBe(3);
  });
});
