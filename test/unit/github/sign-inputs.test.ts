// The actions' signing inputs: the key text becomes cosign's environment, never an argument.
import { describe, expect, test } from "vitest";
import { parseSignInputs } from "../../../src/github/sign-inputs.js";

const KEY =
  "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("parseSignInputs", () => {
  test("no sign-key: nothing signed, no environment", () => {
    expect(parseSignInputs(inputs({}), true)).toEqual({ sign: undefined, env: {} });
  });

  test("the key and password go to COSIGN_PRIVATE_KEY / COSIGN_PASSWORD; the request names the variable", () => {
    const parsed = parseSignInputs(
      inputs({ "sign-key": KEY, "sign-password": "pw", "sign-offline": "true" }),
      true,
    );
    expect(parsed.sign).toEqual({ key: "env://COSIGN_PRIVATE_KEY", offline: true });
    expect(parsed.env).toEqual({ COSIGN_PRIVATE_KEY: `${KEY}\n`, COSIGN_PASSWORD: "pw" });
    expect(JSON.stringify(parsed.sign)).not.toContain("BEGIN");
  });

  test("an empty password is still set (a key made without one)", () => {
    expect(parseSignInputs(inputs({ "sign-key": KEY }), true).env.COSIGN_PASSWORD).toBe("");
  });

  test.each([
    [{ "sign-key": KEY }, false, /"publish" is false/],
    [{ "sign-key": KEY, "sign-offline": "yes" }, true, /sign-offline/],
  ])("%o with publish %s is refused", (values, publish, message) => {
    expect(() => parseSignInputs(inputs(values), publish)).toThrow(message);
  });
});
