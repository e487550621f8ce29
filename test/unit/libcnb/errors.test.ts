import { describe, expect, it } from "vitest";
import { BuildpackError, renderError } from "../../../src/libcnb/errors.js";

describe("renderError", () => {
  it("renders title, location and body of a BuildpackError", () => {
    const err = new BuildpackError({
      title: "Python 3.12 requested, but the stack has Python 3.13.5",
      body: "The build image provides Python 3.13.5.\n\nChange .python-version to 3.13 or remove it.",
      file: ".python-version",
      line: 1,
    });
    expect(renderError(err)).toBe(
      [
        "",
        "! ERROR: Python 3.12 requested, but the stack has Python 3.13.5",
        "!   in .python-version:1",
        "!",
        "! The build image provides Python 3.13.5.",
        "!",
        "! Change .python-version to 3.13 or remove it.",
        "",
      ].join("\n"),
    );
  });

  it("renders a file without a line", () => {
    const err = new BuildpackError({ title: "t", body: "b", file: "Procfile" });
    expect(renderError(err)).toContain("!   in Procfile\n");
  });

  it("renders unexpected errors as internal errors with a stack", () => {
    const text = renderError(new TypeError("x is undefined"), { id: "ml-buildpacks/pip", version: "0.1.0" });
    expect(text).toContain("! ERROR: internal error in ml-buildpacks/pip 0.1.0");
    expect(text).toContain("! x is undefined");
    expect(text).toContain("This is a bug in the buildpack");
    expect(text).toMatch(/! +at /);
  });

  it("renders thrown non-errors", () => {
    expect(renderError("boom")).toContain("! boom");
  });
});
