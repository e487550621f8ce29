import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { memoryAppFiles } from "#libcnb/testing";
import { build, chooseProcesses, withDefault } from "../src/build.js";
import { detect } from "../src/detect.js";
import { buildContext } from "./helpers.js";

describe("processes detect", () => {
  it("always passes with an empty plan", () => {
    expect(detect()).toEqual({ pass: true, plan: {} });
  });
});

describe("withDefault", () => {
  it("prefers web, else the first, and keeps an explicit default", () => {
    const a = { type: "a", command: ["a"] };
    const web = { type: "web", command: ["w"] };
    expect(withDefault([a, web])).toEqual([a, { ...web, default: true }]);
    expect(withDefault([a])).toEqual([{ ...a, default: true }]);
    const explicit = [web, { ...a, default: true }];
    expect(withDefault(explicit)).toEqual(explicit);
    expect(withDefault([])).toEqual([]);
  });
});

describe("chooseProcesses", () => {
  const procfile = "worker: python3 worker.py\nweb: gunicorn app:app\n";
  const project = '[[io.buildpacks.processes]]\ntype = "serve"\ncommand = ["python3", "serve.py"]\n';

  it("takes the Procfile first", () => {
    expect(
      chooseProcesses(memoryAppFiles({ Procfile: procfile, "project.toml": project, "app.py": "" })),
    ).toEqual({
      source: "Procfile",
      processes: [
        { type: "worker", command: ["bash", "-c", "python3 worker.py"] },
        { type: "web", command: ["bash", "-c", "gunicorn app:app"], default: true },
      ],
    });
  });

  it("then project.toml", () => {
    expect(chooseProcesses(memoryAppFiles({ "project.toml": project, "app.py": "" }))).toEqual({
      source: "project.toml",
      processes: [{ type: "serve", command: ["python3", "serve.py"], default: true }],
    });
  });

  it("then a web process for app.py, else main.py", () => {
    expect(chooseProcesses(memoryAppFiles({ "app.py": "", "main.py": "" }))).toEqual({
      source: "app.py",
      processes: [{ type: "web", command: ["python3", "app.py"], default: true }],
    });
    expect(
      chooseProcesses(memoryAppFiles({ "main.py": "", "project.toml": '[_]\nschema-version = "0.2"\n' })),
    ).toEqual({
      source: "main.py",
      processes: [{ type: "web", command: ["python3", "main.py"], default: true }],
    });
  });

  it("skips a Procfile without processes", () => {
    expect(chooseProcesses(memoryAppFiles({ Procfile: "# later\n", "main.py": "" })).source).toBe("main.py");
  });

  it("finds nothing in an app without any of them", () => {
    expect(chooseProcesses(memoryAppFiles({ "train.py": "" }))).toEqual({ source: undefined, processes: [] });
  });
});

describe("processes build", () => {
  it("returns the processes for launch.toml and logs them", () => {
    const ctx = buildContext({ Procfile: "web: gunicorn app:app\nworker: python3 w.py\n" });
    expect(build(ctx)).toEqual({
      processes: [
        { type: "web", command: ["bash", "-c", "gunicorn app:app"], default: true },
        { type: "worker", command: ["bash", "-c", "python3 w.py"] },
      ],
    });
    expect(ctx.logger.text()).toContain(
      "[Setting launch processes]\n- Using processes from Procfile:\n  web (default): gunicorn app:app\n  worker: python3 w.py\n",
    );
  });

  it("warns, without failing, when there is no process", () => {
    const ctx = buildContext({ "train.py": "" });
    expect(build(ctx)).toEqual({});
    expect(ctx.logger.text()).toContain("! WARNING: No launch process found");
  });

  it("fails on a malformed Procfile with file and line", () => {
    const ctx = buildContext({ Procfile: "web: ok\noops\n" });
    try {
      build(ctx);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BuildpackError);
      expect(err).toMatchObject({ file: "Procfile", line: 2 });
    }
  });
});
