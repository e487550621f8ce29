import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { parseProjectProcesses } from "../src/project-toml.js";

function errorOf(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

const PROJECT = `
[_]
schema-version = "0.2"

[[io.buildpacks.build.env]]
name = "GREETING"
value = "hi"

[[io.buildpacks.processes]]
type = "web"
command = ["python3", "serve.py"]
args = ["--port", "8080"]

[[io.buildpacks.processes]]
type = "train"
command = "python3 train.py --epochs $EPOCHS"
default = true
working-dir = "jobs"
`;

describe("parseProjectProcesses", () => {
  it("reads array commands as argv and string commands as bash -c", () => {
    expect(parseProjectProcesses(PROJECT)).toEqual([
      { type: "web", command: ["python3", "serve.py"], args: ["--port", "8080"] },
      {
        type: "train",
        command: ["bash", "-c", "python3 train.py --epochs $EPOCHS"],
        default: true,
        workingDir: "jobs",
      },
    ]);
  });

  it("returns undefined when project.toml declares no processes", () => {
    expect(parseProjectProcesses('[_]\nschema-version = "0.2"\n')).toBeUndefined();
    expect(parseProjectProcesses("")).toBeUndefined();
  });

  it("reports TOML syntax errors with the line", () => {
    const err = errorOf(() =>
      parseProjectProcesses('[_]\nschema-version = "0.2"\n[[io.buildpacks.processes]\n'),
    );
    expect(err.title).toBe("project.toml is not valid TOML");
    expect(err.file).toBe("project.toml");
    expect(err.line).toBe(3);
  });

  it.each([
    ['type = "web"', 'Process #2: "command" must be a non-empty string or array of strings (process "web").'],
    ['type = "web"\ncommand = []', 'Process #2: "command" must be a non-empty string or array of strings'],
    [
      'type = "web"\ncommand = ["x", 1]',
      'Process #2: "command" must be a non-empty string or array of strings',
    ],
    ['command = "x"', 'Process #2: "type" must be a non-empty string'],
    ['type = "a b"\ncommand = "x"', 'Process #2: "type" must be a non-empty string'],
    ['type = "web"\ncommand = "x"\nargs = "y"', 'Process #2: "args" must be an array of strings'],
    ['type = "web"\ncommand = "x"\ndefault = "yes"', 'Process #2: "default" must be true or false'],
    ['type = "web"\ncomand = "x"', 'Process #2: unknown key "comand".'],
  ])("rejects %j, pointing at its table", (table, problem) => {
    const text = `[[io.buildpacks.processes]]\ntype = "ok"\ncommand = "x"\n\n[[io.buildpacks.processes]]\n${table}\n`;
    const err = errorOf(() => parseProjectProcesses(text));
    expect(err.title).toBe("project.toml: invalid [[io.buildpacks.processes]]");
    expect(err.body).toContain(problem);
    expect(err.line).toBe(5);
  });

  it("rejects duplicate types and several defaults", () => {
    const dup =
      '[[io.buildpacks.processes]]\ntype = "web"\ncommand = "a"\n[[io.buildpacks.processes]]\ntype = "web"\ncommand = "b"\n';
    expect(errorOf(() => parseProjectProcesses(dup)).title).toBe(
      'project.toml defines the process type "web" twice',
    );
    const defaults =
      '[[io.buildpacks.processes]]\ntype = "a"\ncommand = "a"\ndefault = true\n' +
      '[[io.buildpacks.processes]]\ntype = "b"\ncommand = "b"\ndefault = true\n';
    expect(errorOf(() => parseProjectProcesses(defaults)).body).toContain(
      "More than one default process: a, b",
    );
  });

  it("rejects processes that are not an array of tables", () => {
    const err = errorOf(() => parseProjectProcesses('[io.buildpacks]\nprocesses = "web"\n'));
    expect(err.body).toContain("must be an array of tables");
  });
});
