// biome-ignore-all lint/suspicious/noTemplateCurlyInString: channel URLs name their secrets as ${VAR}, as users write them
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { errorOf } from "#pybuild/testing";
import { driverChannels } from "../src/channels.js";
import { authFile, redactUrl, splitCredentials } from "../src/credentials.js";
import { unreachable } from "../src/errors.js";
import { parseExplicit } from "../src/explicit.js";

const FILE = { file: "environment.yml", line: 3 };

describe("splitCredentials", () => {
  it("moves basic auth named by ${VAR} out of the URL, keyed by host without the port", () => {
    const env = { CONDA_TOKEN: "s3cret" };
    expect(
      splitCredentials("https://build:${CONDA_TOKEN}@conda.example.com:8443/private", env, FILE),
    ).toEqual({
      url: "https://conda.example.com:8443/private",
      auth: { host: "conda.example.com", auth: { BasicHTTP: { username: "build", password: "s3cret" } } },
    });
  });

  it("a ${VAR} user name, and a /t/${VAR}/ conda token", () => {
    const env = { U: "me", T: "tk-1" };
    expect(splitCredentials("https://${U}:${T}@h.example/c", env, FILE).auth?.auth).toEqual({
      BasicHTTP: { username: "me", password: "tk-1" },
    });
    expect(splitCredentials("https://h.example/t/${T}/private/", env, FILE)).toEqual({
      url: "https://h.example/private/",
      auth: { host: "h.example", auth: { CondaToken: "tk-1" } },
    });
  });

  it("leaves URLs without credentials and names as they are", () => {
    expect(splitCredentials("https://conda.example.com/c", {}, FILE)).toEqual({
      url: "https://conda.example.com/c",
    });
    expect(splitCredentials("conda-forge", {}, FILE)).toEqual({ url: "conda-forge" });
  });

  it("refuses a password or token written in an app file, without repeating it", () => {
    for (const url of ["https://build:hunter2@h.example/c", "https://h.example/t/hunter2/c"]) {
      const err = errorOf(() => splitCredentials(url, {}, FILE));
      expect(err.title).toBe("environment.yml line 3: a channel URL holds a password or token");
      expect(err.file).toBe("environment.yml");
      expect(err.line).toBe(3);
      expect(`${err.title}\n${err.body}`).not.toContain("hunter2");
      expect(err.body).toContain("--secret id=CONDA_TOKEN");
    }
  });

  it("accepts a literal password in a build variable (it may be a secret), decoding %-escapes", () => {
    const split = splitCredentials(
      "https://build:p%40ss@mirror.example",
      {},
      { variable: "BP_CONDA_CHANNEL_ALIAS" },
    );
    expect(split).toEqual({
      url: "https://mirror.example",
      auth: { host: "mirror.example", auth: { BasicHTTP: { username: "build", password: "p@ss" } } },
    });
  });

  it("an unset or empty ${VAR} says which secret to pass, where", () => {
    const err = errorOf(() =>
      splitCredentials("https://b:${CONDA_TOKEN}@h.example/c", { CONDA_TOKEN: "" }, FILE),
    );
    expect(err.title).toBe(
      "environment.yml line 3: the channel's credentials need ${CONDA_TOKEN}, which the build does not have",
    );
    expect(err.body).toContain("Pass CONDA_TOKEN as a build secret");
  });
});

describe("redactUrl and authFile", () => {
  it("redactUrl hides passwords and tokens, keeps user names", () => {
    expect(redactUrl("https://build:x@h.example/t/y/c")).toBe("https://build:***@h.example/t/***/c");
    expect(redactUrl("https://h.example/c")).toBe("https://h.example/c");
  });

  it("authFile keeps one entry per host and refuses two different credentials for one host", () => {
    const a = { host: "h", auth: { CondaToken: "1" } };
    expect(authFile([{ url: "x", auth: a }, { url: "y", auth: a }, { url: "z" }])).toEqual({
      h: { CondaToken: "1" },
    });
    const err = errorOf(() =>
      authFile([
        { url: "x", auth: a },
        { url: "y", auth: { host: "h", auth: { CondaToken: "2" } } },
      ]),
    );
    expect(err.title).toBe("Two channels on h have different credentials");
  });
});

describe("driverChannels", () => {
  const env = {
    CONDA_TOKEN: "s3cret",
    BP_CONDA_CHANNEL_ALIAS: "https://build:${CONDA_TOKEN}@mirror.example/",
  };

  it("environment.yml: named channels on a private alias and a private URL; no credential in any URL", () => {
    const source = {
      kind: "environment" as const,
      file: "environment.yml",
      sha256: "0",
      channels: [
        { value: "conda-forge", line: 3 },
        { value: "https://other.example/t/${CONDA_TOKEN}/team", line: 4 },
      ],
      specs: [],
      pip: [],
    };
    const out = driverChannels(source, env);
    expect(out.channels).toEqual(["https://mirror.example/conda-forge", "https://other.example/team"]);
    expect(out.auth).toEqual({
      "mirror.example": { BasicHTTP: { username: "build", password: "s3cret" } },
      "other.example": { CondaToken: "s3cret" },
    });
    expect(JSON.stringify(out.channels)).not.toContain("s3cret");
  });

  it("an explicit lock: its private URLs cleaned, the default alias's moved to the mirror", () => {
    const hash = "a".repeat(64);
    const text =
      "@EXPLICIT\n" +
      `https://conda.anaconda.org/conda-forge/noarch/a-1-0.conda#${hash}\n` +
      `https://build:\${CONDA_TOKEN}@private.example/c/noarch/b-1-0.conda#${hash}\n`;
    const packages = parseExplicit(text, "conda-linux-64.lock");
    const out = driverChannels({ kind: "explicit", file: "conda-linux-64.lock", sha256: "0", packages }, env);
    expect(out.explicit?.map((p) => p.url)).toEqual([
      "https://mirror.example/conda-forge/noarch/a-1-0.conda",
      "https://private.example/c/noarch/b-1-0.conda",
    ]);
    expect(Object.keys(out.auth).sort()).toEqual(["mirror.example", "private.example"]);
  });

  it("a literal token in the lock names the lock's line", () => {
    const text = `@EXPLICIT\nhttps://h.example/t/abc/c/noarch/b-1-0.conda#${"a".repeat(64)}\n`;
    const packages = parseExplicit(text, "conda-linux-64.lock");
    const err = errorOf(() =>
      driverChannels({ kind: "explicit", file: "conda-linux-64.lock", sha256: "0", packages }, {}),
    );
    expect(err.title).toBe("conda-linux-64.lock line 2: a channel URL holds a password or token");
  });
});

describe("splitCredentials on any input", () => {
  it("returns a URL without the secret's value, or a BuildpackError; never anything else", () => {
    const secret = "Zq9-secret-value";
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom("", "user", "u:${S}", "${S}:${S}", "u:lit%zz", "%E0:x"),
        fc.constantFrom("", "/t/${S}", "/t/", "/t/${MISSING}"),
        fc.boolean(),
        (tail, userinfo, token, inFile) => {
          const url = `https://${userinfo ? `${userinfo}@` : ""}h.example${token}/${tail}`;
          const origin = inFile
            ? { file: "environment.yml", line: 2 }
            : { variable: "BP_CONDA_CHANNEL_ALIAS" };
          try {
            const out = splitCredentials(url, { S: secret }, origin);
            expect(out.url).not.toContain(secret);
            expect(out.url).not.toContain("@h.example");
          } catch (err) {
            if (!(err instanceof BuildpackError)) throw err;
            expect(`${err.title}${err.body}`).not.toContain(secret);
          }
        },
      ),
    );
    for (const junk of ["", "://", "https://@", "https://:@/t/", "\u0000", "https://a@b@c/t/x"])
      expect(() => {
        try {
          splitCredentials(junk, {}, { variable: "X" });
        } catch (err) {
          if (!(err instanceof BuildpackError)) throw err;
        }
      }).not.toThrow();
  });
});

describe("unreachable", () => {
  it("adds how to pass credentials only when the channel answered 401 or 403", () => {
    const hint = "The channel answered 401/403: its credentials are missing, wrong or expired.";
    expect(
      unreachable(["https://h.example/c"], "HTTP status client error (401 Unauthorized)", "environment.yml")
        .body,
    ).toContain(hint);
    expect(
      unreachable(["https://h.example/c"], "dns error: no such host", "environment.yml").body,
    ).not.toContain(hint);
  });
});
