import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { readmeQuickStart, readmeQuickStarts } from "../e2e/support/readme.js";

const REPO = resolve(import.meta.dirname, "../..");
const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const major = version.split(".")[0];
const LOOPBACK = /\b127\.\d+\.\d+\.\d+|\blocalhost\b|\[::1\]/;

describe("README quick starts", () => {
  test("every quick start the e2e tests run is marked in the README", () => {
    expect([...readmeQuickStarts(REPO).keys()].sort()).toEqual(
      ["cli", "github-cuda", "github-multiarch", "github-single", "gitlab", "tekton-taskrun"].sort(),
    );
  });

  test.each(["github-single", "github-multiarch", "github-cuda", "gitlab", "tekton-taskrun"])(
    "%s is valid YAML",
    (name) => {
      expect(() => parse(readmeQuickStart(REPO, name))).not.toThrow();
    },
  );

  test.each(["github-single", "github-multiarch", "github-cuda"])(
    "%s uses the action's major tag of this release",
    (name) => {
      const uses = [...readmeQuickStart(REPO, name).matchAll(/uses: (ml-buildpacks\/\S+)/g)].map((m) => m[1]);
      expect(uses.length).toBeGreaterThan(0);
      for (const ref of uses) expect(ref).toMatch(new RegExp(`@v${major}$`));
    },
  );

  test("the GitLab component and the CLI image name this exact release", () => {
    expect(readmeQuickStart(REPO, "gitlab")).toContain(`/build@${version}\n`);
    expect(readmeQuickStart(REPO, "cli")).toContain(`/builder:cpu-${version} `);
  });
});

describe("user docs", () => {
  // Contributor pages describe the lab on this machine; every other page is for users.
  const userDocs = [
    "README.md",
    ...readdirSync(join(REPO, "docs"))
      .filter((f) => f.endsWith(".md") && f !== "lab.md")
      .map((f) => join("docs", f)),
  ];

  test.each(userDocs)("%s names no loopback address", (file) => {
    const hits = readFileSync(join(REPO, file), "utf8")
      .split("\n")
      .map((line, i) => ({ line: i + 1, text: line }))
      .filter(({ text }) => LOOPBACK.test(text));
    expect(hits).toEqual([]);
  });
});
