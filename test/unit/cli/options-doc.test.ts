// The build command's options live in one place (BUILD_OPTIONS); --help and docs/cli.md's table
// are checked against it, so neither can drift from what the parser takes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BUILD_OPTIONS, parseCommand } from "../../../src/cli/args.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const parsed = Object.keys(BUILD_OPTIONS).sort();

/** The options of docs/cli.md's first table (`| \`--name ARG\` | default | what |`). */
function documented(): string[] {
  const text = readFileSync(join(REPO, "docs", "cli.md"), "utf8");
  const table = text.slice(text.indexOf("| option |"), text.indexOf("\n\n", text.indexOf("| option |")));
  return [...table.matchAll(/^\| `--([a-z-]+)/gm)].map((m) => m[1] as string).sort();
}

/** The options listed under "build options" in --help (before the builder create section). */
function inHelp(): string[] {
  const help = parseCommand(["--help"]);
  if (help.kind !== "help") throw new Error("--help gave no help");
  const start = help.text.indexOf("build options:");
  const end = help.text.indexOf("builder create options:");
  if (start < 0 || end < start) throw new Error("--help has no build options section");
  const section = help.text.slice(start, end);
  return [...section.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1] as string).sort();
}

describe("the build command's options", () => {
  test("docs/cli.md's table lists exactly the options the parser takes", () => {
    expect(documented()).toEqual(parsed);
  });

  test("--help lists exactly the options the parser takes", () => {
    expect(inHelp()).toEqual(parsed);
  });
});
