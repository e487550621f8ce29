// Which of the app's Python dependencies come in CPU and CUDA builds (from different indexes).
import type { AppFiles } from "#libcnb";

export const DEPENDENCY_FILES = [
  "requirements.txt",
  "pyproject.toml",
  "Pipfile",
  "environment.yml",
  "uv.lock",
  "poetry.lock",
];

/** Packages PyTorch publishes per accelerator on download.pytorch.org/whl/<cpu|cu124|...>. */
export const VARIANT_PACKAGES = ["torch", "torchvision", "torchaudio"];

/** Names from `names` that the app's dependency files mention as a dependency, e.g. ["torch"]. */
export function mentioned(app: AppFiles, names: readonly string[]): string[] {
  const found = new Set<string>();
  for (const file of DEPENDENCY_FILES) {
    const text = app.readText(file);
    if (!text) continue;
    for (const name of names) {
      const n = name.replace(/[-_.]/g, "[-_.]");
      if (new RegExp(`(^|[\\s"'\\[,{])${n}(?=\\s*($|[=<>!~;\\[@"',:}]))`, "im").test(text)) found.add(name);
    }
  }
  return names.filter((n) => found.has(n));
}
