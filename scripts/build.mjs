// Bundles the CLI and every buildpack with ncc (transpile only: type checking is `npm run typecheck`).
// Buildpacks: buildpacks/<name>/src/main.ts -> bin/main.mjs, which bin/detect and bin/build
// (committed shell wrappers) run with the build image's Node.js.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

const ncc = join("node_modules", ".bin", "ncc");

function bundle(entry, outDir) {
  const started = Date.now();
  execFileSync(ncc, ["build", entry, "-o", outDir, "--quiet", "--target", "es2022", "--transpile-only"], {
    stdio: "inherit",
  });
  console.log(`bundled ${entry} -> ${outDir} in ${Date.now() - started} ms`);
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want("cli")) bundle("src/cli/main.ts", "dist/cli");
// Run by the build image's Node.js in the lifecycle container, where no package.json says "module".
if (want("pre-export")) {
  bundle("src/pre-export/main.ts", "dist/pre-export");
  renameSync(join("dist", "pre-export", "index.js"), join("dist", "pre-export", "index.mjs"));
}
if (want("action")) {
  bundle("src/github/main.ts", "dist/main");
  bundle("src/github/post.ts", "dist/post");
  bundle("src/github/merge.ts", "dist/merge");
}

for (const name of readdirSync("buildpacks")) {
  const entry = join("buildpacks", name, "src", "main.ts");
  if (!existsSync(entry) || !want(name)) continue;
  const tmp = join("buildpacks", name, ".bundle");
  bundle(entry, tmp);
  renameSync(join(tmp, "index.js"), join("buildpacks", name, "bin", "main.mjs"));
  rmSync(tmp, { recursive: true, force: true });
}
