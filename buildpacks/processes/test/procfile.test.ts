import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { parseProcfile, procfileProcesses } from "../src/procfile.js";

function errorOf(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

describe("parseProcfile", () => {
  it("reads types and commands, skipping comments and blank lines", () => {
    const text =
      "# processes\n\nweb: gunicorn --bind 0.0.0.0:$PORT app:app\r\n  worker :python3 worker.py && echo done  \n";
    expect(parseProcfile(text)).toEqual([
      { type: "web", command: "gunicorn --bind 0.0.0.0:$PORT app:app", line: 3 },
      { type: "worker", command: "python3 worker.py && echo done", line: 4 },
    ]);
  });

  it("turns lines into bash -c processes", () => {
    expect(procfileProcesses(parseProcfile("web: python3 app.py\n"))).toEqual([
      { type: "web", command: ["bash", "-c", "python3 app.py"] },
    ]);
  });

  it("returns nothing for a file with only comments", () => {
    expect(parseProcfile("# nothing yet\n\n")).toEqual([]);
  });

  it.each([
    ["web gunicorn app:app", 1],
    ["web server: python3 app.py", 1],
    [": python3 app.py", 1],
    ["web/api: x", 1],
  ])("rejects the malformed line %j with file and line", (line) => {
    const err = errorOf(() => parseProcfile(`# ok\nweb: ok\n${line}\n`));
    expect(err.title).toBe("Procfile line 3 is not a process definition");
    expect(err.file).toBe("Procfile");
    expect(err.line).toBe(3);
    expect(err.body).toContain(line.trim());
  });

  it("rejects a process without a command", () => {
    const err = errorOf(() => parseProcfile("web:   \n"));
    expect(err.title).toBe('Procfile: process "web" has no command');
    expect(err.line).toBe(1);
  });

  it("rejects a type defined twice, naming both lines", () => {
    const err = errorOf(() => parseProcfile("web: a\nworker: b\nweb: c\n"));
    expect(err.title).toBe('Procfile defines the process type "web" twice');
    expect(err.line).toBe(3);
    expect(err.body).toContain("first defined on line 1");
  });
});
