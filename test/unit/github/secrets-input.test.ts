// The action's `secrets` input: NAME=VALUE lines into the request's secrets, never its env, and
// errors that name a line by number without echoing it.
import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { parseInputs, toBuildRequest } from "../../../src/github/inputs.js";

const TOKEN = "s3cr3t-T0KEN";
const given =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? "";

function errorOf(fn: () => unknown): MlBuildpacksError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MlBuildpacksError);
    return err as MlBuildpacksError;
  }
  throw new Error("no error");
}

describe("the action's secrets input", () => {
  test("lines become the request's secrets, apart from env; comments and blanks are skipped", () => {
    const inputs = parseInputs(
      given({
        image: "ghcr.io/o/app:1",
        env: "A=1",
        secrets: `# the private index\nPIP_INDEX_URL=https://build:${TOKEN}@pypi.example.com/simple\n\nUV_INDEX_PRIVATE_PASSWORD=${TOKEN}=x\n`,
      }),
    );
    expect(inputs.secrets).toEqual({
      PIP_INDEX_URL: `https://build:${TOKEN}@pypi.example.com/simple`,
      UV_INDEX_PRIVATE_PASSWORD: `${TOKEN}=x`,
    });
    const req = toBuildRequest(inputs, { workspace: "/w", cacheDir: undefined, caCerts: undefined });
    expect(req.secrets).toEqual(inputs.secrets);
    expect(req.env).toEqual({ A: "1" });
  });

  test.each([
    [`not a line ${TOKEN}`, 'input "secrets" line 1 is not NAME=VALUE'],
    [`\nPIP_INDEX_URL=`, 'input "secrets" line 2 is not NAME=VALUE'],
    [`9X=${TOKEN}`, 'input "secrets" line 1 is not NAME=VALUE'],
  ])("%j is refused by line number, its text not shown", (secrets, title) => {
    const err = errorOf(() => parseInputs(given({ image: "ghcr.io/o/app:1", secrets })));
    expect(err.title).toContain(title);
    expect(`${err.title} ${err.detail ?? ""} ${err.hint ?? ""}`).not.toContain(TOKEN);
    expect(err.exitCode).toBe(2);
  });

  test("CNB_* names and a name that is also env are refused, naming the name only", () => {
    const cnb = errorOf(() => parseInputs(given({ image: "ghcr.io/o/app:1", secrets: `CNB_X=${TOKEN}` })));
    expect(`${cnb.title} ${cnb.hint ?? ""}`).not.toContain(TOKEN);
    const both = errorOf(() =>
      parseInputs(given({ image: "ghcr.io/o/app:1", env: "A=1", secrets: `A=${TOKEN}` })),
    );
    expect(both.title).toContain("A is given both as build env and as a secret");
    expect(both.title).not.toContain(TOKEN);
  });
});
