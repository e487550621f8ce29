import { join } from "node:path";
import type { BuildContext, Exec, Logger } from "#libcnb";
import { testBuildContext, testTempDir } from "#libcnb/testing";

export function tempDir(): string {
  return testTempDir("bp-pip-");
}

/** A BuildContext over temp app and layers dirs with the given app files. */
export function buildContext(
  files: Record<string, string>,
  exec?: Exec,
): BuildContext & { logger: Logger & { text(): string } } {
  return testBuildContext({
    buildpackDir: join(import.meta.dirname, ".."),
    files,
    exec,
    plan: [{ name: "python", metadata: {} }],
  });
}
