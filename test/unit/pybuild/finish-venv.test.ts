import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { testTempDir } from "../../../src/libcnb/testing.js";
import { compileArgs } from "../../../src/pybuild/bytecode.js";
import { pruneTestFolders, sitePackagesOf } from "../../../src/pybuild/finish-venv.js";

function venv(): { root: string; site: string } {
  const root = testTempDir("venv-");
  const site = join(root, "lib", "python3.13", "site-packages");
  for (const dir of [
    "pandas/tests/io",
    "pandas/core",
    "numpy/linalg/tests",
    "numpy/testing",
    "tests",
    "pkg/test",
  ])
    mkdirSync(join(site, dir), { recursive: true });
  writeFileSync(join(site, "pandas/tests/io/test_csv.py"), "x".repeat(1000));
  writeFileSync(join(site, "numpy/linalg/tests/test_linalg.py"), "y".repeat(500));
  writeFileSync(join(site, "pandas/core/frame.py"), "z");
  writeFileSync(join(site, "tests/__init__.py"), "");
  return { root, site };
}

test("removes the test suites inside packages, and only those", () => {
  const { root, site } = venv();
  expect(sitePackagesOf(root)).toBe(site);
  expect(pruneTestFolders(site)).toEqual({ folders: 2, bytes: 1500 });
  expect(existsSync(join(site, "pandas/tests"))).toBe(false);
  expect(existsSync(join(site, "numpy/linalg/tests"))).toBe(false);
  // Kept: package code, numpy.testing (imported by users), a `test` folder, and a top-level `tests` module.
  for (const kept of ["pandas/core/frame.py", "numpy/testing", "pkg/test", "tests/__init__.py"])
    expect(existsSync(join(site, kept)), kept).toBe(true);
});

test("a venv without site-packages is left alone", () => {
  expect(sitePackagesOf(testTempDir("empty-venv-"))).toBeUndefined();
});

test("compileall: every core, unchecked-hash, optional exclude", () => {
  expect(compileArgs("/v/lib")).toEqual([
    ...["-I", "-W", "ignore", "-m", "compileall", "-q", "-f", "-j", "0"],
    ...["--invalidation-mode", "unchecked-hash", "/v/lib"],
  ]);
  expect(compileArgs("/p/lib", "/tests/").slice(-3)).toEqual(["-x", "/tests/", "/p/lib"]);
});
