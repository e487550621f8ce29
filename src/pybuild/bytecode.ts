// Bytecode compiled once at build time in a form the image can use.
//
// pip compiles .pyc files that record each source file's mtime. The lifecycle sets every file in a
// layer to 1980-01-01, so in the image each of those .pyc files is stale: Python recompiles every
// module on the first import in each new container (hundreds of files for pandas). Hash-based .pyc
// files that are never re-checked (PEP 552, "unchecked-hash") stay valid whatever the mtimes, and
// they are reproducible. compileall -j 0 also uses every core, where pip compiles one file at a time.
import type { BuildContext } from "../libcnb/index.js";

/** Pure: the compileall command line for a directory; `exclude` is a regex of paths to skip. */
export function compileArgs(dir: string, exclude?: string): string[] {
  return [
    ...["-I", "-W", "ignore", "-m", "compileall", "-q", "-f", "-j", "0"],
    ...["--invalidation-mode", "unchecked-hash"],
    ...(exclude ? ["-x", exclude] : []),
    dir,
  ];
}

/**
 * Compiles every module under dir with the given interpreter. A file that doesn't compile (packages
 * ship such test data) is left for Python to report if it is ever imported.
 */
export async function compileBytecode(
  ctx: BuildContext,
  python: string,
  dir: string,
  o: { title: string; exclude?: string },
): Promise<void> {
  const r = await ctx.logger.timed(o.title, () => ctx.exec(python, compileArgs(dir, o.exclude)));
  if (r.code !== 0)
    ctx.logger.warning(
      "Some modules did not compile",
      `${r.output.trim().split("\n").slice(-10).join("\n")}\n\nPython compiles them if they are ever imported.`,
    );
}
